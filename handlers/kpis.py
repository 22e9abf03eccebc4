"""KPIs of a plan: `kpi +x GMV target:500万 …` (指标), actuals (`kpi GMV 320万`), remedies, and
their pace (handlers/pace.py).

- Define (managers and admins): `kpi +双11大促 GMV target:500万 unit:元 label:电商 phase:爆发期
  plan:预热期=50万,爆发期=400万,长尾期=50万`. A KPI with labels (sales channels) has one row per
  label; defining a name and label again updates that row.
- Report (members too): `kpi GMV 320万 label:电商 [+project]`: a `KpiActual` with who and when,
  never overwriting the ones before. Without `+project`, the one open plan with a KPI of that
  name.
- Remedy (managers and admins): `kpi GMV remedy:"追加直播投放预算"`.
- Look: `kpi +x` (the plan's KPIs), `kpi +x GMV history` (recent actuals, who and when).

`record_actuals` is what the CSV import (`paceline kpi import`) and `POST /api/kpi` share: every
row checked before one is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers import grammar, pace
from handlers.context import CHANGERS, PLANNERS, Env
from handlers.errors import UserError
from handlers.grammar import Command, one_line
from handlers.messages import fmt_date, t
from handlers.numbers import fmt_amount, read_amount
from handlers.plan_state import KpiRow, PlanState, phase_span, state
from handlers.reply import Light, Line, Reply, moment
from storage import queries
from storage.models import Kpi, KpiActual, Project, Role, Workspace

NAME_MAX = 100
LABEL_MAX = 100
UNIT_MAX = 32
REMEDY_MAX = 500
HISTORY_ROWS = 10
SOURCES = ("chat", "csv", "api")
IMPORT_LANG = "en"  # what `paceline kpi import` and the API answer in (for machines)

# --- the grammar ---------------------------------------------------------------------------

_KEYS = {
    **dict.fromkeys(("target", "goal", "目标", "目标值"), "target"),
    **dict.fromkeys(("unit", "单位"), "unit"),
    **dict.fromkeys(("label", "channel", "渠道", "标签", "分类"), "label"),
    **dict.fromkeys(("phase", "阶段"), "phase"),
    **dict.fromkeys(("plan", "split", "计划", "分配"), "plan"),
    **dict.fromkeys(("remedy", "action", "对策", "措施", "补救"), "remedy"),
}
_KEY = re.compile(
    r"^("
    + "|".join(re.escape(k) for k in sorted(_KEYS, key=len, reverse=True))
    + r")\s*[:：](.*)$",
    re.IGNORECASE | re.DOTALL,
)
HISTORY_WORDS = frozenset({"history", "log", "历史", "记录", "历史记录"})
CHART_WORDS = frozenset({"chart", "graph", "图", "图表"})  # `kpi chart +x`: the KPI chart
CLEAR_WORDS = frozenset({"none", "clear", "-", "无", "清除"})
_PLAN_ITEM = re.compile(r"^(.+?)\s*[=＝:：]\s*(.+)$")
_PLAN_SEP = re.compile(r"[,，、;；]")


def _limited(value: str, limit: int, what: str) -> str:
    value = one_line(value).strip()
    if len(value) > limit:
        raise UserError("name_too_long", name=value[:20] + "…", limit=limit)
    if not value:
        raise UserError("kpi_key_empty", word=what)
    return value


def _plan(value: str) -> tuple[tuple[str, float], ...]:
    """`预热期=50万,爆发期=400万`: (phase, amount) pairs."""
    items: list[tuple[str, float]] = []
    for raw in _PLAN_SEP.split(value):
        if not raw.strip():
            continue
        found = _PLAN_ITEM.match(raw.strip())
        if found is None:
            raise UserError("kpi_plan_bad", item=raw.strip()[:40])
        name = _limited(found.group(1), NAME_MAX, "plan")
        if any(n.casefold() == name.casefold() for n, _ in items):
            raise UserError("kpi_plan_twice", phase=name)
        items.append((name, read_amount(found.group(2))))
    if not items:
        raise UserError("kpi_plan_bad", item=value[:40] or "…")
    return tuple(items)


def _looks_numeric(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or bool(
        re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+", word)
    )


def parse_kpi(verb: str, rest: str, today: date) -> Command:
    words = grammar._words(rest)
    projects: list[str] = []
    fields: dict[str, object] = {}
    name: str | None = None
    value: float | None = None
    history = False
    chart: str | None = None
    beyond_chart: list[str] = []  # words a chart takes no part of: fields, a number, `history`
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        key = _KEY.match(word.text) if word.raw[:1] not in grammar._QUOTES else None
        if key is not None:
            field_ = _KEYS[key.group(1).lower()]
            beyond_chart.append(word.raw)
            if field_ in fields:
                raise UserError("project_key_twice", word=key.group(1))
            text = key.group(2).strip()
            if not text and not word.quoted and i < len(words):
                text, i = words[i].text, i + 1  # `target: 500万`
            if field_ == "remedy" and not word.quoted:  # unquoted, it runs on to the next key
                while i < len(words) and not _KEY.match(words[i].text):
                    text, i = f"{text} {words[i].text}".strip(), i + 1
            fields[field_] = (text, key.group(1))
            continue
        if word.raw[:1] in "+＋" and not word.quoted:
            if projects and chart is None:
                raise UserError("kpi_extra", value=word.raw[:40], verb=verb)
            projects.append(grammar._project_name(word.text))
            continue
        if chart is None and not word.quoted and word.text.lower() in CHART_WORDS:
            chart = word.text
            continue
        if name is None and not word.quoted and word.text.lower() in HISTORY_WORDS:
            raise UserError("kpi_no_name", verb=verb)
        if name is not None and word.text.lower() in HISTORY_WORDS and not word.quoted:
            history = True
            beyond_chart.append(word.raw)
            continue
        if name is None:
            if (
                not word.quoted
                and _looks_numeric(word.text)
                and not any(ch.isalpha() and not _looks_numeric(ch) for ch in word.text)
            ):
                raise UserError("kpi_no_name", verb=verb)
            name = _limited(word.text, NAME_MAX, "name")
            continue
        if value is None and _looks_numeric(word.text):
            beyond_chart.append(word.raw)
            if chart is not None:
                break
            value = read_amount(word.text)
            continue
        raise UserError("kpi_extra", value=word.raw[:40], verb=verb)
    if chart is not None:
        if beyond_chart:
            extra = beyond_chart[0]
            raise UserError("kpichart_extra", value=extra[:40], verb=verb, chart=" " + chart)
        return chart_command(verb, projects, name, " " + chart)
    got = {k: v[0] for k, v in fields.items()}  # type: ignore[index]
    label = _limited(got["label"], LABEL_MAX, "label") if "label" in got else None
    defines = {"target", "unit", "phase", "plan"} & got.keys()
    if name is None:
        if fields or value is not None or history:
            raise UserError("kpi_no_name", verb=verb)
        if not projects:
            raise UserError("kpi_usage", verb=verb)
        return Command(verb, action="list", projects=tuple(projects))
    if history:
        if fields or value is not None:
            raise UserError("kpi_mixed", verb=verb, kpi=name)
        return Command(verb, action="history", name=name, projects=tuple(projects))
    if defines:
        if value is not None or "remedy" in got:
            raise UserError("kpi_mixed", verb=verb, kpi=name)
        if not projects:
            raise UserError("kpi_define_project", verb=verb, kpi=name)
        target_text = got.get("target")
        target = read_amount(target_text) if target_text is not None else None
        if target is not None and target <= 0:  # nothing to pace against
            raise UserError("kpi_target_zero", value=target_text, kpi=name)
        unit = _limited(got["unit"], UNIT_MAX, "unit") if "unit" in got else None
        if unit is None and target_text and target_text.strip().endswith(("%", "％")):
            unit = "%"
        phase = _limited(got["phase"], NAME_MAX, "phase") if "phase" in got else None
        return Command(
            verb,
            action="define",
            name=name,
            projects=tuple(projects),
            label=label,
            target=target,
            unit=unit,
            phase=phase,
            split=_plan(got["plan"]) if "plan" in got else (),
        )
    if "remedy" in got:
        if value is not None:
            raise UserError("kpi_mixed", verb=verb, kpi=name)
        remedy = one_line(got["remedy"]).strip()
        if not remedy:
            raise UserError("kpi_key_empty", word=fields["remedy"][1])  # type: ignore[index]
        if len(remedy) > REMEDY_MAX:
            raise UserError("name_too_long", name=remedy[:20] + "…", limit=REMEDY_MAX)
        return Command(
            verb,
            action="remedy",
            name=name,
            projects=tuple(projects),
            label=label,
            remedy=None if remedy.lower() in CLEAR_WORDS else remedy,
            clear=remedy.lower() in CLEAR_WORDS,
        )
    if value is None:
        if projects and label is None:
            return Command(verb, action="history", name=name, projects=tuple(projects))
        raise UserError("kpi_value_missing", verb=verb, kpi=name)
    return Command(
        verb, action="report", name=name, projects=tuple(projects), label=label, value=value
    )


def chart_command(verb: str, projects: list[str], name: str | None, chart: str) -> Command:
    """The one Command `kpi chart +x [KPI]` and `指标图 +x [KPI]` make (handlers/charts/
    kpi_chart.py answers it); `chart` is the chart word as typed after the verb (" chart",
    " 图") or "" after `指标图`, so an example echoes what was typed."""
    if not projects:
        raise UserError("kpichart_no_project", verb=verb, chart=chart)
    if len(projects) > 1:
        raise UserError(
            "kpichart_two_projects",
            projects=", ".join("+" + p for p in projects),
            verb=verb,
            chart=chart,
        )
    return Command("kpichart", projects=(projects[0],), name=name)


# --- who may, and who hears ------------------------------------------------------------------


def roles(cmd: Command) -> frozenset[Role] | None:
    """Defining and remedies: managers and admins; reporting a number: members too; looks:
    anyone."""
    if cmd.action in ("define", "remedy"):
        return PLANNERS
    if cmd.action == "report":
        return CHANGERS
    return None


def announces(cmd: Command) -> bool:
    return cmd.action in ("define", "remedy", "report")


# --- the handler -----------------------------------------------------------------------------


def kpi(env: Env, cmd: Command) -> Reply:
    return _ACTIONS[cmd.action or "list"](env, cmd)


def _plan_named(env: Env, name: str) -> Project:
    found = queries.find_project(env.s, env.ws, name)
    if found is None:
        raise UserError("project_not_found", project=name)
    if not found.is_plan:
        raise UserError("kpi_not_plan", project=found.name)
    return found


def _plan_of(env: Env, cmd: Command) -> Project:
    """The +project named, or else the one open plan with a KPI of this name."""
    if cmd.projects:
        return _plan_named(env, cmd.projects[0])
    assert cmd.name is not None
    found = queries.open_plans_with_kpi(env.s, env.ws, cmd.name.casefold())
    if not found:
        raise UserError("kpi_nowhere", kpi=cmd.name)
    if len(found) > 1:
        raise UserError(
            "kpi_which_project",
            kpi=cmd.name,
            projects=" / ".join("+" + p.name for p in found[:5]),
            example=f"+{found[0].name}",
        )
    return found[0]


def _rows(env: Env, plan: Project, name: str) -> list[Kpi]:
    rows = queries.kpis_named(env.s, plan.id, name.casefold())
    if not rows:
        known = ", ".join(dict.fromkeys(k.name for k in queries.kpis_of(env.s, plan.id)))
        raise UserError(
            "kpi_not_found", kpi=name, project=plan.name, known=known or env.t("kpi_known_none")
        )
    return rows


def _labels(rows: Sequence[Kpi]) -> str:
    return " / ".join(r.label for r in rows if r.label)


def _define(env: Env, cmd: Command) -> Reply:
    assert cmd.name is not None
    plan = _plan_named(env, cmd.projects[0])
    label = cmd.label or ""
    phases = queries.phases_of(env.s, plan.id)
    by_key = {p.key: p for p in phases}
    known = ", ".join(p.name for p in phases) or env.t("kpi_no_phases", project=plan.name)

    def phase_named(name: str) -> int:
        found = by_key.get(name.casefold())
        if found is None:
            raise UserError("kpi_phase_unknown", phase=name, project=plan.name, known=known)
        return found.id

    phase_id = phase_named(cmd.phase) if cmd.phase else None
    split = [(phase_named(name), amount) for name, amount in cmd.split]
    existing = next(
        (
            r
            for r in queries.kpis_named(env.s, plan.id, cmd.name.casefold())
            if r.label.casefold() == label.casefold()
        ),
        None,
    )
    if existing is None:
        if cmd.target is None:
            raise UserError("kpi_target_missing", kpi=cmd.name, project=plan.name)
        row = Kpi(
            project_id=plan.id,
            name=cmd.name,
            key=cmd.name.casefold(),
            label=label,
            unit=cmd.unit,
            target=cmd.target,
            phase_id=phase_id,
            created_by_id=env.me.id,
            created_at=env.now,
            updated_at=env.now,
        )
        title = "kpi_defined"
    else:
        row = existing  # its name keeps the spelling it was defined with
        if cmd.target is not None:
            row.target = cmd.target
        if cmd.unit is not None:
            row.unit = cmd.unit
        if cmd.phase is not None:
            row.phase_id = phase_id
        row.updated_at = env.now
        title = "kpi_updated"
    env.s.add(row)
    env.s.flush()
    if cmd.split:
        queries.replace_splits(env.s, row.id, split)
        env.s.flush()
    notes: list[Line] = []
    if cmd.split:
        total = sum(amount for _, amount in cmd.split)
        if abs(total - row.target) > 1e-9 * max(abs(row.target), 1.0):
            notes.append(
                Line(
                    env.t(
                        "kpi_split_mismatch",
                        total=fmt_amount(total, env.lang, row.unit),
                        target=fmt_amount(row.target, env.lang, row.unit),
                    )
                )
            )
    reply = _kpi_reply(
        env, plan, row.name, env.t(title, kpi=_named(row.name, row.label), project=plan.name)
    )
    reply.lines.extend(notes)
    return reply


def _report(env: Env, cmd: Command) -> Reply:
    assert cmd.name is not None and cmd.value is not None
    plan = _plan_of(env, cmd)
    row = _pick(_rows(env, plan, cmd.name), cmd.label)
    env.s.add(
        KpiActual(kpi_id=row.id, value=cmd.value, at=env.now, member_id=env.me.id, source="chat")
    )
    env.s.flush()
    title = env.t(
        "kpi_recorded",
        kpi=_named(row.name, row.label),
        value=fmt_amount(cmd.value, env.lang, row.unit),
        project=plan.name,
    )
    return _kpi_reply(env, plan, row.name, title, only=row.id)


def _remedy(env: Env, cmd: Command) -> Reply:
    assert cmd.name is not None
    plan = _plan_of(env, cmd)
    rows = _rows(env, plan, cmd.name)
    chosen = rows if cmd.label is None else [_pick(rows, cmd.label)]
    for row in chosen:
        row.remedy, row.updated_at = cmd.remedy, env.now
        env.s.add(row)
    env.s.flush()
    named = _named(chosen[0].name, cmd.label or "")
    if cmd.remedy is None:
        title = env.t("kpi_remedy_cleared", kpi=named, project=plan.name)
    else:
        title = env.t("kpi_remedy_set", kpi=named, project=plan.name, remedy=cmd.remedy)
    return _kpi_reply(env, plan, chosen[0].name, title)


def _list(env: Env, cmd: Command) -> Reply:
    plan = _plan_named(env, cmd.projects[0])
    now = state(env, plan)
    lines = _lines(env, now, now.kpis)
    if not lines:
        lines = [Line(env.t("kpi_list_empty", project=plan.name))]
    return Reply(env.t("kpi_list_title", project=plan.name), lines, people=env.people)


def _history(env: Env, cmd: Command) -> Reply:
    assert cmd.name is not None
    plan = _plan_of(env, cmd)
    rows = _rows(env, plan, cmd.name)
    by_id = {r.id: r for r in rows}
    found = queries.kpi_history(env.s, list(by_id), HISTORY_ROWS)
    reply = _kpi_reply(env, plan, rows[0].name, env.t("kpi_history_title", kpi=rows[0].name))
    if not found:
        reply.lines.append(Line(env.t("kpi_history_empty", kpi=rows[0].name)))
        return reply
    who = queries.members_by_id(env.s, {a.member_id for a in found if a.member_id})
    for actual in found:
        row = by_id[actual.kpi_id]
        reply.lines.append(
            Line(
                env.t(
                    "kpi_history_line",
                    when=moment(actual.at.replace(tzinfo=actual.at.tzinfo or UTC)),
                    kpi=_named(row.name, row.label),
                    value=fmt_amount(actual.value, env.lang, row.unit),
                    who=env.who(who.get(actual.member_id)) if actual.member_id else "—",
                    source=env.t(f"kpi_source_{actual.source}")
                    if actual.source in SOURCES
                    else actual.source,
                )
            )
        )
    reply.people = env.people
    return reply


_ACTIONS = {
    "define": _define,
    "report": _report,
    "remedy": _remedy,
    "list": _list,
    "history": _history,
}


def _kpi_reply(env: Env, plan: Project, name: str, title: str, only: int | None = None) -> Reply:
    """A reply whose lines are this KPI's rows as the plan stands now (`only`: one row)."""
    now = state(env, plan)
    rows = [
        r for r in now.kpis if r.kpi.key == name.casefold() and (only is None or r.kpi.id == only)
    ]
    lines = _lines(env, now, rows)
    light = next((line.light for line in lines if line.light is not None), None)
    return Reply(title, lines, light=light, people=env.people)


# --- how a KPI reads ------------------------------------------------------------------------


def _named(name: str, label: str) -> str:
    return f"{name} {label}" if label else name


def _planned_from(env: Env, st: PlanState, row: KpiRow, splits: dict[int, list]) -> date | None:
    """The first day anything is planned for this KPI row: its split's earliest phase with an
    amount, else its phase, else the plan."""
    by_id = {p.id: p for p in st.phases}
    starts = [
        span.start
        for s in splits.get(row.kpi.id, [])
        if s.amount > 0 and (span := phase_span(by_id.get(s.phase_id))) is not None
    ]
    if starts:
        return min(starts)
    if row.kpi.phase_id and (span := phase_span(by_id.get(row.kpi.phase_id))) is not None:
        return span.start
    return st.span.start if st.span is not None else None


def row_text(env: Env, st: PlanState, row: KpiRow, splits: dict[int, list]) -> str:
    """One KPI row: actual / target (unit), planned-to-date and pace, or when it is planned
    from."""
    kpi, p = row.kpi, row.pace
    head = env.t(
        "kpi_row",
        kpi=_named(kpi.name, kpi.label),
        actual=fmt_amount(p.actual or 0.0, env.lang, kpi.unit),
        target=fmt_amount(kpi.target, env.lang, kpi.unit),
    )
    if p.pace is None:
        start = _planned_from(env, st, row, splits)
        if start is None:
            return head + env.t("kpi_row_no_dates")
        return head + env.t("kpi_row_from", day=fmt_date(env.lang, start, env.today))
    return head + env.t(
        "kpi_row_pace",
        planned=fmt_amount(p.planned, env.lang, kpi.unit),
        pace=round(p.pace),
    )


def remedy_text(env: Env, st: PlanState, row: KpiRow) -> str | None:
    """What a red KPI row says it needs: the owner's own remedy; or, when labels of the KPI
    diverge, moving resources from the one ahead to the one behind; or a prompt to set one.
    None for a row that is not red. The digest says the same."""
    p = row.pace
    if p.light != Light.RED or p.pace is None:
        return None
    named = _named(row.kpi.name, row.kpi.label)
    if row.kpi.remedy:
        return env.t("kpi_remedy_own", kpi=named, pace=round(p.pace), remedy=row.kpi.remedy)
    move = pace.move_suggestion([r.pace for r in st.kpis], row.kpi.key)
    if move is not None:
        return env.t(
            "kpi_remedy_move",
            kpi=named,
            pace=round(p.pace),
            behind=move.behind.label,
            behind_pace=round(move.behind.pace or 0.0),
            ahead=move.ahead.label,
            ahead_pace=round(move.ahead.pace or 0.0),
        )
    return env.t("kpi_remedy_prompt", kpi=named, pace=round(p.pace), name=row.kpi.name)


def _lines(env: Env, st: PlanState, rows: list[KpiRow]) -> list[Line]:
    splits = queries.kpi_splits(env.s, [r.kpi.id for r in rows])
    lines: list[Line] = []
    for row in rows:
        lines.append(Line(row_text(env, st, row, splits), row.pace.light))
        if (remedy := remedy_text(env, st, row)) is not None:
            lines.append(Line(remedy, Light.RED))
    return lines


def plan_lines(env: Env, state: PlanState) -> list[Line]:
    """The KPIs as `project show` lists them: pace, light, remedy."""
    if not state.kpis:
        return []
    return [Line(env.t("kpi_heading")), *_lines(env, state, state.kpis)]


# --- actuals from a BI system: `paceline kpi import`, `POST /api/kpi` ------------------------


@dataclass(frozen=True)
class Incoming:
    """One actual as a file or an API call gives it, before it is checked."""

    project: str
    kpi: str
    value: object  # a number, or text such as "320万"
    label: str = ""
    at: str | None = None  # an ISO datetime, or a day in the workspace's zone


class RowError(Exception):
    """Row `index` (a line number, or an item's index) is wrong; `reason` says how, in English."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"{index}: {reason}")
        self.index, self.reason = index, reason


def _moment(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        if day > now.astimezone(zone).date():
            raise UserError("kpi_import_future", value=text)
        end = datetime.combine(day, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
        return min(end, now)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise UserError("kpi_import_date_bad", value=text[:40]) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    when = when.astimezone(UTC)
    if when > now + timedelta(minutes=5):
        raise UserError("kpi_import_future", value=text)
    return when


def _value(raw: object) -> float:
    if isinstance(raw, bool):
        raise UserError("bad_amount", value=str(raw))
    if isinstance(raw, (int, float)):
        if raw < 0 or raw != raw or raw in (float("inf"), float("-inf")):
            raise UserError("bad_amount", value=str(raw))
        return float(raw)
    if isinstance(raw, str):
        return read_amount(raw)
    raise UserError("bad_amount", value=str(raw)[:40])


def record_actuals(
    s: Session,
    ws: Workspace,
    items: Sequence[tuple[int, Incoming]],
    *,
    source: str,
    now: datetime,
    zone: str | None = None,
) -> int:
    """Every (index, item) checked first, then all recorded in the caller's transaction: a
    `RowError` for the first bad one and nothing written. Returns how many were recorded."""
    where = ZoneInfo(zone or queries.workspace_zone(s, ws) or "UTC")
    plans: dict[str, Project | None] = {}
    rows: dict[tuple[int, str], list[Kpi]] = {}
    ready: list[KpiActual] = []
    for index, item in items:
        try:
            key = item.project.strip().lstrip("+＋").strip()
            if not key:
                raise UserError("kpi_import_field", field="project")
            if key not in plans:
                plans[key] = queries.find_project(s, ws, key)
            plan = plans[key]
            if plan is None:
                raise UserError("project_not_found", project=key)
            if not plan.is_plan:
                raise UserError("kpi_not_plan", project=plan.name)
            name = item.kpi.strip()
            if not name:
                raise UserError("kpi_import_field", field="kpi")
            if (plan.id, name.casefold()) not in rows:
                rows[(plan.id, name.casefold())] = queries.kpis_named(s, plan.id, name.casefold())
            found = rows[(plan.id, name.casefold())]
            if not found:
                raise UserError("kpi_not_found", kpi=name, project=plan.name, known="…")
            label = item.label.strip()
            row = _pick(found, label or None)
            value = _value(item.value)
            at = _moment(item.at, where, now) if item.at and item.at.strip() else now
        except UserError as err:
            raise RowError(index, t(IMPORT_LANG, err.key, **err.params)) from None
        ready.append(KpiActual(kpi_id=row.id, value=value, at=at, member_id=None, source=source))
    s.add_all(ready)
    s.flush()
    return len(ready)


def _pick(rows: list[Kpi], label: str | None) -> Kpi:
    """The row a number is for: its label's, or the KPI as a whole."""
    if label is not None:
        for row in rows:
            if row.label.casefold() == label.casefold():
                return row
        raise UserError(
            "kpi_label_unknown", kpi=rows[0].name, label=label, labels=_labels(rows) or "—"
        )
    whole = next((r for r in rows if not r.label), None)
    if whole is None:
        raise UserError(
            "kpi_label_needed", kpi=rows[0].name, labels=_labels(rows), first=rows[0].label
        )
    return whole


__all__ = [
    "Incoming",
    "RowError",
    "announces",
    "kpi",
    "parse_kpi",
    "plan_lines",
    "record_actuals",
    "remedy_text",
    "roles",
]
