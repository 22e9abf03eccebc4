"""Task commands: add, list, show, start, done, cancel, reopen, progress, assign, due, snooze."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers import dependencies, phases, views
from handlers.changes import confirm, resolve_blocker, set_field, set_status
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import fmt_date
from handlers.reply import Line, Reply
from storage import queries
from storage.models import CLOSED_STATUSES, OPEN_STATUSES, Task, TaskStatus


def add(env: Env, cmd: Command) -> Reply:
    notes: list[str] = []
    assignee = env.me
    if cmd.people:
        assignee, is_new = env.person(cmd.people[0])
        if is_new:
            notes.append(env.t("new_member", who=env.who(assignee)))
    project = None
    if cmd.projects:
        project, is_new = queries.get_or_create_project(env.s, env.ws, cmd.projects[0], env.now)
        if is_new:
            notes.append(env.t("new_project", project=project.name))
    phase = None
    if cmd.phase:
        if project is None:
            raise UserError("phase_needs_project", phase=cmd.phase)
        phase = phases.phase_of(env, project, cmd.phase)
    if cmd.due and cmd.due < env.today:
        notes.append(env.t("due_in_past"))
    befores = [env.task(number) for number in cmd.after]
    task = Task(
        workspace_id=env.ws.id,
        number=queries.allocate_task_number(env.s, env.ws),
        title=cmd.text,
        channel_id=env.channel.id,
        assignee_id=assignee.id,
        creator_id=env.me.id,
        project_id=project.id if project else None,
        phase_id=phase.id if phase else None,
        start_date=cmd.start,
        due_date=cmd.due,
        created_at=env.now,
        updated_at=env.now,
    )
    env.s.add(task)
    env.s.flush()
    env.made = task.number
    queries.add_event(env.s, task, env.me, "created", None, task.title, env.now)
    if phase is not None:
        notes.append(env.t("task_in_phase", task=task.number, phase=phase.name))
    if befores:
        dependencies.link(env, task, befores)
        notes.append(env.t("after_set", task=task.number, afters=dependencies.numbers(befores)))
    return confirm(env, "added", task, *notes)


def task_fields(env: Env, cmd: Command) -> Reply:
    """`task 12 phase:爆发期`, `task 12 +双11大促 phase:预热期`, `task 12 phase:none`: a task's
    project and phase, each change an event in its history. A task that moves to another
    project leaves its phase behind unless it names one there."""
    task = env.changeable(cmd.task)
    notes: list[str] = []
    project = None
    if task.project_id is not None:
        project = queries.projects_by_id(env.s, {task.project_id}).get(task.project_id)
    moved = False
    if cmd.projects:
        project, is_new = queries.get_or_create_project(env.s, env.ws, cmd.projects[0], env.now)
        if is_new:
            notes.append(env.t("new_project", project=project.name))
        moved = set_field(env, task, "project", project.id)
        if moved:
            notes.append(env.t("task_project_set", task=task.number, project=project.name))
    new_phase = task.phase_id
    if cmd.phase:
        if project is None:
            raise UserError("phase_needs_project_task", task=task.number, phase=cmd.phase)
        new_phase = phases.phase_of(env, project, cmd.phase).id
    elif cmd.phase == "" or moved:
        new_phase = None
    if new_phase != task.phase_id:
        old = queries.phase_by_id(env.s, task.phase_id) if task.phase_id else None
        new = queries.phase_by_id(env.s, new_phase) if new_phase else None
        task.phase_id, task.updated_at = new_phase, env.now
        env.s.add(task)
        queries.add_event(
            env.s,
            task,
            env.me,
            "phase",
            old.name if old else None,
            new.name if new else None,
            env.now,
        )
        if new is not None:
            notes.append(env.t("task_phase_set", task=task.number, phase=new.name))
        else:
            notes.append(
                env.t("task_phase_cleared", task=task.number, phase=old.name if old else "—")
            )
    elif not moved:
        raise UserError("task_fields_same", task=task.number)
    return confirm(env, "task_updated", task, *notes)


LIST_FETCH_MAX = 5000


def list_(env: Env, cmd: Command) -> Reply:
    statuses: tuple[TaskStatus, ...] = OPEN_STATUSES
    if "done" in cmd.filters:
        statuses = (TaskStatus.DONE,)
    elif "all" in cmd.filters:
        statuses = tuple(TaskStatus)
    elif "blocked" in cmd.filters:
        statuses = (TaskStatus.BLOCKED,)
    assignee_id = env.me.id if "mine" in cmd.filters else None
    subtitle = []
    who = project_name = None
    if cmd.people:
        person = env.known_person(cmd.people[0])
        assignee_id = person.id
        who = env.who(person)
        subtitle.append(env.t("list_filter_person", who=who))
    project_id = None
    if cmd.projects:
        project = queries.find_project(env.s, env.ws, cmd.projects[0])
        if project is None:
            raise UserError("unknown_project", project=cmd.projects[0])
        project_id, project_name = project.id, project.name
        subtitle.append(env.t("list_filter_project", project=project.name))
    f = queries.TaskFilter(
        channel_id=env.channel.id,
        statuses=statuses,
        assignee_id=assignee_id,
        project_id=project_id,
        due_before=env.today if "overdue" in cmd.filters else None,
        due_on=env.today if "today" in cmd.filters else None,
        limit=LIST_FETCH_MAX,
    )
    tasks = queries.list_tasks(env.s, f)
    total = len(tasks) if len(tasks) < LIST_FETCH_MAX else queries.count_tasks(env.s, f)
    title = env.t(_list_title(cmd.filters))
    if subtitle:
        title += " · " + " · ".join(subtitle)
    if not tasks:
        return Reply(
            title, [Line(_nothing_found(env, cmd, f, who, project_name))], people=env.people
        )
    lights = views.rank(env, tasks)  # before the cut: a red task never hides behind the limit
    counts = {
        light: sum(1 for value in lights.values() if value and value.value == light)
        for light in ("red", "yellow", "green")
    }
    shown = tasks[: env.ctx.config.list_limit]
    lines = views.task_lines(env, shown)
    fields = [("", env.t("list_counts", total=total, **counts))]
    if total > len(shown):
        lines.append(Line(env.t("list_more", more=total - len(shown))))
    worst = next((line.light for line in lines if line.light), None)
    return Reply(title, lines, fields=fields, light=worst, people=env.people)


def my_tasks(env: Env, cmd: Command) -> Reply:
    tasks = queries.open_tasks_of(env.s, env.me.id, limit=LIST_FETCH_MAX)
    title = env.t("list_title_mine")
    if not tasks:
        return Reply(title, [Line(env.t("home_empty"))], people=env.people)
    views.rank(env, tasks)
    shown = tasks[: env.ctx.config.list_limit]
    lines = views.task_lines(env, shown)
    if len(tasks) > len(shown):
        lines.append(Line(env.t("list_more", more=len(tasks) - len(shown))))
    return Reply(title, lines, light=lines[0].light, people=env.people)


_STATUS_FILTERS = ("overdue", "today", "blocked", "done", "all")


def _nothing_found(
    env: Env, cmd: Command, f: queries.TaskFilter, who: str | None, project: str | None
) -> str:
    """What an empty list says: the filter that found nothing ("No overdue tasks here"), not
    that the channel has no tasks, unless it truly has none."""
    kinds = [name for name in _STATUS_FILTERS if name in cmd.filters]
    scoped = bool(who or project or "mine" in cmd.filters)
    if not kinds and not scoped:
        everything = replace(f, statuses=tuple(TaskStatus), limit=None)
        if queries.count_tasks(env.s, everything) == 0:
            return env.t("list_empty")
    where = []
    if project:
        where.append(env.t("list_none_in_project", project=project))
    if who:
        where.append(env.t("list_none_for", who=who))
    elif "mine" in cmd.filters:
        where.append(env.t("list_none_for_you"))
    scope = "".join(where) if where else env.t("list_none_here")
    if len(kinds) > 1:
        labels = " + ".join(env.t(f"list_title_{k}") for k in kinds)
        return env.t("list_none_match", filters=labels, scope=scope)
    return env.t(f"list_none_{kinds[0] if kinds else 'open'}", scope=scope)


def _list_title(filters: frozenset[str]) -> str:
    for name in ("overdue", "blocked", "today", "done", "mine", "all"):
        if name in filters:
            return f"list_title_{name}"
    return "list_title"


def show(env: Env, cmd: Command) -> Reply:
    task = env.task(cmd.task)
    people = queries.members_by_id(env.s, {i for i in (task.assignee_id, task.creator_id) if i})
    project = queries.projects_by_id(env.s, {task.project_id} if task.project_id else set())
    blocker = queries.open_blocker(env.s, task) if task.status == TaskStatus.BLOCKED else None
    v = views.verdict(env, task)
    fields = [
        (env.t("field_status"), env.t(f"status_{task.status}")),
        (env.t("field_owner"), env.who(people.get(task.assignee_id))),
        (env.t("field_due"), views.due_text(env, task) or env.t("no_date")),
        (env.t("field_progress"), f"{task.progress}%"),
        (env.t("field_creator"), env.who(people.get(task.creator_id))),
    ]
    if task.start_date:
        fields.append((env.t("field_start"), fmt_date(env.lang, task.start_date, env.today)))
    if task.project_id:
        fields.append((env.t("field_project"), "+" + project[task.project_id].name))
    if task.phase_id and (phase := queries.phase_by_id(env.s, task.phase_id)) is not None:
        fields.append((env.t("field_phase"), phase.name))
    if v.light:
        fields.append((env.t("field_light"), f"{v.light.emoji} {views.reason(env, v, blocker)}"))
    lines = dependencies.show_lines(env, task)
    events = queries.task_events(env.s, task)
    actors = queries.members_by_id(
        env.s,
        {e.actor_id for e in events}
        | {
            int(value) for e in events if e.field == "assignee" for value in (e.old, e.new) if value
        },
    )
    lines.append(Line(f"{env.t('history')}:"))
    lines.extend(Line(views.event_text(env, e, actors)) for e in events[-10:])
    return Reply(
        f"#{task.number} {task.title}",
        lines,
        fields=fields,
        light=v.light,
        actions=views.actions(env, task),
        people=env.people,
    )


def start(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    _require_open(env, task)
    if task.status == TaskStatus.DOING:
        raise UserError("already_doing", task=task.number)
    if task.status == TaskStatus.BLOCKED:
        blocker = queries.open_blocker(env.s, task)
        raise UserError("is_blocked", task=task.number, reason=blocker.reason if blocker else "?")
    waiting = dependencies.open_predecessors(env, task)
    set_status(env, task, TaskStatus.DOING, cmd.text)
    warning = (
        env.t("after_start_early", task=task.number, afters=dependencies.numbers(waiting))
        if waiting
        else ""
    )
    return confirm(env, "started", task, warning)


def done(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if task.status == TaskStatus.DONE:
        raise UserError("already_done", task=task.number)
    if task.status == TaskStatus.CANCELLED:
        raise UserError("is_closed", task=task.number, status=env.t("status_cancelled"))
    extra = []
    if task.status == TaskStatus.BLOCKED:
        extra.append(resolve_blocker(env, task, cmd.text))
    set_status(env, task, TaskStatus.DONE, cmd.text)
    set_field(env, task, "progress", 100)
    return confirm(env, "done", task, *extra, env.t("note_line", note=cmd.text) if cmd.text else "")


def cancel(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if task.status == TaskStatus.CANCELLED:
        raise UserError("already_cancelled", task=task.number)
    if task.status == TaskStatus.DONE:
        raise UserError("is_closed", task=task.number, status=env.t("status_done"))
    if task.status == TaskStatus.BLOCKED:
        resolve_blocker(env, task, cmd.text)
    set_status(env, task, TaskStatus.CANCELLED, cmd.text)
    return confirm(env, "cancelled", task, env.t("note_line", note=cmd.text) if cmd.text else "")


def reopen(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if task.status not in CLOSED_STATUSES:
        raise UserError("not_closed", task=task.number, status=env.t(f"status_{task.status}"))
    if task.progress >= 100:
        set_field(env, task, "progress", 0)
    set_status(env, task, TaskStatus.DOING if task.progress > 0 else TaskStatus.TO_DO, cmd.text)
    return confirm(env, "reopened", task)


def progress(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    _require_open(env, task)
    if cmd.percent == 100:
        return done(env, Command("done", task=cmd.task))
    if not set_field(env, task, "progress", cmd.percent):
        raise UserError("same_progress", task=task.number, progress=cmd.percent)
    if task.status == TaskStatus.TO_DO and task.progress > 0:
        set_status(env, task, TaskStatus.DOING)
    return confirm(env, "progress_set", task, progress=task.progress)


def assign(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    if cmd.clear:
        set_field(env, task, "assignee", None)
        return confirm(env, "unassigned", task)
    person, is_new = env.person(cmd.people[0])
    set_field(env, task, "assignee", person.id)
    reply = confirm(env, "assigned", task, who=env.who(person))
    if is_new:
        reply.lines.append(Line(env.t("new_member", who=env.who(person))))
    return reply


def due(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    _require_open(env, task)
    if cmd.clear:
        set_field(env, task, "due", None)
        return confirm(env, "due_cleared", task)
    if cmd.due is None:  # the grammar gives a date or `clear`
        raise ValueError("due without a date")
    set_field(env, task, "due", cmd.due)
    past = env.t("due_in_past") if cmd.due < env.today else ""
    return confirm(env, "due_set", task, past, due=fmt_date(env.lang, cmd.due, env.today))


def snooze(env: Env, cmd: Command) -> Reply:
    task = env.changeable(cmd.task)
    _require_open(env, task)
    if task.due_date is None:
        raise UserError("snooze_no_due", task=task.number)
    new_due = max(task.due_date, env.today) + timedelta(days=cmd.days or 1)
    set_field(env, task, "due", new_due, f"snooze {cmd.days}d")
    return confirm(env, "snoozed", task, due=fmt_date(env.lang, new_due, env.today))


def _require_open(env: Env, task: Task) -> None:
    if task.status in CLOSED_STATUSES:
        raise UserError("is_closed", task=task.number, status=env.t(f"status_{task.status}"))
