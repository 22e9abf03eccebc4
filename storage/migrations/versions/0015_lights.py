"""a plan's open-task figures from the index alone: task (project_id, status, due_date) replaces
task (project_id, status), so `portfolio` counts every plan's open and red tasks and their
earliest and latest due dates without reading a task row (plan_state.summaries).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 11:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_task_project_status_due", "task", ["project_id", "status", "due_date"])
    op.drop_index("ix_task_project_status", table_name="task")


def downgrade() -> None:
    op.create_index("ix_task_project_status", "task", ["project_id", "status"])
    op.drop_index("ix_task_project_status_due", table_name="task")
