"""Phases of a plan: `phase add|edit|remove|list` (阶段 添加|编辑|删除|列表), and a task's phase
(`phase:` on add, `task 12 phase:爆发期`: handlers/tasks.py calls `phase_of`).

    phase add +双11大促 预热期 11-01..11-15 @张三 deliverable:"预热素材全部上线"
    阶段 添加 +双11大促 预热期 11月1日至11月15日 @张三 交付物:"预热素材全部上线"
    phase edit +双11大促 预热期 end:11-16 @李四 name:Warm-up
    phase remove +双11大促 预热期
    phase list +双11大促            (also `phase +双11大促`)

Dates read like a plan's (`2026-11-01..2026-11-15`, `11-01~11-15`, `start:` / `end:`), with one
difference: a date written without a year that has already passed this year is this year's
when it falls in the plan's dates (a campaign already running plans its phases in its own
year), and next year's otherwise, with a note. A phase outside the plan's dates, or one that
overlaps another, is kept with a note: neither is refused.

Removing a phase keeps its tasks (their phase is cleared, and each task's history says so). A
phase that a KPI is measured in, or that a KPI's planned split names, is not removed: the
refusal names the KPIs, since dropping a share of a split would silently change the KPI's pace.

A phase's light (`phase_light`, a pure function of the day):

- none while it has no tasks, and none before its start when nothing in it is due yet (no open
  task due by today) and no task in it is red;
- red when its end has passed with tasks still open, or a task in it is red;
- yellow when a task in it is yellow, or its share of tasks done is more than 25 points behind
  the linear expectation over its dates (the share of its days over by the end of yesterday;
  25 is the tasks' own threshold, PACELINE_BEHIND_POINTS);
- green otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from handlers import plan_state
from handlers.context import Env
from handlers.dates import Reading
from handlers.errors import UserError
from handlers.grammar import (
    _PROJECT_KEYS,
    _QUOTES,
    _RANGE,
    NONE_WORDS,
    Command,
    _joined_note,
    _limit,
    _person,
    _project_date,
    _project_name,
    _range_like,
    _Word,
    _words,
    one_line,
    phase_word,
)
from handlers.messages import fmt_date
from handlers.pace import Span
from handlers.plan_state import PlanState
from handlers.reply import Light, Line, Reply
from storage import queries
from storage.models import Phase, Project, TaskStatus

DELIVERABLE_MAX = 500
BEHIND_POINTS = 25.0  # a phase this far behind its linear expectation (in points) is yellow

PHASE_ACTIONS: dict[str, tuple[str, ...]] = {
    "add": ("add", "new", "create", "添加", "新建", "新增", "创建"),
    "edit": ("edit", "set", "update", "change", "编辑", "修改", "更新"),
    "remove": ("remove", "delete", "rm", "del", "删除", "移除", "删掉"),
    "list": ("list", "ls", "show", "列表", "查看"),
}
_ACTION_OF = {w.lower(): name for name, words in PHASE_ACTIONS.items() for w in words}
_CJK_ACTIONS = sorted((w for w in _ACTION_OF if not w.isascii()), key=len, reverse=True)
_KEYS = {
    **{word: kind for word, kind in _PROJECT_KEYS.items() if kind in ("start", "end")},
    **dict.fromkeys(
        ("deliverable", "deliverables", "output", "交付物", "交付", "产出"), "deliverable"
    ),
    **dict.fromkeys(("name", "rename", "名称", "改名", "新名称", "新名字"), "name"),
}
_KEY = re.compile(
    r"^("
    + "|".join(re.escape(k) for k in sorted(_KEYS, key=len, reverse=True))
    + r")\s*[:：](.*)$",
    re.IGNORECASE | re.DOTALL,
)
# `Command.filters` of a phase command: which of its dates were written without a year and have
# passed this year (their value is this year's); the handler reads them against the plan.
START_PAST = "start-past"
END_PAST = "end-past"


# --- the grammar ------------------------------------------------------------------------------


def _action(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    if not rest or rest[0] in "+＋":
        return "list", rest
    for word in _CJK_ACTIONS:  # glued: `阶段添加 +双11大促 …`
        if rest.startswith(word):
            return _ACTION_OF[word], rest[len(word) :].strip()
    first, _, after = rest.partition(" ")
    action = _ACTION_OF.get(first.lower())
    if action is None:
        raise UserError("phase_action_bad", value=first[:40])
    return action, after.strip()


def _day(reading: Reading) -> tuple[date, bool]:
    """A date as this year's when it has no year and has passed (see START_PAST), and whether
    it has."""
    if reading.rolled_from is not None:
        return reading.rolled_from, True
    return reading.day, False


def parse_phase(verb: str, rest: str, today: date) -> Command:
    action, rest = _action(rest)
    words = _words(rest)
    project: str | None = None
    name: str | None = None
    people: list[str] = []
    fields: dict[str, object] = {}
    deliverable_words: list[str] | None = None  # an unquoted deliverable runs to the next key
    taken = 0
    for following, word in enumerate(words, start=1):
        if taken:
            taken -= 1
            continue
        quoted_first = word.raw[:1] in _QUOTES
        key = _KEY.match(word.text) if not quoted_first else None
        person = None if word.quoted or key else _person(word.raw)
        is_project = word.raw[:1] in "+＋"
        is_range = not word.quoted and key is None and _range_like(word.text, today)
        if deliverable_words is not None and not (key or person or is_project or is_range):
            deliverable_words.append(word.text)
            continue
        deliverable_words = None
        if is_project:
            if project is not None:
                raise UserError("phase_one_project", first=project, second=word.raw[:40])
            project = _project_name(word.text)
        elif key is not None:
            kind = _KEYS[key.group(1).lower()]
            value = key.group(2).strip()
            if kind in fields:
                raise UserError("phase_key_twice", word=key.group(1))
            if kind == "deliverable" and not word.quoted:
                deliverable_words = [value] if value else []
                fields[kind] = deliverable_words
                continue
            if not value and not word.quoted and following < len(words):
                value, taken = words[following].text, 1
            if kind == "deliverable":
                fields[kind] = [value]
            elif kind == "name":
                fields[kind] = _new_name(value)
            else:
                fields[kind] = _day(_project_date(value, today))
        elif person is not None:
            people.append(person)
        elif is_range:
            if "range" in fields:
                raise UserError("phase_key_twice", word=word.raw[:40])
            fields["range"] = _phase_range(word.text, today)
        elif name is None and action != "list":
            name = _phase_name(word)
        else:
            raise UserError("phase_extra", value=word.raw[:40], verb=verb)
    if project is None:
        raise UserError(f"phase_{action}_no_project", verb=verb)
    if action == "list":
        if fields or people:
            extra = next(w.raw for w in words if w.raw[:1] not in "+＋")
            raise UserError("phase_extra", value=extra[:40], verb=verb)
        return Command(verb, action=action, projects=(project,))
    if name is None:
        raise UserError(f"phase_{action}_no_name", verb=verb, project=project)
    if action == "remove":
        if fields or people:
            extra = next(w.raw for w in words if w.raw[:1] not in "+＋" and w.text != name)
            raise UserError("phase_extra", value=extra[:40], verb=verb)
        return Command(verb, action=action, projects=(project,), phase=name)
    if action == "add" and "name" in fields:
        raise UserError("phase_rename_on_add", verb=verb)
    if len(people) > 1:
        raise UserError("one_assignee", names=", ".join("@" + p for p in people))
    flags: set[str] = set()
    dated: tuple[tuple[date, bool] | None, tuple[date, bool] | None]
    if "range" in fields:
        if "start" in fields or "end" in fields:
            raise UserError("phase_key_twice", word="start/end")
        dated = fields["range"]  # type: ignore[assignment]
    else:
        dated = (fields.get("start"), fields.get("end"))  # type: ignore[assignment]
    start, start_past = dated[0] or (None, False)
    end, end_past = dated[1] or (None, False)
    if start_past:
        flags.add(START_PAST)
    if end_past:
        flags.add(END_PAST)
    if start and end and end < start and not flags:
        raise UserError("project_end_before_start", start=start.isoformat(), end=end.isoformat())
    deliverable = None
    if "deliverable" in fields:
        text = one_line(" ".join(fields["deliverable"])).strip()  # type: ignore[arg-type]
        if not text:
            raise UserError("phase_deliverable_empty", verb=verb)
        # `deliverable:none` clears it (an edit): "" says so
        deliverable = "" if text.lower() in NONE_WORDS else text
        deliverable = _limit(deliverable, DELIVERABLE_MAX, "phase_deliverable_too_long")
    new_name = fields.get("name")
    if action == "edit" and not (people or deliverable is not None or start or end or new_name):
        raise UserError("phase_edit_nothing", verb=verb, project=project, phase=name)
    return Command(
        verb,
        action=action,
        projects=(project,),
        phase=name,
        name=new_name if isinstance(new_name, str) else None,
        people=tuple(people),
        start=start,
        end=end,
        deliverable=deliverable,
        filters=frozenset(flags),
        notes=tuple(note for person in people for note in _joined_note(person)),
    )


def _phase_name(word: _Word) -> str:
    name = phase_word(word.text)
    if not name:  # `none` names no phase
        raise UserError("phase_name_bad", value=word.raw[:40])
    return name


def _new_name(value: str) -> str:
    name = phase_word(value) if value else ""
    if not name:
        raise UserError("phase_name_bad", value=value[:40] or "…")
    return name


def _phase_range(text: str, today: date) -> tuple[tuple[date, bool], tuple[date, bool]]:
    m = _RANGE.match(text)
    if m is None:
        raise UserError("project_range_bad", value=text[:60])
    return _day(_project_date(m.group(1), today)), _day(_project_date(m.group(2), today))


def announces(cmd: Command) -> bool:
    """A phase added, changed or removed is news for the channel; a look is not."""
    return cmd.action in ("add", "edit", "remove")


# --- the light of a phase, a pure function of the day --------------------------------------------


@dataclass(frozen=True)
class PhaseTally:
    """A phase's tasks: how many (cancelled ones do not count), how many are done, the lights
    of the open ones, and how many open ones are due by today."""

    total: int = 0
    done: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    due: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done

    @property
    def share_done(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class PhaseVerdict:
    """A phase's light (None: no light yet) and what decided it: a message key and its values."""

    light: Light | None
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)


def phase_light(
    span: Span | None, tally: PhaseTally, today: date, *, behind: float = BEHIND_POINTS
) -> PhaseVerdict:
    """The light of a phase with dates `span` (None: undated) and tasks `tally` on `today`
    (the rules are in this module's docstring); `behind`: the points behind the linear
    expectation past which it is yellow (the tasks' own threshold, PACELINE_BEHIND_POINTS)."""
    if tally.total == 0:
        return PhaseVerdict(None, "phase_why_no_tasks")
    if span is not None and today < span.start and tally.due == 0 and tally.red == 0:
        return PhaseVerdict(None, "phase_why_not_started", {"start": span.start})
    if span is not None and today > span.end and tally.open:
        return PhaseVerdict(Light.RED, "phase_why_over", {"open": tally.open, "end": span.end})
    if tally.red:
        return PhaseVerdict(Light.RED, "phase_why_red", {"count": tally.red})
    if tally.yellow:
        return PhaseVerdict(Light.YELLOW, "phase_why_yellow", {"count": tally.yellow})
    if span is not None:
        expected = 100.0 * span.done_share(today)
        if expected - tally.share_done > behind:
            params = {"done": round(tally.share_done), "expected": round(expected)}
            return PhaseVerdict(Light.YELLOW, "phase_why_behind", params)
    return PhaseVerdict(Light.GREEN, "phase_why_green")


# --- what `project show` says of the phases -------------------------------------------------------


def tallies(env: Env, state: PlanState) -> dict[int, PhaseTally]:
    """Each phase's tally, by phase id, from the plan's state and one count query."""
    counts = queries.phase_task_counts(env.s, state.project.id) if state.phases else {}
    lights: dict[int, dict[Light, int]] = {}
    due: dict[int, int] = {}
    for task in state.tasks:  # the open ones, once
        if task.phase_id is None:
            continue
        light = state.lights.get(task.id)
        if light is not None:
            by_light = lights.setdefault(task.phase_id, {})
            by_light[light] = by_light.get(light, 0) + 1
        if task.due_date is not None and task.due_date <= env.today:
            due[task.phase_id] = due.get(task.phase_id, 0) + 1
    found: dict[int, PhaseTally] = {}
    for phase in state.phases:
        by_status = counts.get(phase.id, {})
        by_light = lights.get(phase.id, {})
        found[phase.id] = PhaseTally(
            total=sum(n for s, n in by_status.items() if s != TaskStatus.CANCELLED.value),
            done=by_status.get(TaskStatus.DONE.value, 0),
            red=by_light.get(Light.RED, 0),
            yellow=by_light.get(Light.YELLOW, 0),
            green=by_light.get(Light.GREEN, 0),
            due=due.get(phase.id, 0),
        )
    return found


def plan_lines(env: Env, state: PlanState) -> list[Line]:
    """The phases as `project show` lists them: a heading, then one line each with its dates,
    owner, deliverable, progress and light, the one running today marked."""
    if not state.phases:
        return []
    counts = tallies(env, state)
    owners = queries.members_by_id(env.s, {p.owner_id for p in state.phases if p.owner_id})
    lines = [Line(env.t("phase_heading", count=len(state.phases)))]
    for phase in state.phases:
        lines.append(_line(env, phase, counts[phase.id], owners.get(phase.owner_id)))
    return lines


def _line(env: Env, phase: Phase, tally: PhaseTally, owner: object) -> Line:
    span = plan_state.phase_span(phase)
    verdict = phase_light(span, tally, env.today, behind=env.ctx.config.thresholds.behind_points)
    running = span is not None and span.start <= env.today <= span.end
    if tally.total:
        progress = env.t(
            "phase_progress",
            done=tally.done,
            total=tally.total,
            share=round(tally.share_done),
            red=tally.red,
            yellow=tally.yellow,
            green=tally.green,
        )
    else:
        progress = env.t("phase_progress_none")
    text = env.t(
        "phase_line",
        phase=phase.name,
        running=env.t("phase_running") if running else "",
        dates=_dates(env, phase.start_date, phase.end_date),
        owner=env.who(owner),  # type: ignore[arg-type]
        deliverable=(
            env.t("phase_deliverable", deliverable=phase.deliverable) if phase.deliverable else ""
        ),
        progress=progress,
    )
    if verdict.light in (Light.RED, Light.YELLOW) or verdict.reason == "phase_why_not_started":
        text += " — " + _why(env, verdict)
    return Line(text, verdict.light)


def _why(env: Env, verdict: PhaseVerdict) -> str:
    params = {
        k: fmt_date(env.lang, v, env.today) if isinstance(v, date) else v
        for k, v in verdict.params.items()
    }
    return env.t(verdict.reason, **params)


def _dates(env: Env, start: date | None, end: date | None) -> str:
    if start and end:
        return env.t(
            "project_dates",
            start=fmt_date(env.lang, start, env.today),
            end=fmt_date(env.lang, end, env.today),
            days=(end - start).days + 1,
        )
    if start:
        return env.t("project_dates_from", start=fmt_date(env.lang, start, env.today))
    if end:
        return env.t("project_dates_until", end=fmt_date(env.lang, end, env.today))
    return env.t("project_dates_none")


# --- a task's phase ------------------------------------------------------------------------------


def phase_of(env: Env, project: Project, name: str) -> Phase:
    """The phase `name` of a plan, for a task to join; a clear refusal otherwise."""
    if not project.is_plan:
        raise UserError("phase_project_not_plan", project=project.name, phase=name)
    found = queries.find_phase(env.s, project.id, name)
    if found is None:
        raise _unknown(env, project, name)
    return found


def _unknown(env: Env, project: Project, name: str) -> UserError:
    known = queries.phases_of(env.s, project.id)
    if not known:
        return UserError("phase_unknown_none", project=project.name, phase=name)
    listed = ", ".join(p.name for p in known)
    return UserError("phase_unknown", project=project.name, phase=name, phases=listed)


# --- the commands --------------------------------------------------------------------------------


def phase(env: Env, cmd: Command) -> Reply:
    return _ACTIONS[cmd.action or "list"](env, cmd)


def _plan(env: Env, cmd: Command, *, for_update: bool = False) -> Project:
    name = cmd.projects[0]
    found = queries.find_project(env.s, env.ws, name, for_update=for_update)
    if found is None:
        raise UserError("project_not_found", project=name)
    if not found.is_plan:
        raise UserError("project_not_plan", project=found.name)
    return found


def _find(env: Env, plan: Project, name: str) -> Phase:
    found = queries.find_phase(env.s, plan.id, name)
    if found is None:
        raise _unknown(env, plan, name)
    return found


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _resolve(
    env: Env, cmd: Command, plan: Project, start: date | None, end: date | None
) -> tuple[date | None, date | None, list[str]]:
    """The phase's dates: a year-less date that has passed this year stays this year's when it
    falls in the plan (or, for a start, when next year's would come after the end); otherwise
    it is next year's, said in a note. `start`/`end`: the phase's dates where the command does
    not change them."""
    notes: list[str] = []
    span = plan_state.project_span(plan, env.local_day(plan.created_at))

    def in_plan(day: date) -> bool:
        return span is not None and span.start <= day <= span.end

    def rolled(day: date) -> date:
        later = _next_year(day)
        notes.append(env.t("phase_date_rolled", past=day.isoformat(), day=later.isoformat()))
        return later

    flagged = [
        day
        for day, flag in ((cmd.start, START_PAST), (cmd.end, END_PAST))
        if day is not None and flag in cmd.filters
    ]
    this_year = any(in_plan(day) for day in flagged)  # the campaign is running: its year
    if cmd.end is not None:
        end = cmd.end
        if END_PAST in cmd.filters and not this_year:
            end = rolled(end)
    if cmd.start is not None:
        start = cmd.start
        # a start kept this year when next year's would come after the end (as a plan's)
        keep = this_year or (end is not None and start <= end < _next_year(start))
        if START_PAST in cmd.filters and not keep:
            start = rolled(start)
    if start and end and end < start:
        raise UserError("project_end_before_start", start=start.isoformat(), end=end.isoformat())
    return start, end, notes


def _placement(env: Env, plan: Project, row: Phase) -> list[str]:
    """Notes, never refusals: a phase outside the plan's dates, or overlapping another."""
    notes: list[str] = []
    span = plan_state.phase_span(row)
    if span is None:
        return notes
    outside = (plan.start_date is not None and span.start < plan.start_date) or (
        plan.end_date is not None and span.end > plan.end_date
    )
    if outside:
        notes.append(
            env.t(
                "phase_outside_plan",
                phase=row.name,
                project=plan.name,
                dates=_dates(env, plan.start_date, plan.end_date),
            )
        )
    overlapping = []
    for other in queries.phases_of(env.s, plan.id):
        other_span = plan_state.phase_span(other)
        if other.id == row.id or other_span is None:
            continue
        if other_span.start <= span.end and span.start <= other_span.end:
            overlapping.append(other.name)
    if overlapping:
        notes.append(env.t("phase_overlaps", phase=row.name, others=", ".join(overlapping)))
    return notes


def _reply(env: Env, plan: Project, row: Phase, title: str, notes: list[str]) -> Reply:
    state = plan_state.state(env, plan)
    tally = tallies(env, state).get(row.id, PhaseTally())
    owner = queries.members_by_id(env.s, {row.owner_id}).get(row.owner_id) if row.owner_id else None
    line = _line(env, row, tally, owner)
    lines = [line, *(Line(text) for text in notes)]
    return Reply(title, lines, light=line.light, people=env.people)


def _add(env: Env, cmd: Command) -> Reply:
    plan = _plan(env, cmd, for_update=True)  # adds to one plan take turns
    name = cmd.phase or ""
    existing = queries.find_phase(env.s, plan.id, name)
    if existing is not None:
        raise UserError("phase_exists", project=plan.name, phase=existing.name)
    start, end, notes = _resolve(env, cmd, plan, None, None)
    owner = env.me
    if cmd.people:
        owner, is_new = env.person(cmd.people[0])
        if is_new:
            notes.append(env.t("new_member", who=env.who(owner)))
    row = Phase(
        project_id=plan.id,
        name=name,
        key=name.casefold(),
        start_date=start,
        end_date=end,
        owner_id=owner.id,
        deliverable=cmd.deliverable or None,
        created_at=env.now,
        updated_at=env.now,
    )
    env.s.add(row)
    env.s.flush()
    notes.extend(_placement(env, plan, row))
    title = env.t("phase_added", phase=row.name, project=plan.name)
    return _reply(env, plan, row, title, notes)


def _edit(env: Env, cmd: Command) -> Reply:
    plan = _plan(env, cmd, for_update=True)
    row = _find(env, plan, cmd.phase or "")
    old_name = row.name
    start, end, notes = _resolve(env, cmd, plan, row.start_date, row.end_date)
    if cmd.name is not None and cmd.name.casefold() != row.key:
        taken = queries.find_phase(env.s, plan.id, cmd.name)
        if taken is not None:
            raise UserError("phase_exists", project=plan.name, phase=taken.name)
    if cmd.name is not None:
        row.name, row.key = cmd.name, cmd.name.casefold()
    if cmd.people:
        owner, is_new = env.person(cmd.people[0])
        if is_new:
            notes.append(env.t("new_member", who=env.who(owner)))
        row.owner_id = owner.id
    if cmd.deliverable is not None:
        row.deliverable = cmd.deliverable or None
    row.start_date, row.end_date, row.updated_at = start, end, env.now
    env.s.add(row)
    env.s.flush()
    if row.name != old_name:
        notes.insert(0, env.t("phase_renamed", old=old_name, phase=row.name))
    notes.extend(_placement(env, plan, row))
    title = env.t("phase_edited", phase=row.name, project=plan.name)
    return _reply(env, plan, row, title, notes)


def _remove(env: Env, cmd: Command) -> Reply:
    plan = _plan(env, cmd, for_update=True)
    row = _find(env, plan, cmd.phase or "")
    kpis = queries.kpis_of(env.s, plan.id)
    splits = queries.kpi_splits(env.s, [k.id for k in kpis])
    using = [
        k.name + (f" {k.label}" if k.label else "")
        for k in kpis
        if k.phase_id == row.id or any(p.phase_id == row.id for p in splits.get(k.id, []))
    ]
    if using:
        raise UserError(
            "phase_used_by_kpis", project=plan.name, phase=row.name, kpis=", ".join(using)
        )
    tasks = queries.phase_tasks(env.s, row.id, for_update=True)
    for task in tasks:
        task.phase_id, task.updated_at = None, env.now
        env.s.add(task)
        queries.add_event(env.s, task, env.me, "phase", row.name, None, env.now)
    env.s.flush()  # the tasks let go of the phase before it goes
    env.s.delete(row)
    env.s.flush()
    title = env.t("phase_removed", phase=row.name, project=plan.name)
    lines = [Line(env.t("phase_removed_tasks", phase=row.name, count=len(tasks)))]
    return Reply(title, lines, people=env.people)


def _list(env: Env, cmd: Command) -> Reply:
    plan = _plan(env, cmd)
    state = plan_state.state(env, plan)
    title = env.t("phase_list_title", project=plan.name)
    lines = plan_lines(env, state)[1:]  # the title says what the heading would
    if not lines:
        lines = [Line(env.t("phase_list_empty", project=plan.name))]
    worst = next(
        (
            light
            for light in (Light.RED, Light.YELLOW, Light.GREEN)
            if any(line.light == light for line in lines)
        ),
        None,
    )
    return Reply(title, lines, light=worst, people=env.people)


_ACTIONS = {"add": _add, "edit": _edit, "remove": _remove, "list": _list}
