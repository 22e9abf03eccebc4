"""How a command's arguments are read: todo.txt-style tokens (`@person`, `+project`, `due:`,
`cause:`), dates, numbers and limits, in English and Chinese.

Each `parse_<shape>(verb, rest, today)` turns what follows a verb into a `Command` or raises a
`UserError` that says what was expected; handlers/verbs.py says which verb reads which shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from handlers.dates import EN_DATE_MARKERS, EN_STRONG_DATE, ZH_DATE_TOKEN, parse_date
from handlers.errors import UserError
from handlers.reply import MARKERS

TITLE_MAX = 200
NOTE_MAX = 1000
PERSON_MAX = 64  # member.external_id holds a name the bot meets first in a mention
PROJECT_MAX = 100

# Each filter's words: what `help list` offers, and every label a reply shows for it (the
# list's title, a task's status), so a word the bot says is a word it reads.
LIST_FILTERS: dict[str, tuple[str, ...]] = {
    "mine": ("mine", "my", "me", "我的", "我", "我的任务", "我负责的", "my-tasks"),
    "overdue": ("overdue", "late", "逾期", "过期", "逾期的", "已逾期", "逾期任务", "past-due"),
    "blocked": ("blocked", "stuck", "阻塞", "卡住", "阻塞的", "阻塞中", "阻塞任务", "被阻塞"),
    "today": ("today", "due-today", "今天", "今日", "今天截止", "今日截止", "今天到期"),
    "done": ("done", "closed", "finished", "completed", "已完成", "完成", "完成的", "已关闭"),
    "all": ("all", "everything", "全部", "所有", "全部任务", "所有任务"),
}
_FILTER_OF = {alias.lower(): name for name, aliases in LIST_FILTERS.items() for alias in aliases}

# Each root cause's words: its labels in replies (handlers/messages.py `cause_<name>`, both
# languages) come first, then what people commonly call it.
CAUSES: dict[str, tuple[str, ...]] = {
    "resources": (
        "resources",
        "resource",
        "resourcing",
        "资源",
        "人力",
        "人手",
        "资源不足",
        "人力不足",
    ),
    "dependency": ("dependency", "dependencies", "依赖", "上游", "前置", "依赖方"),
    "approval": ("approval", "approvals", "review", "sign-off", "审批", "审核", "审查", "评审"),
    "scope": ("scope", "requirements", "requirement", "需求", "范围", "需求变更", "需求变化"),
    "technical": ("technical", "tech", "technology", "技术", "技术问题", "故障", "bug"),
    "external": (
        "external",
        "vendor",
        "supplier",
        "third-party",
        "外部",
        "供应商",
        "第三方",
        "外部原因",
    ),
    "communication": ("communication", "comms", "沟通", "沟通问题", "信息不同步"),
    "other": ("other", "others", "misc", "其他", "其它"),
}
_CAUSE_OF = {alias.lower(): name for name, aliases in CAUSES.items() for alias in aliases}

# Each setting's words: its name in `help settings`, its label where `settings` shows it
# (handlers/messages.py `setting_<name>`), and common words for it. A name may be two words
# ("time zone", "morning reminder").
SETTING_NAMES: dict[str, tuple[str, ...]] = {
    "tz": ("tz", "timezone", "zone", "time zone", "时区"),
    "lang": ("lang", "language", "语言", "语种"),
    "target": ("webhook", "target", "群机器人", "机器人"),
    "remind": (
        "remind",
        "reminder",
        "reminders",
        "morning reminder",
        "提醒",
        "早间提醒",
        "提醒时间",
        "每日提醒",
    ),
    "digest": (
        "digest",
        "standup",
        "stand-up",
        "weekly digest",
        "周报",
        "每周周报",
        "周报时间",
        "站会",
    ),
    "holidays": ("holidays", "holiday", "节假日", "假期", "法定节假日", "跳过节假日", "假日"),
    "allclear": ("allclear", "all-clear", "无逾期提示", "无逾期时也发提醒", "无逾期提醒"),
}
_SETTING_OF = {alias.lower(): name for name, aliases in SETTING_NAMES.items() for alias in aliases}

NONE_WORDS = frozenset({"none", "nobody", "clear", "no", "-", "无", "清除", "没有", "不限"})
SELF_WORDS = frozenset({"me", "myself", "我", "自己"})

_TOKEN = re.compile(r"\S+")
_TASK_REF = re.compile(r"^[#＃]?(\d{1,9})$")
_PERCENT = re.compile(r"^(\d{1,4})\s*[%％]?$")
_DURATION = re.compile(
    r"^[+＋]?(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})\s*(?:个)?\s*"
    r"(d|day|days|天|日|w|wk|wks|week|weeks|周|星期|礼拜)?\s*(?:后|之后|later)?$",
    re.IGNORECASE,
)
_WEEK_UNITS = frozenset({"w", "wk", "wks", "week", "weeks", "周", "星期", "礼拜"})
# A `key:value` token's key words: every label a reply shows for the field (a task's "Due" /
# "截止", a blocker's "root cause" / "根因") and what people commonly write.
_KEYS = {
    **dict.fromkeys(("due", "deadline", "截止", "截止日期", "截止日", "到期", "期限"), "due"),
    **dict.fromkeys(("start", "starts", "开始", "开始日期", "开始日", "起始"), "start"),
    **dict.fromkeys(
        (
            "cause",
            "root-cause",
            "rootcause",
            "root_cause",
            "category",
            "reason",
            "原因",
            "根因",
            "根本原因",
            "类别",
            "分类",
            "类型",
        ),
        "cause",
    ),
}
_KEY_VALUE = re.compile(
    r"^[（(【\[]?("
    + "|".join(re.escape(k) for k in sorted(_KEYS, key=len, reverse=True))
    + r")\s*[:：](.*)$",
    re.IGNORECASE,
)
_CLOSING = ")）]】"
_TRAILING_PUNCT = ",，。.;；!！?？、"


@dataclass(frozen=True)
class Note:
    """A remark the grammar makes about how it read a command ("11月1日 has passed: read as next
    year's"): a message key and its parameters. Every verb's reply carries its command's notes,
    so nothing the grammar guessed is guessed silently."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **params: object) -> Note:
        return cls(key, tuple((k, str(v)) for k, v in params.items()))


@dataclass(frozen=True)
class Command:
    verb: str
    task: int | None = None
    text: str = ""
    people: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    due: date | None = None
    clear: bool = False
    start: date | None = None
    percent: int | None = None
    days: int | None = None
    cause: str | None = None
    filters: frozenset[str] = field(default_factory=frozenset)
    setting: str | None = None
    notes: tuple[Note, ...] = ()


@dataclass
class _Token:
    text: str
    start: int
    end: int


_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + MARKERS + "]")


def clean(text: str) -> str:
    """Without control characters (databases refuse NUL) and mention markers (a title must not
    forge a mention)."""
    return _UNSAFE.sub("", text)


# A line break of any kind, with the blanks around it.
_LINE_BREAK = re.compile(r"[^\S\r\n\u2028\u2029\x85]*[\r\n\u2028\u2029\x85]\s*")


def one_line(text: str) -> str:
    """A title, reason or note on one line: each line break (and the blanks around it) becomes
    one space, so a title cannot start a line of its own where it is shown (a markdown heading,
    a quote, a forged line of the bot's)."""
    return _LINE_BREAK.sub(" ", text).strip()


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _without(text: str, drop: list[_Token]) -> str:
    """The text with the dropped tokens cut out; the rest keeps its exact characters."""
    if not drop:
        return text.strip()
    pieces, cursor = [], 0
    for tok in sorted(drop, key=lambda t: t.start):
        pieces.append(text[cursor : tok.start])
        cursor = tok.end
    pieces.append(text[cursor:])
    joined = ""
    for piece in pieces:
        if joined and piece and joined[-1].isspace() and piece[0].isspace():
            piece = piece.lstrip()
        joined += piece
    return joined.strip()


def _clean_name(raw: str) -> str:
    return raw.rstrip(_TRAILING_PUNCT)


# The neutral mention of a person by their platform id (`@id:U123`): a door turns its own
# mention syntax (Slack's `<@U123|alice>`, WeCom's `<@userid>`) into this before the core reads it.
BY_ID = "id:"


def mention_by_id(external_id: str) -> str:
    return f"@{BY_ID}{external_id}"


def _person(tok: str) -> str | None:
    if tok.startswith(("@", "＠")) and len(tok) > 1:
        name = _clean_name(tok[1:])
        if name.casefold() in SELF_WORDS:
            return "me"
        if len(name) > PERSON_MAX:
            raise UserError("name_too_long", name=name[:20] + "…", limit=PERSON_MAX)
        return name or None
    return None


def _project(tok: str) -> str | None:
    if tok.startswith(("+", "＋")) and len(tok) > 1:
        name = _clean_name(tok[1:])
        if name and not name.isdigit() and any(ch.isalpha() for ch in name):
            if len(name) > PROJECT_MAX:
                raise UserError("name_too_long", name=name[:20] + "…", limit=PROJECT_MAX)
            return name
    return None


def _date_after_key(tokens: list[_Token], index: int, first: str, today: date) -> tuple[date, int]:
    """Read a `due:`/`start:` value: the longest run of up to four words that names a date."""
    words = [first] if first else []
    following = []
    for tok in tokens[index + 1 : index + 5]:
        if _person(tok.text) or _project(tok.text) or _KEY_VALUE.match(tok.text):
            break
        following.append(tok.text)
    for extra in range(len(following), -1, -1):
        phrase = " ".join(words + following[:extra])
        if phrase and (found := parse_date(phrase, today)):
            return found, extra
    shown = " ".join(words + following[:2]) or "…"
    raise UserError("bad_date", phrase=shown[:60])


@dataclass
class _Scan:
    people: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    due: date | None = None
    start: date | None = None
    cause: str | None = None
    text: str = ""


_ALL_KEYS = frozenset({"people", "projects", "due", "start", "cause"})


def _scan(
    rest: str, today: date, *, keys: frozenset[str] = _ALL_KEYS, natural_dates: bool = False
) -> _Scan:
    """Pull the tokens named in `keys` (@person, +project, due:, start:, cause:) out of text."""
    tokens = _tokens(rest)
    scan, drop = _Scan(), []
    skip_until = -1
    for i, tok in enumerate(tokens):
        if i <= skip_until:
            continue
        m = _KEY_VALUE.match(tok.text)
        if "people" in keys and (name := _person(tok.text)) is not None:
            scan.people.append(name)
            drop.append(tok)
        elif "projects" in keys and (proj := _project(tok.text)) is not None:
            scan.projects.append(proj)
            drop.append(tok)
        elif m and _KEYS[m.group(1).lower()] in keys:
            key, value = _KEYS[m.group(1).lower()], m.group(2)
            drop.append(tok)
            if key == "cause":
                if not value and i + 1 < len(tokens):
                    value = tokens[i + 1].text
                    drop.append(tokens[i + 1])
                    skip_until = i + 1
                scan.cause = _cause(value)
            else:
                found, used = _date_after_key(tokens, i, value, today)
                drop.extend(tokens[i + 1 : i + 1 + used])
                skip_until = i + used
                if (scan.due if key == "due" else scan.start) is not None:
                    raise UserError("one_date", word=m.group(1))
                if key == "due":
                    scan.due = found
                else:
                    scan.start = found
    if natural_dates and scan.due is None:
        remaining = [t for t in tokens if t not in drop]
        found_natural = _natural_date(remaining, today)
        if found_natural:
            scan.due, natural = found_natural
            drop.extend(natural)
    scan.text = _without(rest, drop)
    return scan


def _natural_date(tokens: list[_Token], today: date) -> tuple[date, list[_Token]] | None:
    for tok in tokens:
        if ZH_DATE_TOKEN.match(tok.text) and (found := parse_date(tok.text, today)):
            return found, [tok]
    for size in range(min(5, len(tokens)), 0, -1):
        tail = tokens[-size:]
        phrase = " ".join(t.text for t in tail)
        marker = tokens[-size - 1] if len(tokens) > size else None
        marked = marker is not None and marker.text.lower() in EN_DATE_MARKERS
        if marker is not None and marked and (found := parse_date(phrase, today)):
            return found, [marker, *tail]
        if EN_STRONG_DATE.match(phrase) and (found := parse_date(phrase, today)):
            return found, tail
    return None


def _cause(value: str) -> str:
    cause = _CAUSE_OF.get(_clean_name(value.rstrip(_CLOSING)).lower())
    if cause is None:
        raise UserError("bad_cause", value=value[:40] or "…")
    return cause


def _task_ref(rest: str, verb: str) -> tuple[int, str]:
    """The task number that must come first, and the text after it (a glued `完成12` works)."""
    m = re.match(r"^[#＃]?(\d{1,9})(?=\s|$|[^\d\w]|[^\x00-\x7f])(.*)$", rest, re.DOTALL)
    if not m:
        first = rest.split()[0] if rest.split() else ""
        if not first:
            raise UserError("task_missing", verb=verb)
        raise UserError("task_bad", verb=verb, value=first[:40])
    return int(m.group(1)), m.group(2).strip().lstrip(_TRAILING_PUNCT).strip()


def _limit(text: str, limit: int, key: str) -> str:
    if len(text) > limit:
        raise UserError(key, limit=limit, length=len(text))
    return text


def validate(command: Command) -> Command:
    """The checks the text grammar makes, for a command a door built from form fields: the
    title or reason is kept literally (no tokens are read in it), but its limits still hold."""
    text = one_line(_UNSAFE.sub("", command.text))
    if command.verb == "add" and not text:
        raise UserError("add_no_title")
    if command.verb == "block" and not text:
        raise UserError("block_no_reason", task=command.task)
    limit, key = (
        (TITLE_MAX, "title_too_long") if command.verb == "add" else (NOTE_MAX, "note_too_long")
    )
    for project in command.projects:
        _project("+" + project)
    for person in command.people:
        if not person.startswith(BY_ID):
            _person("@" + person)
    if command.start and command.due and command.start > command.due:
        raise UserError(
            "start_after_due", start=command.start.isoformat(), due=command.due.isoformat()
        )
    return replace(command, text=_limit(text, limit, key))


def parse_add(verb: str, rest: str, today: date) -> Command:
    scan = _scan(rest, today, natural_dates=True)
    if not scan.text:
        raise UserError("add_no_title")
    if len(scan.people) > 1:
        raise UserError("one_assignee", names=", ".join("@" + p for p in scan.people))
    if len(scan.projects) > 1:
        raise UserError("one_project", names=", ".join("+" + p for p in scan.projects))
    if scan.cause:
        raise UserError("cause_only_block")
    if scan.start and scan.due and scan.start > scan.due:
        raise UserError("start_after_due", start=scan.start.isoformat(), due=scan.due.isoformat())
    return Command(
        verb,
        text=_limit(one_line(scan.text), TITLE_MAX, "title_too_long"),
        people=tuple(scan.people),
        projects=tuple(scan.projects),
        due=scan.due,
        start=scan.start,
    )


def parse_list(verb: str, rest: str, today: date) -> Command:
    filters, people, projects = set(), [], []
    for tok in rest.split():
        if (name := _person(tok)) is not None:
            people.append(name)
        elif (proj := _project(tok)) is not None:
            projects.append(proj)
        elif (flt := _FILTER_OF.get(tok.lower())) is not None:
            filters.add(flt)
        else:
            raise UserError("bad_filter", value=tok[:40])
    if len(people) > 1 or len(projects) > 1:
        raise UserError("list_one_each")
    return Command(verb, people=tuple(people), projects=tuple(projects), filters=frozenset(filters))


def parse_task_note(verb: str, rest: str, today: date) -> Command:
    number, note = _task_ref(rest, verb)
    return Command(verb, task=number, text=_limit(one_line(note), NOTE_MAX, "note_too_long"))


def parse_show(verb: str, rest: str, today: date) -> Command:
    number, extra = _task_ref(rest, verb)
    if extra:
        raise UserError("show_extra", value=extra[:40])
    return Command(verb, task=number)


_ZH_PERCENT = re.compile(r"^(?:百分之(\S{1,3})|(\S{1,3}?)\s*[%％])$")


def _percent(value: str) -> int | None:
    """60, 60%, 五十%, 百分之五十 → the number (None when unreadable)."""
    if m := _PERCENT.match(value):
        return int(m.group(1))
    if m := _ZH_PERCENT.match(value):
        return whole_number(m.group(1) or m.group(2))
    return None


def parse_progress(verb: str, rest: str, today: date) -> Command:
    number, value = _task_ref(rest, verb)
    if not value:
        raise UserError("progress_missing", task=number)
    percent = _percent(value.strip())
    if percent is None or percent > 100:
        raise UserError("progress_bad", value=value[:40], task=number)
    return Command(verb, task=number, percent=percent)


def parse_block(verb: str, rest: str, today: date) -> Command:
    number, remainder = _task_ref(rest, verb)
    scan = _scan(remainder, today, keys=frozenset({"cause"}))
    if not scan.text:
        raise UserError("block_no_reason", task=number)
    return Command(
        verb,
        task=number,
        text=_limit(one_line(scan.text), NOTE_MAX, "note_too_long"),
        cause=scan.cause,
    )


def parse_assign(verb: str, rest: str, today: date) -> Command:
    number, remainder = _task_ref(rest, verb)
    words = remainder.split()
    if len(words) != 1:
        raise UserError("assign_who", task=number)
    word = words[0]
    if word.lower() in NONE_WORDS:
        return Command(verb, task=number, clear=True)
    if word.lower() in SELF_WORDS:
        return Command(verb, task=number, people=("me",))
    name = _person(word)
    if name is None:
        raise UserError("assign_who", task=number)
    return Command(verb, task=number, people=(name,))


def parse_due(verb: str, rest: str, today: date) -> Command:
    number, phrase = _task_ref(rest, verb)
    if not phrase:
        raise UserError("due_missing", task=number)
    if phrase.lower() in NONE_WORDS:
        return Command(verb, task=number, clear=True)
    for prefix in ("due:", "截止:", "截止："):
        if phrase.lower().startswith(prefix):
            phrase = phrase[len(prefix) :].strip()
    found = parse_date(phrase, today)
    if found is None:
        raise UserError("bad_date", phrase=phrase[:60])
    return Command(verb, task=number, due=found)


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_ZH_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})


def whole_number(text: str) -> int | None:
    """A whole number from 0 to 100 in Arabic digits or Chinese numerals (三, 两, 十二, 二十,
    九十九, 一百); None for anything else."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    if text in ("一百", "百"):
        return 100
    if not text or any(ch not in _ZH_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _ZH_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or tens in ("零", "〇", "两") or ones == "两":
        return None
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)


def parse_snooze(verb: str, rest: str, today: date) -> Command:
    number_, value = _task_ref(rest, verb)
    if not value:
        return Command(verb, task=number_, days=1)
    m = _DURATION.match(value.strip())
    count = whole_number(m.group(1)) if m else None
    if m is None or not count:
        raise UserError("snooze_bad", value=value[:40], task=number_)
    unit = (m.group(2) or "d").lower()
    days = count * (7 if unit in _WEEK_UNITS else 1)
    return Command(verb, task=number_, days=days)


def parse_settings(verb: str, rest: str, today: date) -> Command:
    if not rest:
        return Command(verb)
    words = rest.split()
    name, setting, value = words[0], None, ""
    for size in (2, 1):  # "time zone Asia/Shanghai", "时区 Asia/Shanghai", "时区：Asia/Shanghai"
        head, _, glued = " ".join(words[:size]).replace("：", ":").partition(":")
        if size == 2 and glued:
            continue  # a colon inside the first word: read the one-word name
        if (found := _SETTING_OF.get(head.strip().lower())) is not None:
            name, setting = head, found
            value = " ".join([glued, *words[size:]])
            break
    if setting is None:
        raise UserError("settings_unknown", value=name[:40])
    value = value.strip()
    if not value:
        raise UserError(f"settings_{setting}_missing")
    return Command(verb, setting=setting, text=value)


def parse_bare(verb: str, rest: str, today: date) -> Command:
    """A verb that takes nothing more (previews)."""
    if rest:
        raise UserError("no_args", verb=verb, value=rest[:40])
    return Command(verb)
