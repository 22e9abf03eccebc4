"""Queries the handlers need. Every per-channel query filters on an indexed leading column
(channel_id, assignee_id or project_id) so its cost follows that channel's tasks, not the table.

Written for several processes at once (PostgreSQL) as much as for one writer (SQLite): a row
seen for the first time is inserted with ON CONFLICT DO NOTHING and then read, so two commands
that first see it together both get the one row; a task about to change is read FOR UPDATE, so
changes of one task take turns, each seeing the one before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple, TypeVar

from sqlalchemy import CursorResult, Result, and_, bindparam, delete, func, or_, update
from sqlalchemy import exists as sa_exists
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from storage.models import (
    OPEN_STATUSES,
    ApiToken,
    Blocker,
    Channel,
    InboundSeen,
    Kpi,
    KpiActual,
    KpiSplit,
    Member,
    Outbox,
    OutboxStatus,
    Phase,
    Project,
    ProjectStatus,
    Role,
    SiteSecret,
    Task,
    TaskDependency,
    TaskEvent,
    TaskStatus,
    Workspace,
)

Row = TypeVar("Row", Member, Project)
New = TypeVar("New", Workspace, Channel, Member, Project)


def rowcount(result: Result) -> int:
    """Rows an UPDATE or DELETE touched (its result is a cursor's; the stubs say less)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def name_key(name: str) -> str:
    return name.strip().casefold()


def _insert(s: Session):
    """The dialect's INSERT, the one with ON CONFLICT (both have it, spelled alike)."""
    return pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert


def _first_sight(s: Session, row: New, keys: tuple[str, ...]) -> tuple[New, bool]:
    """`row` inserted unless a row with the same unique `keys` exists (or is being inserted by
    another transaction, which this one then waits for), and the row as stored; True when this
    call made it. One path for both databases: INSERT … ON CONFLICT DO NOTHING, then SELECT."""
    model = type(row)
    values = row.model_dump(exclude={"id"})
    made = s.execute(
        _insert(s)(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(col(model.id))
    ).first()
    stored = s.exec(
        select(model).where(*(getattr(model, key) == values[key] for key in keys))
    ).one()
    return stored, made is not None


def get_or_create_workspace(
    s: Session, platform: str, external_id: str, now: datetime
) -> Workspace:
    ws = s.exec(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    ).first()
    if ws is None:
        new = Workspace(platform=platform, external_id=external_id, created_at=now)
        ws, _ = _first_sight(s, new, ("platform", "external_id"))
    return ws


_WHERE_AND_WHO = (
    sa_select(Workspace, Channel, Member)
    .outerjoin(
        Channel,
        and_(
            col(Channel.workspace_id) == Workspace.id,
            col(Channel.external_id) == bindparam("channel"),
        ),
    )
    .outerjoin(
        Member,
        and_(
            col(Member.workspace_id) == Workspace.id, col(Member.external_id) == bindparam("user")
        ),
    )
    .where(
        col(Workspace.platform) == bindparam("platform"),
        col(Workspace.external_id) == bindparam("ws"),
    )
)


def where_and_who(
    s: Session, platform: str, workspace: str, channel: str, user: str
) -> tuple[Workspace | None, Channel | None, Member | None]:
    """The workspace, channel and speaker of a message in one statement; None for any not yet
    known (the caller makes them)."""
    params = {"platform": platform, "ws": workspace, "channel": channel, "user": user}
    row = s.execute(_WHERE_AND_WHO, params).first()
    return (None, None, None) if row is None else tuple(row)


def get_or_create_channel(
    s: Session,
    ws: Workspace,
    external_id: str,
    *,
    name: str | None,
    tz: str,
    lang: str,
    now: datetime,
    known: Channel | None = None,
) -> Channel:
    """The channel, made on first sight; its name kept current. `known` is the row when the
    caller has just looked it up."""
    ch = (
        known
        or s.exec(
            select(Channel).where(Channel.workspace_id == ws.id, Channel.external_id == external_id)
        ).first()
    )
    if ch is None:
        new = Channel(
            workspace_id=ws.id, external_id=external_id, name=name, tz=tz, lang=lang, created_at=now
        )
        ch, _ = _first_sight(s, new, ("workspace_id", "external_id"))
    if name and ch.name != name:
        ch.name = name
    return ch


def upsert_member(
    s: Session,
    ws: Workspace,
    external_id: str,
    *,
    display_name: str,
    now: datetime,
    tz: str | None = None,
    admin: bool | None = None,
    known: Member | None = None,
) -> Member:
    """The member as the platform knows them now: name, zone and role kept current. `known`
    is the row when the caller has just looked it up."""
    m = known or member_by_external_id(s, ws, external_id)
    if m is None:
        new = Member(
            workspace_id=ws.id,
            external_id=external_id,
            display_name=display_name,
            name_key=name_key(display_name),
            tz=tz,
            role=Role.ADMIN if admin else Role.MEMBER,
            platform_admin=bool(admin),
            created_at=now,
            updated_at=now,
        )
        m, made = _first_sight(s, new, ("workspace_id", "external_id"))
        if made:
            return m
    changed = False
    if display_name and m.display_name != display_name:
        m.display_name, m.name_key, changed = display_name, name_key(display_name), True
    if tz and m.tz != tz:
        m.tz, changed = tz, True
    if admin is not None:  # the platform's word on admins; the bot's other roles are its own
        if admin and m.role != Role.ADMIN:
            m.role, changed = Role.ADMIN, True
        elif not admin and m.platform_admin and m.role == Role.ADMIN:
            m.role, changed = Role.MEMBER, True
        if m.platform_admin != admin:
            m.platform_admin, changed = admin, True
    if changed:
        m.updated_at = now
    return m


def set_role(m: Member, role: Role, now: datetime) -> None:
    m.role, m.updated_at = role, now


def members_in_roles(s: Session, ws: Workspace, roles: tuple[Role, ...]) -> list[Member]:
    """The workspace's members holding one of `roles`, by name."""
    return list(
        s.exec(
            select(Member)
            .where(Member.workspace_id == ws.id, col(Member.role).in_([r.value for r in roles]))
            .order_by(col(Member.name_key), col(Member.id))
        )
    )


def member_by_external_id(s: Session, ws: Workspace, external_id: str) -> Member | None:
    return s.exec(
        select(Member).where(Member.workspace_id == ws.id, Member.external_id == external_id)
    ).first()


ACTIVE_GRAIN = timedelta(hours=1)  # last_active_at moves at most once an hour per person


def touch_member(m: Member, now: datetime) -> None:
    """Note that the member did something in the bot at `now` (a command, an answer, a change),
    to the hour: a burst of commands writes it once, and a clock set back never moves it back."""
    last = m.last_active_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= ACTIVE_GRAIN:
        m.last_active_at = now


def members_named(s: Session, ws: Workspace, name: str) -> list[Member]:
    return list(
        s.exec(
            select(Member).where(Member.workspace_id == ws.id, Member.name_key == name_key(name))
        )
    )


def members_of(s: Session, ws: Workspace) -> list[Member]:
    """Everyone the workspace knows, by name: what a name no one has is compared with."""
    return list(
        s.exec(select(Member).where(Member.workspace_id == ws.id).order_by(col(Member.name_key)))
    )


def _by_ids(s: Session, model: type[Row], ids: set[int]) -> dict[int | None, Row]:
    """Rows by primary key: those this session already holds cost no query; the rest one."""
    found: dict[int | None, Row] = {}
    for i in ids:
        held = s.identity_map.get(identity_key(model, i))
        if held is not None:
            found[i] = held
    missing = ids - found.keys()
    if missing:
        found.update((r.id, r) for r in s.exec(select(model).where(col(model.id).in_(missing))))
    return found


def members_by_id(s: Session, ids: set[int]) -> dict[int | None, Member]:
    return _by_ids(s, Member, ids)


def get_or_create_project(
    s: Session, ws: Workspace, name: str, now: datetime
) -> tuple[Project, bool]:
    """The project (matched case-insensitively), and whether it was made just now."""
    project = find_project(s, ws, name)
    if project is not None:
        return project, False
    new = Project(
        workspace_id=ws.id, name=name, key=project_key(name), created_at=now, updated_at=now
    )
    return _first_sight(s, new, ("workspace_id", "key"))


def project_key(name: str) -> str:
    """How a project is looked up: case-insensitively, a blank as a dash, so a plan named
    "Spring launch" is the tag `+spring-launch` (a tag is one word)."""
    return "-".join(name_key(name).split())


def find_project(
    s: Session, ws: Workspace, name: str, *, for_update: bool = False
) -> Project | None:
    query = select(Project).where(Project.workspace_id == ws.id, Project.key == project_key(name))
    if for_update:
        query = query.with_for_update()
    return s.exec(query).first()


def projects_of(s: Session, ws: Workspace) -> list[Project]:
    """The workspace's projects: open plans first (by start date), then tags, closed last."""
    rows = list(s.exec(select(Project).where(Project.workspace_id == ws.id)))
    rows.sort(
        key=lambda p: (
            p.status != ProjectStatus.OPEN,
            not p.is_plan,
            p.start_date or date.max,
            p.key,
        )
    )
    return rows


def project_tasks_by_status(s: Session, project: Project) -> dict[str, int]:
    """How many of the project's tasks (in every channel) have each status."""
    rows = s.execute(
        sa_select(col(Task.status), func.count())
        .where(col(Task.project_id) == project.id)
        .group_by(Task.status)
    ).all()
    return {str(status): int(n) for status, n in rows}


def open_project_tasks(s: Session, project: Project) -> list[Task]:
    return list(
        s.exec(
            select(Task).where(Task.project_id == project.id, col(Task.status).in_(OPEN_STATUSES))
        )
    )


def phases_of_projects(s: Session, project_ids: list[int]) -> dict[int, list[Phase]]:
    """Several plans' phases by project id, each plan's in date order (undated ones last, then
    by when they were added)."""
    found: dict[int, list[Phase]] = {}
    if project_ids:
        for row in s.exec(select(Phase).where(col(Phase.project_id).in_(project_ids))):
            found.setdefault(row.project_id, []).append(row)
    for rows in found.values():
        rows.sort(key=lambda p: (p.start_date is None, p.start_date or date.min, p.id))
    return found


def kpis_of_projects(s: Session, project_ids: list[int]) -> dict[int, list[Kpi]]:
    """Several plans' KPIs by project id, each plan's by name then label (the KPI as a whole,
    "", first)."""
    found: dict[int, list[Kpi]] = {}
    if project_ids:
        query = select(Kpi).where(col(Kpi.project_id).in_(project_ids)).order_by(Kpi.key, Kpi.label)
        for row in s.exec(query):
            found.setdefault(row.project_id, []).append(row)
    return found


def phases_of(s: Session, project_id: int) -> list[Phase]:
    """A plan's phases in date order (undated ones last, then by when they were added)."""
    return phases_of_projects(s, [project_id]).get(project_id, [])


def find_phase(s: Session, project_id: int, name: str) -> Phase | None:
    return s.exec(
        select(Phase).where(Phase.project_id == project_id, Phase.key == name.casefold())
    ).first()


def phase_by_id(s: Session, phase_id: int) -> Phase | None:
    return s.get(Phase, phase_id)


def phase_tasks(s: Session, phase_id: int, *, for_update: bool = False) -> list[Task]:
    """Every task of a phase (any status, any channel), by number."""
    query = select(Task).where(Task.phase_id == phase_id).order_by(col(Task.number))
    if for_update:
        query = query.with_for_update()
    return list(s.exec(query))


def phase_task_counts(s: Session, project_id: int) -> dict[int, dict[str, int]]:
    """How many of a plan's tasks each phase holds, by status: {phase id: {status: n}}."""
    rows = s.execute(
        sa_select(col(Task.phase_id), col(Task.status), func.count())
        .where(col(Task.project_id) == project_id, col(Task.phase_id).is_not(None))
        .group_by(col(Task.phase_id), col(Task.status))
    ).all()
    found: dict[int, dict[str, int]] = {}
    for phase_id, status, n in rows:
        found.setdefault(int(phase_id), {})[str(status)] = int(n)
    return found


def kpis_of(s: Session, project_id: int) -> list[Kpi]:
    """A plan's KPIs, by name then label (the KPI as a whole, "", first)."""
    return kpis_of_projects(s, [project_id]).get(project_id, [])


def latest_actuals(s: Session, kpi_ids: list[int]) -> dict[int, KpiActual]:
    """Each KPI's latest actual by the moment it is for (the running total that counts; an
    import of an older day does not replace a newer number), by KPI id. One index probe per
    KPI (ix_kpi_actual_kpi_at, read backwards), however long its history."""
    if not kpi_ids:
        return {}
    newer = KpiActual.__table__.alias("newer")  # type: ignore[attr-defined]
    latest = (
        sa_select(newer.c.id)
        .where(newer.c.kpi_id == col(Kpi.id))
        .order_by(newer.c.at.desc(), newer.c.id.desc())
        .limit(1)
        .correlate(Kpi)
        .scalar_subquery()
    )
    rows = s.exec(
        select(KpiActual).join(Kpi, col(KpiActual.id) == latest).where(col(Kpi.id).in_(kpi_ids))
    )
    return {row.kpi_id: row for row in rows}


def kpi_splits(s: Session, kpi_ids: list[int]) -> dict[int, list[KpiSplit]]:
    if not kpi_ids:
        return {}
    found: dict[int, list[KpiSplit]] = {}
    for row in s.exec(select(KpiSplit).where(col(KpiSplit.kpi_id).in_(kpi_ids))):
        found.setdefault(row.kpi_id, []).append(row)
    return found


def kpis_named(s: Session, project_id: int, key: str) -> list[Kpi]:
    """A plan's rows of one KPI (by its casefolded name): the KPI as a whole and its labels."""
    return list(
        s.exec(
            select(Kpi).where(Kpi.project_id == project_id, Kpi.key == key).order_by(col(Kpi.label))
        )
    )


def open_plans_with_kpi(s: Session, ws: Workspace, key: str) -> list[Project]:
    """The workspace's open plans that have a KPI of this (casefolded) name."""
    return list(
        s.exec(
            select(Project)
            .where(
                Project.workspace_id == ws.id,
                col(Project.is_plan).is_(True),
                Project.status == ProjectStatus.OPEN,
                col(Project.id).in_(select(Kpi.project_id).where(Kpi.key == key)),
            )
            .order_by(Project.key)
        )
    )


def kpi_history(s: Session, kpi_ids: list[int], limit: int) -> list[KpiActual]:
    """The latest actuals of these KPI rows, newest first."""
    if not kpi_ids:
        return []
    return list(
        s.exec(
            select(KpiActual)
            .where(col(KpiActual.kpi_id).in_(kpi_ids))
            .order_by(col(KpiActual.at).desc(), col(KpiActual.id).desc())
            .limit(limit)
        )
    )


def replace_splits(s: Session, kpi_id: int, amounts: list[tuple[int, float]]) -> None:
    """A KPI's planned split by phase, (phase id, amount) pairs, instead of the one it had."""
    s.execute(delete(KpiSplit).where(col(KpiSplit.kpi_id) == kpi_id))
    s.add_all(KpiSplit(kpi_id=kpi_id, phase_id=phase, amount=amount) for phase, amount in amounts)


def workspaces(s: Session) -> list[Workspace]:
    return list(s.exec(select(Workspace).order_by(Workspace.platform, Workspace.external_id)))


def workspace_zone(s: Session, ws: Workspace) -> str | None:
    """The zone of the workspace's first channel: where a day without a zone is read."""
    return s.exec(
        select(Channel.tz).where(Channel.workspace_id == ws.id).order_by(col(Channel.id)).limit(1)
    ).first()


def add_api_token(s: Session, ws: Workspace, token_hash: str, by: int, now: datetime) -> None:
    s.add(ApiToken(workspace_id=ws.id, token_hash=token_hash, created_by_id=by, created_at=now))


def revoke_api_tokens(s: Session, ws: Workspace, now: datetime) -> int:
    """Every live token of the workspace revoked; how many there were."""
    result = s.execute(
        update(ApiToken)
        .where(col(ApiToken.workspace_id) == ws.id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    return rowcount(result)


def live_api_token(s: Session, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, if any (the caller compares it in constant time)."""
    return s.exec(
        select(ApiToken).where(
            ApiToken.token_hash == token_hash, col(ApiToken.revoked_at).is_(None)
        )
    ).first()


def workspace_by_id(s: Session, workspace_id: int) -> Workspace | None:
    return s.get(Workspace, workspace_id)


def projects_by_id(s: Session, ids: set[int]) -> dict[int | None, Project]:
    return _by_ids(s, Project, ids)


def allocate_task_number(s: Session, ws: Workspace) -> int:
    """The workspace's next `#N`, taken atomically so concurrent adds never share a number."""
    number = s.execute(
        update(Workspace)
        .where(col(Workspace.id) == ws.id)
        .values(next_task_number=Workspace.next_task_number + 1)
        .returning(col(Workspace.next_task_number))
    ).scalar_one()
    return number - 1


def get_task(s: Session, ws: Workspace, number: int, *, for_update: bool = False) -> Task | None:
    """Task #number of the workspace. `for_update` when the caller is about to change it: the
    row is locked until the transaction ends (on PostgreSQL; SQLite's writer already holds the
    whole database), so a concurrent change waits, then reads what this one committed."""
    q = select(Task).where(Task.workspace_id == ws.id, Task.number == number)
    if for_update:
        q = q.with_for_update().execution_options(populate_existing=True)
    return s.exec(q).first()


@dataclass(frozen=True)
class TaskFilter:
    channel_id: int
    statuses: tuple[TaskStatus, ...] = OPEN_STATUSES
    assignee_id: int | None = None
    project_id: int | None = None
    due_before: date | None = None
    due_on: date | None = None
    limit: int | None = 500


def _conditions(f: TaskFilter) -> list:
    conds = [Task.channel_id == f.channel_id, col(Task.status).in_(f.statuses)]
    if f.assignee_id is not None:
        conds.append(Task.assignee_id == f.assignee_id)
    if f.project_id is not None:
        conds.append(Task.project_id == f.project_id)
    if f.due_before is not None:
        conds.append(col(Task.due_date) < f.due_before)
    if f.due_on is not None:
        conds.append(Task.due_date == f.due_on)
    return conds


def list_tasks(s: Session, f: TaskFilter) -> list[Task]:
    q = select(Task).where(*_conditions(f))
    q = q.order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.number))
    return list(s.exec(q.limit(f.limit) if f.limit is not None else q))


def count_tasks(s: Session, f: TaskFilter) -> int:
    return s.exec(select(func.count()).select_from(Task).where(*_conditions(f))).one()


def open_tasks_of(s: Session, member_id: int, limit: int = 500) -> list[Task]:
    """A member's open tasks in every channel (by the assignee index)."""
    q = select(Task).where(Task.assignee_id == member_id, col(Task.status).in_(OPEN_STATUSES))
    q = q.order_by(col(Task.due_date).is_(None), col(Task.due_date), col(Task.number))
    return list(s.exec(q.limit(limit)))


def open_blocker(s: Session, task: Task) -> Blocker | None:
    return s.exec(
        select(Blocker).where(Blocker.task_id == task.id, col(Blocker.resolved_at).is_(None))
    ).first()


def open_blockers(s: Session, task_ids: list[int]) -> dict[int, Blocker]:
    if not task_ids:
        return {}
    rows = s.exec(
        select(Blocker).where(
            col(Blocker.task_id).in_(task_ids), col(Blocker.resolved_at).is_(None)
        )
    )
    return {b.task_id: b for b in rows}


def add_event(
    s: Session,
    task: Task,
    actor: Member,
    field: str,
    old: object,
    new: object,
    now: datetime,
    note: str | None = None,
) -> TaskEvent:
    event = TaskEvent(
        task_id=task.id,
        actor_id=actor.id,
        field=field,
        old=None if old is None else str(old),
        new=None if new is None else str(new),
        note=note or None,
        at=now,
    )
    s.add(event)
    return event


def task_events(s: Session, task: Task) -> list[TaskEvent]:
    return list(
        s.exec(
            select(TaskEvent)
            .where(TaskEvent.task_id == task.id)
            .order_by(col(TaskEvent.at), col(TaskEvent.id))
        )
    )


def channel_by_external_id(
    s: Session, platform: str, workspace: str, external_id: str
) -> Channel | None:
    return s.exec(
        select(Channel)
        .join(Workspace, col(Channel.workspace_id) == Workspace.id)
        .where(
            Workspace.platform == platform,
            Workspace.external_id == workspace,
            Channel.external_id == external_id,
        )
    ).first()


def mark_target_refused(
    s: Session, platform: str, workspace: str, external_id: str, now: datetime
) -> bool:
    """Pause the posts through a channel's post target; True the first time (so it is logged
    once)."""
    channel = channel_by_external_id(s, platform, workspace, external_id)
    if channel is None or channel.post_target_refused_at is not None:
        return False
    channel.post_target_refused_at, channel.post_target_refused_told = now, False
    return True


def stop_posts(s: Session, channel_id: int, now: datetime, why: str) -> bool:
    """Stop a channel's scheduled posts; True for the one caller that stopped them (so it is
    logged once, however many processes saw the error)."""
    stopped = s.execute(
        update(Channel)
        .where(col(Channel.id) == channel_id, col(Channel.posts_stopped_at).is_(None))
        .values(posts_stopped_at=now, posts_stopped_why=why[:300], posts_stopped_told=False)
    )
    return rowcount(stopped) == 1


def resume_posts(channel: Channel) -> None:
    channel.posts_stopped_at, channel.posts_stopped_why = None, None
    channel.posts_stopped_told = False


def claim_inbound(s: Session, platform: str, key: str, now: datetime) -> bool:
    """True the first time a delivery key is seen, False for every repeat (atomic on both
    databases: a unique key, and ON CONFLICT DO NOTHING so a repeat does not abort the
    transaction)."""
    stmt = (
        _insert(s)(InboundSeen)
        .values(platform=platform, key=key[:200], seen_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "key"])
        .returning(col(InboundSeen.id))
    )
    return s.execute(stmt).first() is not None


def apply_once(s: Session, platform: str, key: str, now: datetime) -> tuple[bool, str | None]:
    """Claim a delivery for the command this transaction runs: (True, None) the first time;
    (False, the answer kept) when the command was applied before (a replayed request)."""
    if claim_inbound(s, platform, key, now):
        return True, None
    kept = s.exec(
        select(InboundSeen.reply).where(
            col(InboundSeen.platform) == platform, col(InboundSeen.key) == key[:200]
        )
    ).first()
    return False, kept


def keep_reply(s: Session, platform: str, key: str, reply: str) -> None:
    s.execute(
        update(InboundSeen)
        .where(col(InboundSeen.platform) == platform, col(InboundSeen.key) == key[:200])
        .values(reply=reply)
    )


def unclaim_inbound(s: Session, platform: str, key: str) -> None:
    """Forget one delivery key, so the same delivery may be claimed again (a submission
    refused for its content, sent again corrected)."""
    s.execute(
        delete(InboundSeen).where(
            col(InboundSeen.platform) == platform, col(InboundSeen.key) == key[:200]
        )
    )


def prune_inbound(s: Session, before: datetime) -> int:
    """Forget the deliveries seen before `before` (by the seen_at index), so the table holds
    only the window in which a platform still retries; returns how many were forgotten. A key
    forgotten is claimable again."""
    return rowcount(s.execute(delete(InboundSeen).where(col(InboundSeen.seen_at) < before)))


# --- the outbox: scheduled posts, exactly once -----------------------------------------------


def channels_with(s: Session, platform: str | None = None) -> list[tuple[Channel, Workspace]]:
    """Every channel, with its workspace (which of them a scheduled kind is on for is the kind's
    own business: handlers/schedule.py)."""
    q = select(Channel, Workspace).join(Workspace, col(Channel.workspace_id) == Workspace.id)
    if platform is not None:
        q = q.where(Workspace.platform == platform)
    return list(s.exec(q.order_by(col(Channel.id))))


def claim_outbox(
    s: Session, channel_id: int, kind: str, period: str, now: datetime, lease_until: datetime
) -> Outbox | None:
    """The new outbox row for (channel, kind, period), leased to the caller; None when another
    process or an earlier run has it already."""
    stmt = (
        _insert(s)(Outbox)
        .values(
            channel_id=channel_id,
            kind=kind,
            period=period,
            status=OutboxStatus.PENDING.value,
            attempts=1,
            parts_sent=0,
            leased_until=lease_until,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["channel_id", "kind", "period"])
        .returning(col(Outbox.id))
    )
    row_id = s.execute(stmt).scalar()
    return s.get(Outbox, row_id) if row_id is not None else None


def lease_retries(
    s: Session, now: datetime, lease_until: datetime, limit: int = 100
) -> list[Outbox]:
    """Pending rows due for another try whose lease has lapsed (their poster failed or died),
    leased to the caller. On PostgreSQL, FOR UPDATE SKIP LOCKED keeps two processes apart."""
    q = (
        select(Outbox)
        .where(
            Outbox.status == OutboxStatus.PENDING,
            or_(col(Outbox.next_attempt_at).is_(None), col(Outbox.next_attempt_at) <= now),
            or_(col(Outbox.leased_until).is_(None), col(Outbox.leased_until) <= now),
        )
        .order_by(col(Outbox.id))
        .limit(limit)
    )
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    rows = list(s.exec(q))
    for row in rows:
        row.leased_until, row.attempts = lease_until, row.attempts + 1
    return rows


def stopped_channels(s: Session) -> list[Channel]:
    """Channels whose scheduled posts a permanent error stopped."""
    q = select(Channel).where(col(Channel.posts_stopped_at).is_not(None))
    return list(s.exec(q.order_by(col(Channel.id))))


def outbox_row(s: Session, channel_id: int, kind: str, period: str) -> Outbox | None:
    """The outbox row of one channel's post for one period, if any (read only)."""
    return s.exec(
        select(Outbox).where(
            Outbox.channel_id == channel_id, Outbox.kind == kind, Outbox.period == period
        )
    ).first()


def outbox_rows(
    s: Session, statuses: tuple[str, ...] | None = None
) -> list[tuple[Outbox, Channel]]:
    q = select(Outbox, Channel).join(Channel, col(Outbox.channel_id) == Channel.id)
    if statuses:
        q = q.where(col(Outbox.status).in_(statuses))
    return list(s.exec(q.order_by(col(Outbox.id))))


# --- many plans at once: the portfolio (one query each, whatever the number of projects) -------


def open_projects(s: Session, ws: Workspace) -> list[Project]:
    """The workspace's open projects, plans and tags, by key."""
    return list(
        s.exec(
            select(Project)
            .where(Project.workspace_id == ws.id, Project.status == ProjectStatus.OPEN)
            .order_by(col(Project.key))
        )
    )


class PhaseDates(NamedTuple):
    """What a plan's light needs of a phase (a row, not an ORM object: a portfolio reads
    hundreds)."""

    id: int
    project_id: int
    name: str
    start_date: date | None
    end_date: date | None


class KpiTarget(NamedTuple):
    id: int
    project_id: int
    name: str
    label: str
    target: float
    phase_id: int | None


class SplitAmount(NamedTuple):
    kpi_id: int
    phase_id: int
    amount: float


def phases_of_many(s: Session, project_ids: list[int]) -> dict[int, list[PhaseDates]]:
    """`phases_of` for many plans, as rows: each plan's phases in date order."""
    found: dict[int, list[PhaseDates]] = {}
    if not project_ids:
        return found
    query = sa_select(
        col(Phase.id),
        col(Phase.project_id),
        col(Phase.name),
        col(Phase.start_date),
        col(Phase.end_date),
    ).where(col(Phase.project_id).in_(project_ids))
    for row in s.connection().execute(query):
        found.setdefault(row[1], []).append(PhaseDates(*row))
    for rows in found.values():
        rows.sort(key=lambda p: (p.start_date is None, p.start_date or date.min, p.id))
    return found


def kpis_of_many(s: Session, project_ids: list[int]) -> dict[int, list[KpiTarget]]:
    """`kpis_of` for many plans, as rows: each plan's KPIs by name then label."""
    found: dict[int, list[KpiTarget]] = {}
    if not project_ids:
        return found
    query = (
        sa_select(
            col(Kpi.id),
            col(Kpi.project_id),
            col(Kpi.name),
            col(Kpi.label),
            col(Kpi.target),
            col(Kpi.phase_id),
        )
        .where(col(Kpi.project_id).in_(project_ids))
        .order_by(col(Kpi.key), col(Kpi.label))
    )
    for row in s.connection().execute(query):
        found.setdefault(row[1], []).append(KpiTarget(*row))
    return found


def split_amounts(s: Session, project_ids: list[int]) -> dict[int, list[SplitAmount]]:
    """The splits of every KPI of these plans, as rows, by KPI id."""
    found: dict[int, list[SplitAmount]] = {}
    if not project_ids:
        return found
    query = (
        sa_select(col(KpiSplit.kpi_id), col(KpiSplit.phase_id), col(KpiSplit.amount))
        .join(Kpi, col(Kpi.id) == col(KpiSplit.kpi_id))
        .where(col(Kpi.project_id).in_(project_ids))
    )
    for row in s.connection().execute(query):
        found.setdefault(row[0], []).append(SplitAmount(*row))
    return found


def latest_values(s: Session, project_ids: list[int]) -> dict[int, float]:
    """The latest actual value (as `latest_actuals` chooses it) of every KPI of these plans, by
    KPI id: one index seek per KPI on (kpi_id, at), however long each one's history is."""
    if not project_ids:
        return {}
    newest = (
        sa_select(col(KpiActual.value))
        .where(col(KpiActual.kpi_id) == col(Kpi.id))
        .order_by(col(KpiActual.at).desc(), col(KpiActual.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = s.connection().execute(
        sa_select(col(Kpi.id), newest).where(col(Kpi.project_id).in_(project_ids))
    )
    return {int(kpi_id): float(value) for kpi_id, value in rows if value is not None}


@dataclass(frozen=True)
class OpenFigures:
    """What a plan's light needs of its open tasks, counted in the database: whether it has any,
    how many are red (blocked, or past due), the earliest and latest due dates, and when the
    oldest open blocker of a blocked task with a due date was reported."""

    any_open: bool
    red: int
    first_due: date | None
    last_due: date | None
    oldest_blocker: datetime | None = None


def open_figures(s: Session, project_ids: list[int], today: date) -> dict[int, OpenFigures]:
    """Each project's figures in one statement of small correlated subqueries, each a seek or
    a short range of the index task (project_id, status, due_date): the first and last due date
    of each open status, whether it has any, and the red ones counted (blocked, and to do or
    doing before today). No open task that is not red is read, whatever their number."""
    if not project_ids:
        return {}

    def of(what, *where):
        return (
            sa_select(what).where(col(Task.project_id) == col(Project.id), *where).scalar_subquery()
        )

    waiting = (TaskStatus.TO_DO, TaskStatus.DOING)
    columns = [
        of(func.count(), col(Task.status) == TaskStatus.BLOCKED),
        of(func.count(), col(Task.status).in_(waiting), col(Task.due_date) < today),
        sa_exists()
        .where(col(Task.project_id) == col(Project.id), col(Task.status).in_(waiting))
        .correlate(Project),
    ]
    for status in OPEN_STATUSES:  # a seek each (min and max over one status follow the index)
        is_status = col(Task.status) == status
        columns.append(of(func.min(col(Task.due_date)), is_status, col(Task.due_date).is_not(None)))
        columns.append(of(func.max(col(Task.due_date)), is_status))
    rows = (
        s.connection()
        .execute(sa_select(col(Project.id), *columns).where(col(Project.id).in_(project_ids)))
        .all()
    )
    found: dict[int, OpenFigures] = {}
    oldest = _oldest_blockers(s, project_ids)
    for pid, blocked, late, waits, *per_status in rows:
        firsts = [_day(v) for v in per_status[0::2]]
        lasts = [_day(v) for v in per_status[1::2]]
        found[int(pid)] = OpenFigures(
            bool(blocked) or bool(waits),
            int(blocked) + int(late),
            min((d for d in firsts if d is not None), default=None),
            max((d for d in lasts if d is not None), default=None),
            oldest.get(int(pid)),
        )
    return found


def _oldest_blockers(s: Session, project_ids: list[int]) -> dict[int, datetime]:
    """When the oldest open blocker of a blocked task with a due date was reported, by project:
    from the blocked tasks (the index again) to their blocker, grouped (as a subquery per
    project, PostgreSQL scans every blocker for each)."""
    rows = (
        s.connection()
        .execute(
            sa_select(col(Task.project_id), func.min(col(Blocker.reported_at)))
            .select_from(Task)
            .join(
                Blocker,
                and_(col(Blocker.task_id) == col(Task.id), col(Blocker.resolved_at).is_(None)),
            )
            .where(
                col(Task.project_id).in_(project_ids),
                col(Task.status) == TaskStatus.BLOCKED,
                col(Task.due_date).is_not(None),
            )
            .group_by(col(Task.project_id))
        )
        .all()
    )
    return {int(pid): _moment(at) for pid, at in rows if pid is not None and at is not None}


def _day(value: object) -> date | None:
    """A date column's aggregate: SQLite hands min()/max() back as text."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def board_tasks(s: Session, project_id: int, done_since: datetime) -> list[Task]:
    """A project's tasks for its board: the open ones, and those done since `done_since`."""
    recent = and_(col(Task.status) == TaskStatus.DONE, col(Task.closed_at) >= done_since)
    return list(
        s.exec(
            select(Task)
            .where(Task.project_id == project_id, or_(col(Task.status).in_(OPEN_STATUSES), recent))
            .order_by(col(Task.number))
        )
    )


def open_tasks_count_of(s: Session, member_id: int) -> int:
    return s.exec(
        select(func.count())
        .select_from(Task)
        .where(Task.assignee_id == member_id, col(Task.status).in_(OPEN_STATUSES))
    ).one()


# --- the Gantt chart (handlers/charts/gantt.py) -------------------------------------------------


def gantt_tasks(
    s: Session, project_ids: list[int], *, channel_id: int | None, member_id: int
) -> list[Task]:
    """Projects' tasks for their Gantt charts, every one not cancelled: all of them
    (`channel_id` None), or those of the channel and the member's own (as owner or creator)."""
    if not project_ids:
        return []
    query = select(Task).where(
        col(Task.project_id).in_(project_ids), col(Task.status) != TaskStatus.CANCELLED
    )
    if channel_id is not None:
        query = query.where(
            or_(
                col(Task.channel_id) == channel_id,
                col(Task.assignee_id) == member_id,
                col(Task.creator_id) == member_id,
            )
        )
    return list(s.exec(query.order_by(col(Task.number))))


def gantt_task_counts(s: Session, project_ids: list[int]) -> dict[int, int]:
    """How many tasks each project's Gantt chart would have for someone who reads them all."""
    if not project_ids:
        return {}
    rows = s.exec(
        select(Task.project_id, func.count())
        .where(col(Task.project_id).in_(project_ids), col(Task.status) != TaskStatus.CANCELLED)
        .group_by(col(Task.project_id))
    )
    return {project_id: n for project_id, n in rows if project_id is not None}


def task_phases(s: Session, task_ids: list[int]) -> dict[int, int]:
    """The phase of each of these tasks that has one, by task id."""
    if not task_ids:
        return {}
    rows = s.exec(
        select(Task.id, Task.phase_id).where(
            col(Task.id).in_(task_ids), col(Task.phase_id).is_not(None)
        )
    )
    return {task_id: phase_id for task_id, phase_id in rows if phase_id is not None}


def dependencies_among(s: Session, task_ids: list[int]) -> list[tuple[int, int]]:
    """(task id, the id of the task it waits for) for each dependency between two of these."""
    if not task_ids:
        return []
    rows = s.exec(
        select(TaskDependency.task_id, TaskDependency.after_id).where(
            col(TaskDependency.task_id).in_(task_ids), col(TaskDependency.after_id).in_(task_ids)
        )
    )
    return [(task_id, after_id) for task_id, after_id in rows]


# --- the dashboard (handlers/dashboard.py, bot/dashboard/) --------------------------------------


def site_secret(s: Session, name: str, value: str, now: datetime) -> str:
    """The installation's secret called `name`: `value` stored on first use, else the stored
    one. Race-safe on both databases (INSERT … ON CONFLICT DO NOTHING, then SELECT: a second
    process inserting at once waits for the first and reads its value)."""
    s.execute(
        _insert(s)(SiteSecret)
        .values(name=name, value=value, created_at=now)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return s.exec(select(SiteSecret.value).where(SiteSecret.name == name)).one()


def read_site_secret(s: Session, name: str) -> str | None:
    """The secret called `name`, or None when none was made yet (never makes one)."""
    return s.exec(select(SiteSecret.value).where(SiteSecret.name == name)).first()


def projects_worked_in(s: Session, member_id: int) -> set[int]:
    """The projects with a task the member owns or made."""
    rows = s.exec(
        select(col(Task.project_id))
        .where(
            col(Task.project_id).is_not(None),
            or_(col(Task.assignee_id) == member_id, col(Task.creator_id) == member_id),
        )
        .distinct()
    )
    return {project_id for project_id in rows if project_id is not None}


def project_events_since(
    s: Session, project_id: int, since: datetime, limit: int
) -> list[tuple[TaskEvent, Task]]:
    """A project's task events since `since`, newest first, with their tasks."""
    q = (
        select(TaskEvent, Task)
        .join(Task, col(Task.id) == col(TaskEvent.task_id))
        .where(Task.project_id == project_id, col(TaskEvent.at) >= since)
        .order_by(col(TaskEvent.at).desc(), col(TaskEvent.id).desc())
        .limit(limit)
    )
    return [(event, task) for event, task in s.exec(q)]


class DashboardReader(NamedTuple):
    """What a dashboard link is checked against on every page: the workspace's switch, the
    member's role now, the zone of the link's channel."""

    dashboard: bool
    role: str
    tz: str


def dashboard_reader(
    s: Session, workspace_id: int, member_id: int, channel_id: int
) -> DashboardReader | None:
    """One query (by three primary keys); None when the member or the channel is gone or is
    not the workspace's."""
    row = s.exec(
        select(col(Workspace.dashboard), col(Member.role), col(Channel.tz))
        .select_from(Workspace)
        .join(Member, col(Member.workspace_id) == col(Workspace.id))
        .join(Channel, col(Channel.workspace_id) == col(Workspace.id))
        .where(Workspace.id == workspace_id, Member.id == member_id, Channel.id == channel_id)
    ).first()
    return DashboardReader(bool(row[0]), str(row[1]), str(row[2])) if row is not None else None


# --- export (bot/excel.py) --------------------------------------------------------------------


def tasks_of_project(s: Session, project_id: int) -> list[Task]:
    """Every task of a project, open or closed, by number."""
    query = select(Task).where(Task.project_id == project_id).order_by(col(Task.number))
    return list(s.exec(query))


def blockers_of_tasks(s: Session, task_ids: list[int]) -> list[Blocker]:
    """Every blocker of these tasks, open and resolved, oldest first."""
    if not task_ids:
        return []
    query = (
        select(Blocker)
        .where(col(Blocker.task_id).in_(task_ids))
        .order_by(col(Blocker.reported_at), col(Blocker.id))
    )
    return list(s.exec(query))


def actuals_of_kpis(s: Session, kpi_ids: list[int]) -> list[KpiActual]:
    """The whole history of these KPIs' actuals, oldest first."""
    if not kpi_ids:
        return []
    query = (
        select(KpiActual)
        .where(col(KpiActual.kpi_id).in_(kpi_ids))
        .order_by(col(KpiActual.at), col(KpiActual.id))
    )
    return list(s.exec(query))


# --- task dependencies: task_id waits for after_id (handlers/dependencies.py) ---


def waits_for(s: Session, task_ids: set[int]) -> dict[int, list[int]]:
    """Each task's predecessors (the ids it waits for), in the order they were added."""
    if not task_ids:
        return {}
    rows = s.exec(
        select(TaskDependency.task_id, TaskDependency.after_id)
        .where(col(TaskDependency.task_id).in_(task_ids))
        .order_by(col(TaskDependency.id))
    ).all()
    found: dict[int, list[int]] = {}
    for task_id, after_id in rows:
        found.setdefault(task_id, []).append(after_id)
    return found


def waited_on_by(s: Session, task_id: int) -> list[int]:
    """The tasks waiting for this one (its successors)."""
    return list(
        s.exec(
            select(TaskDependency.task_id)
            .where(TaskDependency.after_id == task_id)
            .order_by(col(TaskDependency.id))
        ).all()
    )


def dependency_path(s: Session, start: int, goal: int) -> list[int] | None:
    """The chain of waits-for links from `start` to `goal` ([start, …, goal]), or None when
    `start` does not (even indirectly) wait for `goal`: one query per level of the chain."""
    came_from: dict[int, int] = {start: start}
    frontier = {start}
    while frontier and goal not in came_from:
        links = waits_for(s, frontier)
        frontier = set()
        for task_id, afters in links.items():
            for after_id in afters:
                if after_id not in came_from:
                    came_from[after_id] = task_id
                    frontier.add(after_id)
    if goal not in came_from:
        return None
    path = [goal]
    while path[-1] != start:
        path.append(came_from[path[-1]])
    return path[::-1]


def add_dependency(s: Session, task: Task, after: Task, now: datetime) -> None:
    s.add(TaskDependency(task_id=task.id, after_id=after.id, created_at=now))


def clear_dependencies(s: Session, task: Task) -> list[int]:
    """Remove every link `task` waits for; the ids it waited for."""
    afters = waits_for(s, {task.id}).get(task.id, [])
    if afters:
        s.execute(delete(TaskDependency).where(col(TaskDependency.task_id) == task.id))
    return afters


def tasks_by_id(s: Session, ids: set[int]) -> dict[int, Task]:
    if not ids:
        return {}
    return {t.id: t for t in s.exec(select(Task).where(col(Task.id).in_(ids))).all()}


def open_chains(s: Session, project_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """By project id, (task id, id of the task it waits for) where both are open tasks of that
    project: one statement for all the projects (the few links, not their tasks, are read)."""
    if not project_ids:
        return {}
    before = Task.__table__.alias("before")  # type: ignore[attr-defined]
    rows = s.execute(
        sa_select(col(Task.project_id), col(TaskDependency.task_id), col(TaskDependency.after_id))
        .join(Task, col(Task.id) == col(TaskDependency.task_id))
        .join(before, before.c.id == col(TaskDependency.after_id))
        .where(
            col(Task.project_id).in_(project_ids),
            col(Task.status).in_(OPEN_STATUSES),
            before.c.project_id == col(Task.project_id),
            before.c.status.in_(OPEN_STATUSES),
        )
    ).all()
    found: dict[int, list[tuple[int, int]]] = {}
    for project_id, task_id, after_id in rows:
        found.setdefault(project_id, []).append((task_id, after_id))
    return found
