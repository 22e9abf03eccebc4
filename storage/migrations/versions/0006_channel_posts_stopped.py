"""channel posts stopped

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("posts_stopped_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("posts_stopped_why", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("posts_stopped_told", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("posts_stopped_told")
        batch_op.drop_column("posts_stopped_why")
        batch_op.drop_column("posts_stopped_at")
