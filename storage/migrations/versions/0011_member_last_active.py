"""member last active: when a person last did something in the bot (a command, an answer, a
change), so the digest's "quiet for 7 days" means quiet, not "their tasks did not change".
Filled from the changes each member made so far.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE member SET last_active_at = "
        "(SELECT max(task_event.at) FROM task_event WHERE task_event.actor_id = member.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("last_active_at")
