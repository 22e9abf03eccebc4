"""project plan: a `+tag` project becomes a plan in place (`project new`): a goal, start and
end dates, a buffer share (20% by default), an owner, open/closed, and when it last changed.
Existing rows stay tags (is_plan false), open, with the default buffer; their tasks are not
touched.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("is_plan", "goal", "start_date", "end_date", "buffer_pct", "status", "closed_at")


def upgrade() -> None:
    # In place on both databases (no copy of a table that tasks refer to).
    op.add_column(
        "project", sa.Column("is_plan", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("project", sa.Column("goal", sa.Text(), nullable=True))
    op.add_column("project", sa.Column("start_date", sa.Date(), nullable=True))
    op.add_column("project", sa.Column("end_date", sa.Date(), nullable=True))
    op.add_column(
        "project",
        sa.Column("buffer_pct", sa.Integer(), nullable=False, server_default=sa.text("20")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement (no ALTER … ADD CONSTRAINT);
        # a downgrade there leaves it (see below), so it may be here already
        columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("project")}
        if "owner_id" not in columns:
            op.execute("ALTER TABLE project ADD COLUMN owner_id INTEGER REFERENCES member (id)")
    else:
        op.add_column("project", sa.Column("owner_id", sa.Integer(), nullable=True))
        op.create_foreign_key(None, "project", "member", ["owner_id"], ["id"])
    op.add_column(
        "project",
        sa.Column("status", sa.String(length=16), nullable=False, server_default="open"),
    )
    op.add_column("project", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("project", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE project SET updated_at = created_at")


def downgrade() -> None:
    # In place too (SQLite drops a column since 3.35). On SQLite owner_id stays: a column with
    # a reference cannot be dropped there, and a copy of the table would drop the one tasks
    # refer to. It is a nullable column 0011 never reads; an upgrade again reuses it.
    for name in (*_COLUMNS, "updated_at"):
        op.execute(f"ALTER TABLE project DROP COLUMN {name}")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("ALTER TABLE project DROP COLUMN owner_id")
