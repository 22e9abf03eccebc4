"""blocker: at most one open blocker per task, kept by the database itself

Earlier versions could leave several open blockers on one task when `block` commands raced on
PostgreSQL; all but the newest of each task's are closed here (with a note) before the index.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("resolved_at IS NULL")


def upgrade() -> None:
    op.execute(
        """
        UPDATE blocker
        SET resolved_at = reported_at,
            resolved_by_id = reported_by_id,
            note = 'closed as a duplicate by the 0009 upgrade'
        WHERE resolved_at IS NULL
          AND EXISTS (
            SELECT 1 FROM blocker AS newer
            WHERE newer.task_id = blocker.task_id
              AND newer.resolved_at IS NULL
              AND newer.id > blocker.id
          )
        """
    )
    op.create_index(
        "uq_blocker_one_open",
        "blocker",
        ["task_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_blocker_one_open", table_name="blocker")
