"""The manager's morning look and the kanban in chat:

- `portfolio` / `全局`: every open project of the workspace across channels, one line each
  (light, the worst KPI with its pace, buffer used, forecast vs planned finish, red tasks),
  worst first, for managers and admins; anyone else gets their own open tasks across channels,
  with a line saying why. Built from `plan_state.summaries` in a fixed number of queries.
- `board +双11大促 [page:2]` / `看板 +双11大促 [页:2]`: a project's tasks in columns by status
  (to do, doing, blocked, done in the last 7 days), each card `#12 title` with its light and
  owner. A page holds what fits one Slack message (50 blocks, 3000 characters a section) and one
  WeCom group-robot markdown message (4096 bytes) alike, so a page is never split or cut; the
  reply says which page it is and the command for the next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from handlers import plan_state, views
from handlers.context import Env
from handlers.errors import UserError
from handlers.grammar import Command, _project_name, _words
from handlers.messages import LANGS, fmt_date
from handlers.messages import t as say
from handlers.pace import Buffer, KpiPace, used_text
from handlers.plan_state import PlanSummary
from handlers.reply import MENTION, Line, Reply
from storage import queries
from storage.models import Member, Project, Task, TaskStatus

# --- portfolio ---------------------------------------------------------------------------------


def portfolio(env: Env, cmd: Command) -> Reply:
    if not env.can_plan():
        return _mine(env)
    projects = queries.open_projects(env.s, env.ws)
    summaries = plan_state.summaries(env, projects)
    # a tag no open task names any more is no project to watch
    shown = [summaries[p.id] for p in projects if p.is_plan or summaries[p.id].has_open]
    shown.sort(key=worst_first)
    title = env.t("portfolio_title", count=len(shown))
    if not shown:
        return Reply(title, [Line(env.t("portfolio_empty"))])
    lines = [Line(portfolio_text(env, s), s.verdict.light) for s in shown]
    worst = shown[0].verdict.light
    return Reply(title, lines, light=worst, people=env.people)


def worst_first(s: PlanSummary) -> tuple:
    used = s.buffer.used_percent if s.buffer is not None else -1.0
    pace = s.worst.pace if s.worst is not None and s.worst.pace is not None else float("inf")
    return (views.light_order(s.verdict.light), -used, pace, -s.red_tasks, s.project.key)


def portfolio_text(env: Env, s: PlanSummary) -> str:
    """A plan's one line: its worst KPI with its pace, buffer used, forecast vs planned finish
    and red tasks (the digest may say a plan the same way)."""
    red = env.t("portfolio_red", count=s.red_tasks)
    if not s.project.is_plan:
        return env.t("portfolio_tag_line", project=s.project.name, red=red)
    return env.t(
        "portfolio_line",
        project=s.project.name,
        kpi=kpi_text(env, s.worst),
        buffer=buffer_text(env, s.buffer),
        finish=finish_text(env, s.buffer),
        red=red,
    )


def kpi_text(env: Env, kpi: KpiPace | None) -> str:
    if kpi is None or kpi.pace is None:
        return env.t("portfolio_kpi_none")
    label = f"{kpi.label} " if kpi.label else ""
    return env.t("portfolio_kpi", kpi=kpi.name, label=label, pace=round(kpi.pace))


def buffer_text(env: Env, buffer: Buffer | None) -> str:
    if buffer is None:
        return env.t("portfolio_no_dates")
    return env.t(
        "portfolio_buffer", used=used_text(buffer), days=buffer.used_days, buffer=buffer.days
    )


def finish_text(env: Env, buffer: Buffer | None) -> str:
    if buffer is None:
        return "—"
    planned = fmt_date(env.lang, buffer.planned_finish, env.today)
    if buffer.forecast is None:
        return env.t("portfolio_finish_none", planned=planned)
    forecast = fmt_date(env.lang, buffer.forecast, env.today)
    return env.t("portfolio_finish", forecast=forecast, planned=planned)


def _mine(env: Env) -> Reply:
    """A member's (or viewer's) portfolio: their own open tasks in every channel."""
    limit = env.ctx.config.list_limit
    tasks = queries.open_tasks_of(env.s, env.me.id, limit=limit)
    lines = [Line(env.t("portfolio_mine_why"))]
    if not tasks:
        lines.append(Line(env.t("portfolio_mine_empty")))
        return Reply(env.t("portfolio_mine_title"), lines)
    views.rank(env, tasks)
    lines.extend(views.task_lines(env, tasks))
    total = queries.open_tasks_count_of(env.s, env.me.id)
    if total > len(tasks):
        lines.append(Line(env.t("portfolio_mine_more", more=total - len(tasks))))
    worst = next((line.light for line in lines if line.light is not None), None)
    return Reply(env.t("portfolio_mine_title"), lines, light=worst, people=env.people)


# --- board -------------------------------------------------------------------------------------

COLUMNS = (TaskStatus.TO_DO, TaskStatus.DOING, TaskStatus.BLOCKED, TaskStatus.DONE)
DONE_DAYS = 7  # the done column: tasks done in the last week
# What one page may hold. WeCom's group robot takes 4096 bytes of markdown a message (the
# tightest of both platforms: a page within it is a handful of Slack sections, far from 50
# blocks, each under 3000 characters); a page's title, fields and footer are costed apart.
PAGE_BYTES = 4096 - 16  # less the room render.split keeps for a part marker
PAGE_CARDS = 40  # a page a person can read
DUE_ALLOWANCE = 40  # " · Due Tue Dec 1" / " · 截止 2027年12月31日 周五", in bytes, at most
HEADING_COST = 64  # "▍已完成（近 7 天） · 9999 项（续）" and its line break, in bytes, at most

_PAGE = re.compile(r"^(?:page|p|页|第)[:：]?(\S+?)页?$", re.IGNORECASE)


@dataclass(frozen=True)
class PageWords:
    """The messages a `<verb> +project [page:2]` command (the board, the Gantt chart) answers
    its mistakes with: no project, two projects, a word it does not take, a bad page number."""

    no_project: str
    two_projects: str
    extra: str
    page_bad: str


BOARD_WORDS = PageWords("board_no_project", "board_two_projects", "board_extra", "board_page_bad")


def parse_board(verb: str, rest: str, today: date) -> Command:
    """`board +双11大促 [page:2]` (`看板 +双11大促 页:2`, `第2页`)."""
    return parse_project_page(verb, rest, BOARD_WORDS)


def parse_project_page(verb: str, rest: str, say_: PageWords) -> Command:
    """One project named with a + and an optional page: `page:2`, `p:2`, `页:2`, `第2页`."""
    words = _words(rest)
    names: list[str] = []
    page: int | None = None
    for word in words:
        found = _PAGE.match(word.text) if not word.quoted else None
        if word.raw[:1] in "+＋":
            names.append(_project_name(word.text))
        elif found:
            if page is not None:
                raise UserError(say_.extra, value=word.raw[:40], verb=verb)
            page = _page_number(found.group(1), word.raw, say_.page_bad)
        else:
            raise UserError(say_.extra, value=word.raw[:40], verb=verb)
    if not names:
        raise UserError(say_.no_project, verb=verb)
    if len(names) > 1:
        raise UserError(say_.two_projects, projects=", ".join("+" + n for n in names), verb=verb)
    return Command(verb, projects=(names[0],), page=page)


_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _page_number(value: str, raw: str, bad: str) -> int:
    value = value.translate(_DIGITS)
    number = int(value) if value.isdigit() and len(value) <= 4 else _CN.get(value)
    if not number:
        raise UserError(bad, value=raw[:40])
    return number


@dataclass(frozen=True)
class _Card:
    column: TaskStatus
    line: Line
    cost: int


def board(env: Env, cmd: Command) -> Reply:
    name = cmd.projects[0]
    project = queries.find_project(env.s, env.ws, name)
    if project is None:
        raise UserError("project_not_found", project=name)
    tasks = queries.board_tasks(env.s, project.id, env.now - timedelta(days=DONE_DAYS))
    visible = [t for t in tasks if env.may_read(t)]
    hidden = len(tasks) - len(visible)
    cards, counts = _cards(env, visible)
    light = None
    if project.is_plan:
        open_tasks = [t for t in tasks if t.status != TaskStatus.DONE]
        light = plan_state.state(env, project, open_tasks).verdict.light
    title = env.t("board_title", project=project.name)
    fields = [(env.t(f"board_col_{c.value}"), str(counts[c])) for c in COLUMNS]
    notes = [Line(env.t("board_hidden", count=hidden, project=project.name))] if hidden else []
    if not cards:
        notes.insert(0, Line(env.t("board_empty", project=tag_of(project))))
        return Reply(title, notes, fields=fields, light=light, people=env.people)
    pages = _paginate(env, cards, counts, PAGE_BYTES - _fixed(env, cmd, project, counts, hidden))
    number = cmd.page or 1
    if number > len(pages):
        raise UserError(
            "board_page_out",
            project=tag_of(project),
            pages=len(pages),
            page=number,
            verb=views._verb_word(env.lang, cmd.verb),
        )
    lines = [*pages[number - 1], *notes]
    if len(pages) > 1:
        if number < len(pages):
            footer = env.t(
                "board_page",
                page=number,
                pages=len(pages),
                next=next_page(env, cmd, project, number + 1),
            )
        else:
            footer = env.t("board_page_last", page=number, pages=len(pages))
        lines.append(Line(footer))
    return Reply(title, lines, fields=fields, light=light, people=env.people)


def _fixed(
    env: Env, cmd: Command, project: Project, counts: dict[TaskStatus, int], hidden: int
) -> int:
    """What every page holds besides its cards, in the costlier of both languages: the title,
    the column counts, the note on hidden tasks and the longest footer."""
    most = 0
    footer = f"{cmd.verb} +{tag_of(project)} page:9999"
    for lang in LANGS:
        texts = [
            say(lang, "board_title", project=project.name),
            say(lang, "board_page", page=9999, pages=9999, next=footer),
            say(lang, "board_hidden", count=hidden, project=project.name) if hidden else "",
            *(f"{say(lang, f'board_col_{c.value}')}：{counts[c]}" for c in COLUMNS),
        ]
        most = max(most, sum(_cost(env, text) for text in texts))
    return most


def tag_of(project: Project) -> str:
    """How a command names the project: its name, or its tag when the name has blanks."""
    return project.key if any(ch.isspace() for ch in project.name) else project.name


def next_page(env: Env, cmd: Command, project: Project, page: int) -> str:
    verb = views._verb_word(env.lang, cmd.verb)
    return f"{verb} +{tag_of(project)} {env.t('board_page_word')}:{page}"


def _cards(env: Env, tasks: list[Task]) -> tuple[list[_Card], dict[TaskStatus, int]]:
    owners = queries.members_by_id(env.s, {t.assignee_id for t in tasks if t.assignee_id})
    lights = {t.id: views.verdict(env, t).light for t in tasks}
    by_column: dict[TaskStatus, list[Task]] = {c: [] for c in COLUMNS}
    for task in tasks:
        by_column[TaskStatus(task.status)].append(task)
    by_column[TaskStatus.DONE].sort(key=lambda t: t.closed_at or env.now, reverse=True)
    for column in COLUMNS[:3]:
        by_column[column].sort(
            key=lambda t: (
                views.light_order(lights[t.id]),
                t.due_date is None,
                t.due_date,
                t.number,
            )
        )
    cards = []
    for column in COLUMNS:
        for task in by_column[column]:
            text, cost = _card_text(env, task, owners.get(task.assignee_id))
            cards.append(_Card(column, Line(text, lights[task.id]), cost))
    return cards, {c: len(by_column[c]) for c in COLUMNS}


def _utc(moment: datetime) -> datetime:
    """A moment as naive UTC (SQLite hands datetimes back without their zone)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _card_text(env: Env, task: Task, owner: Member | None) -> tuple[str, int]:
    """A card's text, and its cost: the same in either language (a page is the same page
    whether asked for as `board +x page:2` or `看板 +x 页:2`), so the words that differ by
    language (the due date) are costed at a fixed allowance."""
    parts = [f"#{task.number} {task.title}", env.who(owner)]
    if task.status in (TaskStatus.DOING, TaskStatus.BLOCKED) and task.progress:
        parts.append(f"{task.progress}%")
    cost = _cost(env, " · ".join(parts))
    if task.due_date and task.status != TaskStatus.DONE:
        parts.insert(2, f"{env.t('field_due')} {fmt_date(env.lang, task.due_date, env.today)}")
        cost += DUE_ALLOWANCE
    return " · ".join(parts), cost


def _cost(env: Env, text: str) -> int:
    """An upper bound of the bytes a line takes in a WeCom markdown message, the tightest place
    it goes (a page within 4096 bytes is a few Slack sections of 3000 characters, far from 50
    blocks, even with every character escaped): its UTF-8 bytes and what defusing typed markup
    adds; each person as the longer of a mention (`<@userid>`) and a name; a light's colour tag
    and the line break."""
    cost = _defused(MENTION.sub("", text)) + 48
    for found in MENTION.finditer(text):
        person = env.people.get(int(found.group(1)))
        name = _defused("@" + person.name) if person else 8
        user = len(person.external_id.encode("utf-8")) + 3 if person else 8
        cost += max(name, user)
    return cost


def _defused(text: str) -> int:
    """UTF-8 bytes of `text` as WeCom markdown shows typed text: a zero-width space (3 bytes)
    before `<@`, `@all`, `](` and a colour tag, and `*` as `∗` (3 bytes)."""
    return len(text.encode("utf-8")) + 2 * text.count("*") + 3 * sum(text.count(c) for c in "<@]")


def _paginate(
    env: Env, cards: list[_Card], counts: dict[TaskStatus, int], budget: int
) -> list[list[Line]]:
    """Cards in pages, each within `budget` and PAGE_CARDS, a column's heading before its first
    card on each page ("continued" when it began on an earlier one). A card never splits."""
    pages: list[list[Line]] = []
    page: list[Line] = []
    used = taken = 0
    column: TaskStatus | None = None
    started: set[TaskStatus] = set()
    for card in cards:
        heading = None
        if card.column != column or not page:
            key = "board_column_cont" if card.column in started else "board_column"
            heading = env.t(
                key, column=env.t(f"board_col_{card.column.value}"), count=counts[card.column]
            )
        need = card.cost + (HEADING_COST if heading else 0)
        if page and (used + need > budget or taken >= PAGE_CARDS):
            pages.append(page)
            page, used, taken = [], 0, 0
            key = "board_column_cont" if card.column in started else "board_column"
            heading = env.t(
                key, column=env.t(f"board_col_{card.column.value}"), count=counts[card.column]
            )
            need = card.cost + HEADING_COST
        if heading:
            page.append(Line(heading))
        page.append(card.line)
        used += need
        taken += 1
        column = card.column
        started.add(card.column)
    if page:
        pages.append(page)
    return pages
