"""Every command of the bot, one record each: the words that call it in both languages, how its
arguments are read, what it does, who may run it, whether the channel sees its success, and
its help. Everything else (the parser's verb lookup, help, suggestions, button words) is derived
from `VERBS`; a record missing a piece fails at import (see `_check`).

A new verb: write its argument parser (handlers/grammar.py, or one below) and its handler (the
capability's module), add its help text to handlers/messages.py as `help_<name>`, and add one
`Verb(...)` row here."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from handlers import (
    blockers,
    channel_settings,
    dashboard,
    dependencies,
    grammar,
    kpis,
    phases,
    portfolio,
    projects,
    reports,
    roles,
    tasks,
)
from handlers.charts import fever, gantt, kpi_chart
from handlers.context import CHANGERS, PLANNERS, Env
from handlers.errors import UserError
from handlers.grammar import Command
from handlers.messages import MESSAGES
from handlers.reply import Line, Reply
from storage.models import Role

Parser = Callable[[str, str, date], Command]  # (verb, the rest of the line, today) → Command
Handler = Callable[[Env, Command], Reply]


@dataclass(frozen=True)
class Verb:
    name: str
    aliases: tuple[str, ...]  # the words that call it: English first, then Chinese
    parse: Parser
    run: Handler
    # The channel sees its success (a change the team should know of); otherwise only the
    # speaker does. A function of the command where it depends on the arguments.
    announce: bool | Callable[[Command], bool] = False
    # Who may run it at all (None: anyone in the channel); per-task checks stay in the handler.
    # A function of the command where it depends on the arguments (a look or a change).
    roles: frozenset[Role] | Callable[[Command], frozenset[Role] | None] | None = None

    @property
    def help_key(self) -> str:
        return f"help_{self.name}"

    def announces(self, command: Command) -> bool:
        return self.announce(command) if callable(self.announce) else self.announce

    def roles_for(self, command: Command) -> frozenset[Role] | None:
        return self.roles(command) if callable(self.roles) else self.roles

    def allows(self, role: Role, command: Command) -> bool:
        roles = self.roles_for(command)
        return roles is None or role in roles


def _help(env: Env, cmd: Command) -> Reply:
    """Every command in one list, or one command with its aliases."""
    if cmd.text:
        aliases = " / ".join(BY_NAME[cmd.text].aliases)
        return Reply(
            env.t("help_title"),
            [Line(env.t(f"help_{cmd.text}")), Line(env.t("help_aliases", aliases=aliases))],
        )
    lines = [Line(env.t(verb.help_key)) for verb in VERBS]
    lines.append(Line(env.t("help_footer")))
    return Reply(env.t("help_title"), lines)


def _parse_help(verb: str, rest: str, today: date) -> Command:
    topic = rest.split()[0] if rest else ""
    if topic:
        found = _VERB_OF.get(topic.lower())
        if found is None:
            raise UserError("help_unknown", value=topic[:40])
        return Command(verb, text=found)
    return Command(verb)


VERBS: tuple[Verb, ...] = (
    Verb(
        "add",
        ("add", "new", "create", "新建", "添加", "新增"),
        grammar.parse_add,
        tasks.add,
        announce=True,
        roles=CHANGERS,
    ),
    Verb("list", ("list", "ls", "列表", "列出"), grammar.parse_list, tasks.list_),
    Verb("show", ("show", "view", "查看"), grammar.parse_show, tasks.show),
    Verb(
        "start",
        ("start", "开始"),
        grammar.parse_task_note,
        tasks.start,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "done",
        ("done", "finish", "complete", "完成"),
        grammar.parse_task_note,
        tasks.done,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "cancel",
        ("cancel", "取消"),
        grammar.parse_task_note,
        tasks.cancel,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "reopen",
        ("reopen", "重开"),
        grammar.parse_task_note,
        tasks.reopen,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "progress",
        ("progress", "进度"),
        grammar.parse_progress,
        tasks.progress,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "block",
        ("block", "阻塞"),
        grammar.parse_block,
        blockers.block,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "unblock",
        ("unblock", "解除", "解除阻塞"),
        grammar.parse_task_note,
        blockers.unblock,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "assign",
        ("assign", "指派"),
        grammar.parse_assign,
        tasks.assign,
        announce=True,
        roles=CHANGERS,
    ),
    Verb("due", ("due", "截止"), grammar.parse_due, tasks.due, announce=True, roles=CHANGERS),
    Verb(
        "after",
        ("after", "依赖"),
        grammar.parse_after,
        dependencies.after,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "snooze",
        ("snooze", "推迟"),
        grammar.parse_snooze,
        tasks.snooze,
        announce=True,
        roles=CHANGERS,
    ),
    Verb(
        "project",
        ("project", "projects", "proj", "项目"),
        grammar.parse_project,
        projects.project,
        announce=projects.announces,
        # a plan is made or changed by managers and admins; anyone reads one
        roles=lambda command: PLANNERS if projects.announces(command) else None,
    ),
    Verb(
        "phase",
        ("phase", "phases", "阶段"),
        phases.parse_phase,
        phases.phase,
        announce=phases.announces,
        # phases are planned by managers and admins; anyone reads them
        roles=lambda command: PLANNERS if phases.announces(command) else None,
    ),
    Verb(
        "kpi",
        ("kpi", "kpis", "指标"),
        kpis.parse_kpi,
        kpis.kpi,
        announce=kpis.announces,
        # defined and remedied by managers and admins; numbers reported by members too
        roles=kpis.roles,
    ),
    # looks: private, anyone may run them (`kpi chart +x` reaches kpichart through parse_kpi)
    Verb(
        "kpichart",
        ("kpichart", "kpi-chart", "指标图", "指标图表"),
        kpi_chart.parse_kpichart,
        kpi_chart.kpichart,
    ),
    Verb("buffer", ("buffer", "fever", "缓冲", "缓冲图"), fever.parse_buffer, fever.buffer),
    Verb(
        "task",
        ("task", "任务"),
        grammar.parse_task_fields,
        tasks.task_fields,
        announce=True,
        roles=CHANGERS,
    ),
    # managers and admins see every plan; anyone else their own open tasks (the handler says so)
    Verb("portfolio", ("portfolio", "全局"), grammar.parse_bare, portfolio.portfolio),
    Verb("board", ("board", "kanban", "看板"), portfolio.parse_board, portfolio.board),
    Verb("gantt", ("gantt", "甘特图", "甘特"), gantt.parse_gantt, gantt.gantt),
    # a personal link, shown to its asker alone; what it shows follows their role
    Verb(
        "dashboard",
        ("dashboard", "仪表盘", "看板页", "仪表板"),
        grammar.parse_bare,
        dashboard.dashboard,
    ),
    Verb("remind", ("remind", "reminder", "提醒"), grammar.parse_bare, reports.remind_command),
    Verb("digest", ("digest", "standup", "周报"), grammar.parse_bare, reports.digest_command),
    Verb(
        "settings",
        ("settings", "setting", "设置"),
        grammar.parse_settings,
        channel_settings.settings,
        # a change, not a look; an API token is shown to the admin who asked, no one else
        announce=lambda command: command.setting not in (None, "apitoken"),
        roles=lambda command: CHANGERS if command.setting is not None else None,
    ),
    Verb(
        "role",
        ("role", "角色"),
        grammar.parse_role,
        roles.role,
        announce=lambda command: bool(command.text),  # a change, not a look
    ),
    Verb("roles", ("roles", "角色列表"), grammar.parse_bare, roles.roles),
    Verb("help", ("help", "帮助", "?", "？"), _parse_help, _help),
)

BY_NAME: dict[str, Verb] = {verb.name: verb for verb in VERBS}
_VERB_OF: dict[str, str] = {alias.lower(): verb.name for verb in VERBS for alias in verb.aliases}
_CJK_ALIASES = sorted((a for a in _VERB_OF if not a.isascii()), key=len, reverse=True)


def _check(verbs: tuple[Verb, ...]) -> None:
    """A verb missing a piece stops the import, not a user's command."""
    seen: dict[str, str] = {}
    for verb in verbs:
        if not verb.aliases or verb.aliases[0] != verb.name:
            raise ValueError(f"verb {verb.name!r}: its first alias must be its name")
        if not any(not a.isascii() for a in verb.aliases):
            raise ValueError(f"verb {verb.name!r} has no Chinese alias")
        if not callable(verb.parse) or not callable(verb.run):
            raise ValueError(f"verb {verb.name!r} needs a parser and a handler")
        help_text = MESSAGES.get(verb.help_key, {})
        if not (help_text.get("en") and help_text.get("zh")):
            raise ValueError(f"verb {verb.name!r} has no help text {verb.help_key!r} in en and zh")
        for alias in verb.aliases:
            if (other := seen.setdefault(alias.lower(), verb.name)) != verb.name:
                raise ValueError(f"alias {alias!r} belongs to both {other!r} and {verb.name!r}")


_check(VERBS)


_PERFECTIVE = re.compile(r"^了(?=\s|[#＃\d]|$)")


def split_verb(text: str) -> tuple[Verb | None, str, str]:
    """(the verb, the word as typed, the rest). Chinese verbs may be glued to what follows."""
    stripped = text.strip()
    if not stripped:
        return None, "", ""
    for alias in _CJK_ALIASES:
        if stripped.startswith(alias):
            rest = stripped[len(alias) :]
            if _PERFECTIVE.match(rest):  # "完成了 12": the 了 says it happened, nothing more
                rest = rest[1:]
            return BY_NAME[_VERB_OF[alias]], alias, rest.strip()
    word, _, rest = stripped.partition(" ")
    word = word.strip()
    name = _VERB_OF.get(word.lower())
    return (BY_NAME[name] if name else None), word, rest.strip()


# Words that are not commands but mean one: what an unknown word is suggested as before its
# spelling is looked at ("删除" means cancel, though it is spelt like 解除).
MEANINGS: dict[str, tuple[str, ...]] = {
    "add": ("create task", "new task", "todo", "创建", "新任务", "加任务", "建任务", "增加", "加"),
    "list": (
        "tasks",
        "overview",
        "清单",
        "所有任务",
        "全部任务",
        "我的任务",
        "待办",
    ),
    "show": ("details", "detail", "info", "open", "详情", "详细", "看", "明细"),
    "start": ("begin", "kickoff", "go", "开工", "启动", "开始做", "着手"),
    "done": (
        "finished",
        "completed",
        "close",
        "closed",
        "resolve",
        "完成了",
        "做完",
        "做完了",
        "搞定",
        "搞定了",
        "完了",
        "结束",
        "已完成",
        "关闭",
    ),
    "cancel": (
        "delete",
        "remove",
        "rm",
        "del",
        "drop",
        "kill",
        "abort",
        "删除",
        "删掉",
        "删",
        "移除",
        "作废",
        "撤销",
        "不做了",
        "放弃",
    ),
    "reopen": ("restore", "undo", "reactivate", "重新打开", "恢复", "重启", "打开"),
    "progress": ("update", "percent", "更新", "进展", "更新进度", "百分比"),
    "block": ("blocked", "stuck", "blocker", "卡住", "卡住了", "受阻", "卡", "阻碍", "被卡"),
    "unblock": ("unstuck", "resume", "解决", "已解决", "疏通", "畅通"),
    "assign": ("owner", "reassign", "delegate", "give", "分配", "转交", "交给", "负责人", "指定"),
    "due": ("deadline", "duedate", "截止日期", "到期", "改期", "期限", "改截止"),
    "snooze": (
        "postpone",
        "delay",
        "defer",
        "later",
        "延期",
        "延后",
        "顺延",
        "推后",
        "往后推",
        "延迟",
    ),
    "kpi": ("metric", "metrics", "actual", "actuals", "业绩", "指标值", "实际值", "上报"),
    "remind": ("alarm", "nudge", "催", "催办", "早间提醒"),
    "digest": ("report", "weekly", "summary", "站会", "周会", "汇报", "报告", "总结", "周总结"),
    "settings": ("config", "configure", "preferences", "prefs", "配置", "设定", "时区", "语言"),
    "role": ("permission", "permissions", "access", "权限", "身份", "职责"),
    "roles": ("admins", "managers", "viewers", "管理员列表", "权限列表"),
    "help": ("usage", "commands", "how", "帮忙", "用法", "怎么用", "指令", "命令", "说明"),
}
_MEANING_OF = {w.lower(): verb for verb, words in MEANINGS.items() for w in words}


def _check_meanings() -> None:
    for verb, words in MEANINGS.items():
        if verb not in BY_NAME:
            raise ValueError(f"MEANINGS names {verb!r}, which is not a verb")
        for word in words:
            if word.lower() in _VERB_OF:
                raise ValueError(f"{word!r} is already an alias of {_VERB_OF[word.lower()]!r}")


_check_meanings()


def suggest_verbs(word: str) -> list[str]:
    """The commands an unknown word may have meant, in the language it was typed in: by
    meaning first (delete → cancel, 清单 → 列表), and only when no meaning is known, by
    spelling."""
    lowered = word.lower()
    meant = _MEANING_OF.get(lowered)
    if meant is None:  # "删除了", "delete!" : the word without what follows its root
        meant = next(
            (
                _MEANING_OF[w]
                for w in sorted(_MEANING_OF, key=len, reverse=True)
                if not w.isascii() and lowered.startswith(w) and len(w) >= 2
            ),
            None,
        )
    if meant is not None:
        return [_alias_like(meant, word)]
    candidates = difflib.get_close_matches(lowered, list(_VERB_OF), n=3, cutoff=0.5)
    return list(dict.fromkeys(candidates))


def _alias_like(verb: str, typed: str) -> str:
    """The verb's word in the language `typed` is written in."""
    aliases = BY_NAME[verb].aliases
    if typed.isascii():
        return aliases[0]
    return next(a for a in aliases if not a.isascii())


def parse(text: str, today: date) -> Command:
    """A line of the grammar as a Command, or a UserError that says what was expected.
    Control characters and mention markers are dropped first: databases refuse NUL, and a
    title must not forge a mention."""
    verb, typed, rest = split_verb(grammar.clean(text))
    if verb is None:
        if not typed:
            raise UserError("empty_command")
        suggestions = suggest_verbs(typed)
        if suggestions:
            raise UserError(
                "unknown_verb_suggest", word=typed[:40], suggestions=" / ".join(suggestions)
            )
        raise UserError("unknown_verb", word=typed[:40])
    try:
        return verb.parse(verb.name, rest, today)
    except UserError as err:
        if "verb" in err.params:
            err.params["verb"] = typed  # examples echo the verb as the user wrote it
        raise


@cache
def verb_word(lang: str, verb: str) -> str:
    """The verb as a language writes it, for the commands buttons send."""
    aliases = BY_NAME[verb].aliases
    if lang == "zh":
        return next((a for a in aliases if not a.isascii()), aliases[0])
    return aliases[0]
