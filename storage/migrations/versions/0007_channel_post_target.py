"""channel post target: the WeCom-only webhook columns get the core's neutral names

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENAMES = (
    ("webhook_url", "post_target"),
    ("webhook_broken_at", "post_target_refused_at"),
    ("webhook_broken_told", "post_target_refused_told"),
)


def upgrade() -> None:
    # RENAME COLUMN keeps the data and needs no table copy (SQLite 3.25+, PostgreSQL).
    for old, new in RENAMES:
        op.execute(f'ALTER TABLE channel RENAME COLUMN "{old}" TO "{new}"')


def downgrade() -> None:
    for old, new in RENAMES:
        op.execute(f'ALTER TABLE channel RENAME COLUMN "{new}" TO "{old}"')
