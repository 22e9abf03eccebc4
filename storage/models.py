"""The tables. Every datetime is timezone-aware and stored as UTC; dates (start, due) are
calendar dates in the channel's zone. A new table goes here, with an Alembic migration in
migrations/versions."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class TaskStatus(StrEnum):
    TO_DO = "todo"
    DOING = "doing"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_STATUSES = (TaskStatus.TO_DO, TaskStatus.DOING, TaskStatus.BLOCKED)
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class Role(StrEnum):
    """A person's role in a workspace: an admin changes anything and sets roles and settings;
    a manager changes any task (and plans); a member changes their own tasks; a viewer reads."""

    MEMBER = "member"
    ADMIN = "admin"
    MANAGER = "manager"
    VIEWER = "viewer"


class Workspace(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_workspace_platform"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    name: str | None = Field(default=None, max_length=200)
    next_task_number: int = Field(default=1)
    # The dashboard (`dashboard` / 仪表盘): off, no link of this workspace opens a page.
    dashboard: bool = Field(default=True)
    created_at: datetime


class Channel(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "external_id", name="uq_channel_external"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    external_id: str = Field(max_length=64)
    name: str | None = Field(default=None, max_length=200)
    tz: str = Field(max_length=64)
    lang: str = Field(max_length=8)
    # False until someone sets the language: replies follow the language of each command (and
    # `lang` the last one's, for scheduled posts).
    lang_chosen: bool = Field(default=False)
    remind_time: str | None = Field(default="09:30", max_length=5)
    remind_days: str = Field(default="mon,tue,wed,thu,fri", max_length=32)
    digest_day: str | None = Field(default="mon", max_length=3)
    digest_time: str = Field(default="10:00", max_length=5)
    remind_all_clear: bool = Field(default=False)  # post "nothing overdue" instead of silence
    digest_charts: bool = Field(default=True)  # the digest's thread shows a red/yellow plan's Gantt
    holidays: str | None = Field(default=None, max_length=8)  # a country whose days off skip
    # Where scheduled posts go on a door whose channels post through an address an admin sets
    # (WeCom's group robot webhook); an address the platform refused stays set, marked refused,
    # until replaced.
    post_target: str | None = Field(default=None, max_length=500)
    post_target_refused_at: datetime | None = None
    post_target_refused_told: bool = Field(default=False)
    # Scheduled posts stopped by a permanent error (channel gone, bot removed, no usable post
    # target): skipped until someone speaks here again, or a target is set, where one is needed.
    posts_stopped_at: datetime | None = None
    posts_stopped_why: str | None = Field(default=None, max_length=300)
    posts_stopped_told: bool = Field(default=False)
    created_at: datetime


class Member(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("workspace_id", "external_id", name="uq_member_external"),
        Index("ix_member_workspace_name", "workspace_id", "name_key"),
    )

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    workspace_id: int = Field(foreign_key="workspace.id")
    external_id: str = Field(max_length=64)
    display_name: str = Field(max_length=100)
    name_key: str = Field(max_length=100)
    tz: str | None = Field(default=None, max_length=64)
    role: Role = Field(default=Role.MEMBER, sa_column=Column(String(16), nullable=False))
    # The platform says this person is an admin (a Slack workspace admin, a WeCom admin in the
    # settings, the console's --admins): their role is admin while it says so, and back to
    # member when it stops. An admin made with `role @x admin` is not the platform's to undo.
    platform_admin: bool = Field(default=False)
    created_at: datetime
    updated_at: datetime
    # The last time this person did something in the bot (a command, an answer, a change), to
    # the hour (queries.touch_member); a scheduled post is the bot's doing, not theirs.
    last_active_at: datetime | None = None


class ProjectStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


DEFAULT_BUFFER_PCT = 20  # the share of a plan's length held in reserve at its end


class Project(SQLModel, table=True):
    """A `+tag` that tasks name (made by `add … +name`), or a plan (`project new`): the same row,
    so a tag becomes a plan in place and keeps its tasks. A plan has `is_plan` set; its dates,
    goal, owner and buffer are what `project new` / `project edit` said."""

    __table_args__ = (UniqueConstraint("workspace_id", "key", name="uq_project_key"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    workspace_id: int = Field(foreign_key="workspace.id")
    name: str = Field(max_length=100)
    key: str = Field(max_length=100)
    created_at: datetime
    is_plan: bool = Field(default=False)
    goal: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    start_date: date | None = None
    end_date: date | None = None
    buffer_pct: int = Field(default=DEFAULT_BUFFER_PCT)
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    status: ProjectStatus = Field(
        default=ProjectStatus.OPEN, sa_column=Column(String(16), nullable=False)
    )
    closed_at: datetime | None = None
    updated_at: datetime | None = None


class Phase(SQLModel, table=True):
    """A stretch of a plan (预热期 → 爆发期 → 长尾期) with its dates, owner and deliverable. Tasks
    join one with `phase:`; removing a phase clears it from its tasks, which stay."""

    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_phase_key"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    project_id: int = Field(foreign_key="project.id")
    name: str = Field(max_length=100)
    key: str = Field(max_length=100)  # the name casefolded: how `phase:` finds it
    start_date: date | None = None
    end_date: date | None = None
    owner_id: int | None = Field(default=None, foreign_key="member.id")
    deliverable: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    updated_at: datetime


class Kpi(SQLModel, table=True):
    """One measured target of a plan (GMV 500万), per label when one KPI has several rows (a
    sales channel: 电商 / 线下); `label` is "" for the KPI as a whole. Its actuals are
    `KpiActual` rows, never overwritten; its planned split by phase is `KpiSplit` rows."""

    __table_args__ = (UniqueConstraint("project_id", "key", "label", name="uq_kpi_key_label"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    project_id: int = Field(foreign_key="project.id")
    name: str = Field(max_length=100)
    key: str = Field(max_length=100)  # the name casefolded
    label: str = Field(default="", max_length=100)
    unit: str | None = Field(default=None, max_length=32)
    target: float
    phase_id: int | None = Field(default=None, foreign_key="phase.id")  # measured in one phase
    remedy: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime
    updated_at: datetime


class KpiSplit(SQLModel, table=True):
    """How much of a KPI's target is planned for one phase (`plan:预热期=50万,爆发期=400万`)."""

    __tablename__ = "kpi_split"
    __table_args__ = (UniqueConstraint("kpi_id", "phase_id", name="uq_kpi_split_phase"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    kpi_id: int = Field(foreign_key="kpi.id")
    phase_id: int = Field(foreign_key="phase.id")
    amount: float


class KpiActual(SQLModel, table=True):
    """An actual reported for a KPI: the running total as of `at` (the latest one counts), who
    reported it and from where (chat, csv, api). History is kept, never overwritten."""

    __tablename__ = "kpi_actual"
    __table_args__ = (Index("ix_kpi_actual_kpi_at", "kpi_id", "at"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    kpi_id: int = Field(foreign_key="kpi.id")
    value: float
    at: datetime
    member_id: int | None = Field(default=None, foreign_key="member.id")
    source: str = Field(default="chat", max_length=16)


class ApiToken(SQLModel, table=True):
    """A workspace's token for `POST /api/kpi` (`settings api-token`); only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime
    revoked_at: datetime | None = None


class Task(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("workspace_id", "number", name="uq_task_number"),
        Index("ix_task_channel_status_due", "channel_id", "status", "due_date"),
        Index("ix_task_channel_assignee_status", "channel_id", "assignee_id", "status"),
        Index("ix_task_assignee_status", "assignee_id", "status"),
        Index("ix_task_project_status_due", "project_id", "status", "due_date"),
    )

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    workspace_id: int = Field(foreign_key="workspace.id")
    number: int
    title: str = Field(sa_column=Column(Text, nullable=False))
    channel_id: int = Field(foreign_key="channel.id")
    assignee_id: int | None = Field(default=None, foreign_key="member.id")
    creator_id: int = Field(foreign_key="member.id")
    project_id: int | None = Field(default=None, foreign_key="project.id")
    phase_id: int | None = Field(default=None, foreign_key="phase.id")  # a phase of its project
    start_date: date | None = None
    due_date: date | None = None
    status: TaskStatus = Field(
        default=TaskStatus.TO_DO, sa_column=Column(String(16), nullable=False)
    )
    progress: int = Field(default=0)
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None


class Blocker(SQLModel, table=True):
    __table_args__ = (
        Index("ix_blocker_task_resolved", "task_id", "resolved_at"),
        # A task has one open blocker at most (a second `block` is refused; a race too).
        Index(
            "uq_blocker_one_open",
            "task_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    task_id: int = Field(foreign_key="task.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    cause: str | None = Field(default=None, max_length=32)
    reported_by_id: int = Field(foreign_key="member.id")
    reported_at: datetime
    resolved_by_id: int | None = Field(default=None, foreign_key="member.id")
    resolved_at: datetime | None = None
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class TaskDependency(SQLModel, table=True):
    """Task `task_id` waits for task `after_id` (finish to start): the Gantt's arrows."""

    __tablename__ = "task_dependency"
    __table_args__ = (UniqueConstraint("task_id", "after_id", name="uq_task_dependency"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    task_id: int = Field(foreign_key="task.id", index=True)
    after_id: int = Field(foreign_key="task.id", index=True)
    created_at: datetime


class SiteSecret(SQLModel, table=True):
    """A secret the whole installation shares (every process reads the same): the key that
    signs dashboard links. Made on first use, never shown."""

    __tablename__ = "site_secret"

    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)
    created_at: datetime


class TaskEvent(SQLModel, table=True):
    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_task_at", "task_id", "at"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    task_id: int = Field(foreign_key="task.id")
    actor_id: int = Field(foreign_key="member.id")
    field: str = Field(max_length=32)
    old: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime


class InboundSeen(SQLModel, table=True):
    """Platform deliveries already handled (Slack event ids, WeCom MsgIds, button clicks), so a
    retried delivery changes nothing twice, however many processes serve."""

    __tablename__ = "inbound_seen"
    __table_args__ = (UniqueConstraint("platform", "key", name="uq_inbound_seen"),)

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    platform: str = Field(max_length=16)
    key: str = Field(max_length=200)
    seen_at: datetime = Field(index=True)
    # A command a door ran under this key: its answer, kept with the change in one transaction,
    # so a request replayed after a crash gets the answer again and changes nothing twice.
    reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class OutboxStatus(StrEnum):
    PENDING = "pending"  # claimed for its period, not yet (fully) posted; retried until sent
    SENT = "sent"
    FAILED = "failed"  # the platform refused for good (channel gone, bot removed, bad webhook)
    SKIPPED = "skipped"  # the bot was down past the grace window, or nothing was due


class Outbox(SQLModel, table=True):
    """One scheduled post: a channel's reminder or digest for one local period. The unique key
    is what makes it exactly once, however many processes or restarts try."""

    __table_args__ = (
        UniqueConstraint("channel_id", "kind", "period", name="uq_outbox_period"),
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
    )

    id: int = Field(default=None, primary_key=True)  # None until the row is flushed
    channel_id: int = Field(foreign_key="channel.id")
    kind: str = Field(max_length=16)  # "remind" or "digest"
    period: str = Field(max_length=40)  # the local date it belongs to, e.g. "2026-11-30"
    status: OutboxStatus = Field(
        default=OutboxStatus.PENDING, sa_column=Column(String(16), nullable=False)
    )
    attempts: int = Field(default=0)
    parts_sent: int = Field(default=0)  # messages already posted, so a resumed post goes on
    thread_ref: str | None = Field(default=None, max_length=64)  # Slack: the parent's ts
    next_attempt_at: datetime | None = None
    leased_until: datetime | None = None  # a process is posting it until then
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    sent_at: datetime | None = None
