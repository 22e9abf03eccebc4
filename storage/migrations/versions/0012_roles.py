"""roles: manager and viewer join member and admin (the role column is a string already), and
a member remembers whether their admin role is the platform's (which it may take back) or was
given in the bot with `role @x admin` (which it may not). Every admin so far was the platform's.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on both databases (no copy of a table that tasks refer to).
    op.add_column(
        "member",
        sa.Column("platform_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE member SET platform_admin = true WHERE role = 'admin'")


def downgrade() -> None:
    # Roles the old code does not know read as member; the column goes (SQLite 3.35+ in place).
    op.execute("UPDATE member SET role = 'member' WHERE role IN ('manager', 'viewer')")
    op.execute("ALTER TABLE member DROP COLUMN platform_admin")
