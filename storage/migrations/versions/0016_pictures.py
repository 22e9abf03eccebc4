"""pictures and the dashboard: task dependencies (the Gantt's arrows), whether a channel's digest
shows a red or yellow plan's Gantt (on), whether a workspace's dashboard opens (on), and the
installation's secrets (the key that signs dashboard links). Nothing existing changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "task_dependency",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False),
        sa.Column("after_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False),
        sa.Column("created_at", _AWARE, nullable=False),
        sa.UniqueConstraint("task_id", "after_id", name="uq_task_dependency"),
    )
    op.create_index("ix_task_dependency_task_id", "task_dependency", ["task_id"])
    op.create_index("ix_task_dependency_after_id", "task_dependency", ["after_id"])
    op.create_table(
        "site_secret",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("created_at", _AWARE, nullable=False),
    )
    # In place on both databases (no copy of a table that tasks and members refer to).
    op.add_column(
        "channel",
        sa.Column("digest_charts", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column(
        "workspace",
        sa.Column("dashboard", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE workspace DROP COLUMN dashboard")
    op.execute("ALTER TABLE channel DROP COLUMN digest_charts")
    op.drop_table("site_secret")
    op.drop_index("ix_task_dependency_after_id", table_name="task_dependency")
    op.drop_index("ix_task_dependency_task_id", table_name="task_dependency")
    op.drop_table("task_dependency")
