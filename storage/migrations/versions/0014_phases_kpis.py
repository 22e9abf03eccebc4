"""phases and KPIs: a plan's phases (dates, owner, deliverable), a task's phase, KPIs per label
with their split by phase and their actuals (history kept), and per-workspace API tokens for
`POST /api/kpi`. Existing tasks join no phase; nothing else changes.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    if "phase" not in sa.inspect(op.get_bind()).get_table_names():  # kept by an SQLite downgrade
        _create_phase()
    op.create_table(
        "kpi",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("phase_id", sa.Integer(), sa.ForeignKey("phase.id"), nullable=True),
        sa.Column("remedy", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=True),
        sa.Column("created_at", _AWARE, nullable=False),
        sa.Column("updated_at", _AWARE, nullable=False),
        sa.UniqueConstraint("project_id", "key", "label", name="uq_kpi_key_label"),
    )
    op.create_table(
        "kpi_split",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kpi_id", sa.Integer(), sa.ForeignKey("kpi.id"), nullable=False),
        sa.Column("phase_id", sa.Integer(), sa.ForeignKey("phase.id"), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.UniqueConstraint("kpi_id", "phase_id", name="uq_kpi_split_phase"),
    )
    op.create_table(
        "kpi_actual",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kpi_id", sa.Integer(), sa.ForeignKey("kpi.id"), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("at", _AWARE, nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
    )
    op.create_index("ix_kpi_actual_kpi_at", "kpi_actual", ["kpi_id", "at"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspace.id"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=True),
        sa.Column("created_at", _AWARE, nullable=False),
        sa.Column("revoked_at", _AWARE, nullable=True),
    )
    op.create_index("ix_api_token_workspace_id", "api_token", ["workspace_id"])
    if op.get_bind().dialect.name == "sqlite":
        # in place (no copy of the table blockers and events refer to), as 0013 does
        columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("task")}
        if "phase_id" not in columns:
            op.execute("ALTER TABLE task ADD COLUMN phase_id INTEGER REFERENCES phase (id)")
    else:
        op.add_column("task", sa.Column("phase_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_task_phase_id", "task", "phase", ["phase_id"], ["id"])


def _create_phase() -> None:
    op.create_table(
        "phase",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("member.id"), nullable=True),
        sa.Column("deliverable", sa.Text(), nullable=True),
        sa.Column("created_at", _AWARE, nullable=False),
        sa.Column("updated_at", _AWARE, nullable=False),
        sa.UniqueConstraint("project_id", "key", name="uq_phase_key"),
    )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # a column with a reference cannot be dropped on SQLite (see 0013): it is cleared and
        # kept, and so is the (emptied) phase table it names, for SQLite refuses to write a
        # task whose reference names a missing table
        op.execute("UPDATE task SET phase_id = NULL")
    else:
        op.drop_constraint("fk_task_phase_id", "task", type_="foreignkey")
        op.drop_column("task", "phase_id")
    op.drop_index("ix_api_token_workspace_id", table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_kpi_actual_kpi_at", table_name="kpi_actual")
    op.drop_table("kpi_actual")
    op.drop_table("kpi_split")
    op.drop_table("kpi")
    if sqlite:
        op.execute("DELETE FROM phase")
    else:
        op.drop_table("phase")
