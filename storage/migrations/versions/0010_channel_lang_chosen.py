"""channel: whether its language was chosen (`settings lang …`)

Until a channel chooses, the bot answers each command in the language it was written in. A
channel made before this revision keeps the language it has: it is marked chosen, so nothing
changes under anyone's feet; a new channel starts unchosen.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on both databases (no copy of a table that tasks and members refer to).
    op.add_column(
        "channel", sa.Column("lang_chosen", sa.Boolean(), nullable=False, server_default=sa.true())
    )


def downgrade() -> None:
    # In place too (SQLite drops a column since 3.35).
    op.execute("ALTER TABLE channel DROP COLUMN lang_chosen")
