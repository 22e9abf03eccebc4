"""How a command's arguments are read: todo.txt-style tokens (`@person`, `+project`, `due:`,
`cause:`), dates, numbers and limits, in English and Chinese.

Each `parse_<shape>(verb, rest, today)` turns what follows a verb into a `Command` or raises a
`UserError` that says what was expected; handlers/verbs.py says which verb reads which shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from handlers.dates import (
    EN_DATE_MARKERS,
    ZH_DATE_MARKERS,
    Reading,
    looks_like_date,
    read_date,
    read_free,
)
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
    "charts": (
        "charts",
        "chart",
        "digest-charts",
        "gantt-charts",
        "图表",
        "周报图表",
        "周报附甘特图",
    ),
    "dashboard": ("dashboard", "仪表盘", "仪表板", "看板页"),
    "apitoken": ("api-token", "apitoken", "api_token", "api token", "token", "api令牌", "令牌"),
}
# Settings that may be said without a value (`settings api-token` makes a token).
BARE_SETTINGS = frozenset({"apitoken"})
_SETTING_OF = {alias.lower(): name for name, aliases in SETTING_NAMES.items() for alias in aliases}

# The roles of a workspace (storage.models.Role) and the words for each.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "admin": ("admin", "administrator", "管理员"),
    "manager": ("manager", "管理者", "经理"),
    "member": ("member", "成员"),
    "viewer": ("viewer", "read-only", "readonly", "观察者", "只读"),
}
_ROLE_OF = {alias.lower(): name for name, aliases in ROLE_WORDS.items() for alias in aliases}

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
    # a task's phase of its plan (handlers/phases.py)
    **dict.fromkeys(("phase", "阶段"), "phase"),
    # the tasks a new task waits for (handlers/dependencies.py)
    **dict.fromkeys(("after", "依赖"), "after"),
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
    # `project …`: its subcommand (new, show, list, edit, close, reopen), a plan's goal, end
    # date and buffer share (its start is `start`, its owner `people`, its name `projects`)
    action: str | None = None
    goal: str | None = None
    end: date | None = None
    buffer: int | None = None
    # plans: a phase by name (`phase:` on a task, the phase of `phase …`), its deliverable; a
    # KPI's name, label, unit, target, actual, planned split by phase and remedy; a page
    name: str | None = None
    phase: str | None = None
    deliverable: str | None = None
    label: str | None = None
    unit: str | None = None
    target: float | None = None
    value: float | None = None
    split: tuple[tuple[str, float], ...] = ()
    remedy: str | None = None
    page: int | None = None
    # the tasks a task waits for: `after 14 12 13`, `add … after:12`
    after: tuple[int, ...] = ()


@dataclass
class _Token:
    text: str
    start: int
    end: int
    person: str | None = None  # a piece of a word that names the owner (see _mentions)
    part: bool = False  # a piece that belongs to the mention before it (`三` of `@张 三`)


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


# --- people: `@name`, `＠name`, `写文案@张三`, `负责人：张三`, `owner:bob` ------------------
#
# A mention's name ends at a blank or at punctuation of either width (brackets too): in
# `@张三，周五前` the name is 张三 and `周五前` is a word of its own again. The punctuation right
# after a name goes with it (it is not left in the title). A name reaches the handlers as
# written, with two marks a name cannot otherwise carry: a trailing `!` ("this exact name,
# new if need be": no did-you-mean question), and one space (`张 三`: a Chinese name typed in
# two parts, read as 张三 only when someone is called that; see Env.person).

_AT = "@＠"
FORCE = "!"  # `@张伟!`: this name as written, a new member if no one has it
SPLIT = " "  # `@张 三`: a name typed in two parts
_NAME_END = frozenset(",，、。；;：:!！?？（）()「」【】[]《》<>〈〉{}\"'“”‘’/／|&＆+＋…~～")
# What may follow a name and goes with it: punctuation, closing brackets, dots.
_AFTER_NAME = frozenset(",，、。；;：:!！?？）)」】]》>〉}\"'“”‘’.…~～")
# What may come right before a glued mention and goes with it: opening brackets, punctuation.
_BEFORE_NAME = frozenset("（(「【[《〈{“‘,，、。；;：:")
_LISTING = frozenset("、/／&＆")  # `@张三、李四`, `@bob/alice`: more than one person
_OWNER_KEY = re.compile(
    r"(?<![A-Za-z0-9_])(owner|assignee|负责人|责任人|执行人)[:：]", re.IGNORECASE
)
# What a glued `@all` means on the platforms: the whole channel, never one owner.
BROADCASTS = frozenset({"all", "here", "channel", "everyone", "所有人", "全体成员", "全体"})
_ID_NAME = re.compile(r"id:[A-Za-z0-9._-]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# `copy@bob`: an @ after ASCII letters, but no address (no dot after it): kept in the title,
# and said so, since it may have been meant as the owner.
_GLUED_TO_WORD = re.compile(r"^[A-Za-z0-9_-]+@([A-Za-z][A-Za-z0-9_-]*)[,;:!?，。；：！？]*$")
_ADDRESS_CHAR = re.compile(r"[A-Za-z0-9._%+-]")  # what comes before the @ of an e-mail address


def _mention_start(word: str) -> tuple[int, int] | None:
    """Where the first mention in a word starts, and where its name starts: an @ (or ＠) with
    a name after it, or an owner key (`负责人：`, `owner:`). An @ right after letters or digits
    (`a@example.com`) is an address, and a word with `://` a link: neither names anyone."""
    if "://" in word:
        return None
    key = _OWNER_KEY.search(word)
    for i, ch in enumerate(word):
        if key is not None and key.start() <= i:
            break
        if ch not in _AT:
            continue
        if ch == "@" and i > 0 and _ADDRESS_CHAR.match(word[i - 1]):
            return None  # an e-mail address
        if "<" in word[:i]:
            return None  # a platform's markup the door did not read as a mention (`x<@U3>`)
        if i > 0 and word[i + 1 : _name_end(word, i + 1)].casefold() in BROADCASTS:
            return None  # `通知@all`: everyone, not an owner
        if i + 1 < len(word) and word[i + 1] not in _NAME_END and word[i + 1] not in _AT:
            return i, i + 1
    if key is None:
        return None
    after = key.end()
    if word[after : after + 1] in ("@", "＠") and after + 1 < len(word):
        after += 1  # `负责人：@张三`
    return key.start(), after


def _name_end(word: str, i: int) -> int:
    """Where the name starting at `i` ends (before any dot that ends the sentence)."""
    if m := _ID_NAME.match(word, i):
        j = m.end()
    else:
        j = i
        while j < len(word) and word[j] not in _NAME_END and word[j] not in _AT:
            j += 1
    while j > i and word[j - 1] in ".…":
        j -= 1
    return j


def _named(name: str, forced: bool) -> str:
    if name.casefold() in SELF_WORDS:
        return "me"
    if len(name) > PERSON_MAX:
        raise UserError("name_too_long", name=name[:20] + "…", limit=PERSON_MAX)
    return name + FORCE if forced and not name.startswith(BY_ID) else name


def _several(word: str) -> UserError:
    names = [n for n in re.split(r"[@＠、,，/／&＆;；\s]+", word) if n]
    first = _OWNER_KEY.sub("", names[0]) if names else ""
    return UserError("owner_several", value=word[:60], first=first[:PERSON_MAX] or "…")


def _split_word(tok: _Token, following: _Token | None) -> tuple[list[_Token], int]:
    """A word with a mention as its pieces (the title before it, the mention, the word after
    it), and how many following words the mention took. A word without one, as it is."""
    word = tok.text
    found = _mention_start(word)
    if found is None:
        return [tok], 0
    at, begin = found
    end = _name_end(word, begin)
    name, taken, tail = word[begin:end], 0, []
    if not name:
        if end < len(word) or following is None:
            raise UserError("owner_empty", value=word[:60])
        # `owner: bob`, `负责人： 张三`: the name is the next word
        inner = following.text
        skip = 1 if inner[:1] in _AT and len(inner) > 1 else 0
        pieces, _ = _split_word(
            _Token("@" + inner[skip:], following.start - 1 + skip, following.end), None
        )
        if pieces[0].person is None:
            raise UserError("owner_empty", value=word[:60])
        first = _Token(word[at:], tok.start + at, tok.end, part=True)
        head = [_Token(word[:at], tok.start, tok.start + at)] if at else []
        return [*head, first, *pieces], 1
    forced = word[end : end + 1] in ("!", "！")
    stop = end
    while stop < len(word) and word[stop] in _AFTER_NAME:
        stop += 1
    rest = word[stop:]
    if rest and (
        rest[0] in _AT
        or rest[0] in _LISTING
        or any(ch in _LISTING for ch in word[end:stop])
        or _mention_start(rest) is not None
    ):
        raise _several(word[at:])
    while at > 0 and word[at - 1] in _BEFORE_NAME:
        at -= 1
    pieces = [_Token(word[:at], tok.start, tok.start + at)] if at else []
    person = _named(name, forced)
    if (
        not rest
        and stop == end
        and following is not None
        and person != "me"
        and _HAN.fullmatch(name)
        and len(name) <= 3
    ):
        # `@张 三`: a lone Chinese character after a Chinese name is most likely the name's
        # second half (WeCom puts a blank after each mention; people put one inside a name)
        lone = _HAN.match(following.text)
        after = following.text[lone.end() :] if lone else ""
        if lone and len(lone.group()) == 1 and (not after or after[0] in _AFTER_NAME):
            person = name + SPLIT + lone.group()
            cut = 1
            while cut < len(following.text) and following.text[cut] in _AFTER_NAME:
                cut += 1
            tail.append(
                _Token(following.text[:cut], following.start, following.start + cut, part=True)
            )
            if following.text[cut:]:
                tail.append(_Token(following.text[cut:], following.start + cut, following.end))
            taken = 1
    pieces.append(_Token(word[at:stop], tok.start + at, tok.start + stop, person=person))
    if rest:
        pieces.append(_Token(rest, tok.start + stop, tok.end))
    return pieces + tail, taken


def _mentions(tokens: list[_Token]) -> list[_Token]:
    """The words with each mention cut out as a piece of its own (`_Token.person`)."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        pieces, taken = _split_word(tokens[i], following)
        out.extend(pieces)
        i += 1 + taken
    return out


def _person(tok: str) -> str | None:
    """The person a whole word names (`@bob,`, `负责人：张三`), or None."""
    if not tok:
        return None
    try:
        pieces, _ = _split_word(_Token(tok, 0, len(tok)), None)
    except UserError as err:
        if err.key == "owner_empty":  # a bare `owner:` names no one by itself
            return None
        raise
    named = [p.person for p in pieces if p.person is not None]
    return named[0] if named and len(pieces) == 1 else None


def _project(tok: str) -> str | None:
    if tok.startswith(("+", "＋")) and len(tok) > 1:
        name = _clean_name(tok[1:])
        if name and not name.isdigit() and any(ch.isalpha() for ch in name):
            if len(name) > PROJECT_MAX:
                raise UserError("name_too_long", name=name[:20] + "…", limit=PROJECT_MAX)
            return name
    return None


def _date_after_key(
    tokens: list[_Token], index: int, first: str, today: date
) -> tuple[Reading, int, str]:
    """Read a `due:`/`start:` value: the longest run of up to four words that names a date.
    (the reading, how many following words it used, the phrase as typed)."""
    words = [first] if first else []
    following = []
    for tok in tokens[index + 1 : index + 5]:
        if _person(tok.text) or _project(tok.text) or _KEY_VALUE.match(tok.text):
            break
        following.append(tok.text)
    for extra in range(len(following), -1, -1):
        phrase = " ".join(words + following[:extra])
        if phrase and (found := read_date(phrase, today)):
            return found, extra, phrase
    shown = " ".join(words + following[:2]) or "…"
    raise UserError("bad_date", phrase=shown[:60])


def date_notes(reading: Reading, phrase: str, task: int | None = None) -> list[Note]:
    """What the reply must say about how a date was read, so nothing is guessed silently."""
    notes = []
    day = reading.day.isoformat()
    if reading.rolled_from is not None:
        past = reading.rolled_from.isoformat()
        # An add's note gets its task's number when the task is made (dispatch: Env.made).
        numbered = {} if task is None else {"task": task}
        notes.append(Note.of("date_rolled", phrase=phrase, day=day, past=past, **numbered))
    if reading.weekday_today:
        later = (reading.day + timedelta(days=7)).isoformat()
        notes.append(Note.of("date_weekday_today", phrase=phrase, day=day, later=later))
    if reading.day_first:
        notes.append(Note.of("date_day_first", phrase=phrase, day=day))
    return notes


@dataclass
class _Scan:
    people: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    due: date | None = None
    start: date | None = None
    cause: str | None = None
    phase: str | None = None
    after: list[int] = field(default_factory=list)
    text: str = ""
    notes: list[Note] = field(default_factory=list)


_ALL_KEYS = frozenset({"people", "projects", "due", "start", "cause", "phase", "after"})


def _scan(
    rest: str, today: date, *, keys: frozenset[str] = _ALL_KEYS, natural_dates: bool = False
) -> _Scan:
    """Pull the tokens named in `keys` (@person, +project, due:, start:, cause:) out of text;
    with `natural_dates`, a date phrase in the text too (an `add` title)."""
    tokens = _tokens(rest)
    scan, drop = _Scan(), []
    if "people" in keys:
        tokens = _mentions(tokens)
    skip_until = -1
    due_phrase = ""
    for i, tok in enumerate(tokens):
        if i <= skip_until:
            continue
        m = _KEY_VALUE.match(tok.text)
        if "people" in keys and (glued := _GLUED_TO_WORD.match(tok.text)):
            scan.notes.append(Note.of("mention_in_word", word=tok.text, name=glued.group(1)))
        if tok.part:
            drop.append(tok)
        elif tok.person is not None:
            scan.people.append(tok.person)
            scan.notes.extend(_joined_note(tok.person))
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
            elif key == "phase":
                if not value and i + 1 < len(tokens):
                    value = tokens[i + 1].text
                    drop.append(tokens[i + 1])
                    skip_until = i + 1
                if scan.phase is not None:
                    raise UserError("one_phase", word=m.group(1))
                scan.phase = phase_word(value)
            elif key == "after":
                if not value and i + 1 < len(tokens):
                    value = tokens[i + 1].text
                    drop.append(tokens[i + 1])
                    skip_until = i + 1
                scan.after.extend(task_numbers(value, None))
            else:
                found, used, phrase = _date_after_key(tokens, i, value, today)
                drop.extend(tokens[i + 1 : i + 1 + used])
                skip_until = i + used
                if (scan.due if key == "due" else scan.start) is not None:
                    raise UserError("one_date", word=m.group(1))
                scan.notes.extend(date_notes(found, phrase))
                if key == "due":
                    scan.due, due_phrase = found.day, f"{m.group(1)}:{phrase}"
                else:
                    scan.start = found.day
    if natural_dates:
        remaining = [t for t in tokens if t not in drop]
        pieces = _pieces(remaining, today)
        found_dates = _natural_dates(pieces, today)
        if scan.due is not None:
            # a phrase naming the day `due:` names is no question, and stays in the title
            others = [phrase for r, _, phrase in found_dates if r.day != scan.due]
            if others:
                raise UserError("two_dates", first=due_phrase[:40], second=others[0][:40])
            agreeing = [piece for _, natural, _ in found_dates for piece in natural]
            found_dates = []
        else:
            agreeing = []
        days = {reading.day: phrase for reading, _, phrase in found_dates}
        if len(days) > 1:
            first, second = list(days.values())[:2]
            raise UserError("two_dates", first=first[:40], second=second[:40])
        used_pieces: list[_Token] = agreeing
        for reading, natural, phrase in found_dates:
            scan.due = reading.day
            scan.notes.extend(date_notes(reading, phrase))
            used_pieces.extend(natural)
            drop.extend(_cut(natural, rest))
        for piece in pieces:
            if piece not in used_pieces and looks_like_date(piece.text):
                scan.notes.append(Note.of("date_not_read", phrase=piece.text[:40]))
    scan.text = _without(rest, drop)
    return scan


# Where a token of free text splits into pieces a date may be (`海报，周五前`, `@张三、明天`).
_PIECE_BREAK = re.compile(r"[，、。；！？,;!?（）()【】\[\]「」《》“”\"]+")
# A deadline glued to the end of a Chinese word (`写文案周五前`): read only with 前, whose
# meaning ("by") leaves no doubt that a date is meant.
_GLUED_BY = re.compile(r"(?:之前|以前|前)$")


def _pieces(tokens: list[_Token], today: date) -> list[_Token]:
    """The tokens cut at punctuation, and a deadline glued to a Chinese word cut off it."""
    pieces = []
    for tok in tokens:
        cursor = 0
        for part in [*_PIECE_BREAK.finditer(tok.text), None]:
            end = part.start() if part else len(tok.text)
            if end > cursor:
                piece = _Token(tok.text[cursor:end], tok.start + cursor, tok.start + end)
                pieces.extend(_unglue(piece, today))
            cursor = part.end() if part else end
    return pieces


def _unglue(piece: _Token, today: date) -> list[_Token]:
    text = piece.text
    if text.isascii() or not _GLUED_BY.search(text) or read_free(text, today):
        return [piece]
    for cut in range(1, len(text) - 1):
        tail = text[cut:]
        if tail[0] in "前之以":
            break
        if read_free(tail, today) is not None:
            head = _Token(text[:cut], piece.start, piece.start + cut)
            return [head, _Token(tail, piece.start + cut, piece.end)]
    return [piece]


_CLOSING = '）)】]」》”"'


def _cut(pieces: list[_Token], rest: str) -> list[_Token]:
    """The spans to cut for the date pieces, with the punctuation that joined a piece to its
    neighbour inside one token (`海报，周五前` keeps `海报`, not `海报，`; `写文案（周五前）`
    keeps `写文案`)."""
    spans = []
    for piece in pieces:
        start, end = piece.start, piece.end
        while start > 0 and not rest[start - 1].isspace() and _PIECE_BREAK.match(rest[start - 1]):
            start -= 1
        at_token_start = start == 0 or rest[start - 1].isspace()
        while end < len(rest) and _PIECE_BREAK.match(rest[end]):
            if not (at_token_start or rest[end] in _CLOSING):
                break
            end += 1
        spans.append(_Token(rest[start:end], start, end))
    return spans


def _natural_dates(pieces: list[_Token], today: date) -> list[tuple[Reading, list[_Token], str]]:
    """Every date phrase in free text, left to right, none overlapping: a Chinese or numeric
    shape as one piece, an English one of up to five words, or any date after a marker word
    ("by", "on", "due", "截止")."""
    found: list[tuple[Reading, list[_Token], str]] = []
    i, n = 0, len(pieces)
    while i < n:
        hit = None
        word = pieces[i].text.lower()
        if word in EN_DATE_MARKERS or word in ZH_DATE_MARKERS:
            for size in range(min(5, n - i - 1), 0, -1):
                window = pieces[i : i + 1 + size]  # "by fri": the marker says "by"
                phrase = " ".join(p.text for p in window)
                at_tail = i + 1 + size == n
                reading = read_free(phrase, today, marked=True)
                if reading and (reading.own or at_tail):
                    hit = (reading, pieces[i : i + 1 + size], phrase)
                    break
        if hit is None:
            for size in range(min(5, n - i), 0, -1):
                window = pieces[i : i + size]
                if size > 1 and not all(p.text.isascii() for p in window):
                    continue
                phrase = " ".join(p.text for p in window)
                if reading := read_free(phrase, today):
                    hit = (reading, window, phrase)
                    break
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i += len(hit[1])
    return found


def _joined_note(person: str) -> list[Note]:
    """A name typed in two parts is said back as it was read (it is read so only when someone
    has the joined name; otherwise the handler asks)."""
    if SPLIT not in person:
        return []
    first, _, second = person.partition(SPLIT)
    return [Note.of("mention_joined", first=first, second=second, joined=first + second)]


def _cause(value: str) -> str:
    cause = _CAUSE_OF.get(_clean_name(value.rstrip(_CLOSING)).lower())
    if cause is None:
        raise UserError("bad_cause", value=value[:40] or "…")
    return cause


PHASE_FORBIDDEN = "=,，:：;；"  # a KPI's split by phase reads `plan:预热期=50万,爆发期=400万`


def phase_word(value: str) -> str:
    """A phase named in `phase:预热期` (quotes and trailing punctuation dropped), or "" for
    `phase:none` / `阶段:无` (no phase). A name is one word with a letter in it."""
    name = _clean_name(value.strip().strip("\"“”「」『』'‘’").rstrip(_CLOSING))
    if name.lower() in NONE_WORDS:
        return ""
    if (
        not name
        or name.isdigit()
        or not any(ch.isalpha() for ch in name)
        or any(ch in PHASE_FORBIDDEN or ch.isspace() for ch in name)
    ):
        raise UserError("phase_name_bad", value=value[:40] or "…")
    if len(name) > PROJECT_MAX:
        raise UserError("name_too_long", name=name[:20] + "…", limit=PROJECT_MAX)
    return name


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
        phase=scan.phase or None,
        notes=tuple(scan.notes),
        after=tuple(dict.fromkeys(scan.after)),
    )


_NUMBER_SPLIT = re.compile(r"[\s,，、]+")


def task_numbers(text: str, verb: str | None) -> list[int]:
    """Task numbers written `12 13`, `#12,#13` or `12、13` (after the verb `after`, or the key
    `after:` of `add` when `verb` is None); none at all, or anything else, is answered with the
    expected form."""
    numbers = []
    for word in [w for w in _NUMBER_SPLIT.split(text.strip()) if w] or ["…"]:
        m = _TASK_REF.match(word.rstrip(_TRAILING_PUNCT))
        if m is None and verb is None:
            raise UserError("after_key_bad", value=word[:40])
        if m is None:
            raise UserError("after_bad", value=word[:40], verb=verb)
        numbers.append(int(m.group(1)))
    return numbers


def parse_after(verb: str, rest: str, today: date) -> Command:
    """`after 14 12` / `依赖 14 12 13`: task 14 waits for 12 (and 13); `after 14 none` clears."""
    number, remainder = _task_ref(rest, verb)
    if not remainder:
        raise UserError("after_missing", task=number, verb=verb)
    if remainder.lower() in NONE_WORDS:
        return Command(verb, task=number, clear=True)
    return Command(verb, task=number, after=tuple(dict.fromkeys(task_numbers(remainder, verb))))


def parse_task_fields(verb: str, rest: str, today: date) -> Command:
    """`task 12 phase:爆发期` / `任务 12 阶段:爆发期`, `task 12 +双11大促 phase:预热期`, `task 12
    phase:none`: a task's project and phase. `phase` is "" to clear it."""
    if not re.match(r"^[#＃]?\d", rest):  # `任务列表`, `task`: not a task's fields
        raise UserError("task_fields_which", verb=verb)
    number, remainder = _task_ref(rest, verb)
    if not remainder:
        raise UserError("task_fields_missing", task=number, verb=verb)
    phase: str | None = None
    projects: list[str] = []
    words = _tokens(remainder)
    i = 0
    while i < len(words):
        word = words[i].text
        m = _KEY_VALUE.match(word)
        if m and _KEYS[m.group(1).lower()] == "phase":
            value = m.group(2)
            if not value and i + 1 < len(words):
                i += 1
                value = words[i].text
            if phase is not None:
                raise UserError("one_phase", word=m.group(1))
            phase = phase_word(value)
        elif (proj := _project(word)) is not None:
            projects.append(proj)
        else:
            raise UserError("task_fields_bad", value=word[:40], task=number, verb=verb)
        i += 1
    if len(projects) > 1:
        raise UserError("one_project", names=", ".join("+" + p for p in projects))
    return Command(verb, task=number, projects=tuple(projects), phase=phase)


def parse_list(verb: str, rest: str, today: date) -> Command:
    filters, people, projects = set(), [], []
    for piece in _mentions(_tokens(rest)):
        tok = piece.text
        if piece.part:
            continue
        if piece.person is not None:
            people.append(piece.person)
        elif (proj := _project(tok)) is not None:
            projects.append(proj)
        elif (flt := _FILTER_OF.get(tok.lower())) is not None:
            filters.add(flt)
        else:
            raise UserError("bad_filter", value=tok[:40])
    if len(people) > 1 or len(projects) > 1:
        raise UserError("list_one_each")
    return Command(
        verb,
        people=tuple(people),
        projects=tuple(projects),
        filters=frozenset(filters),
        notes=tuple(note for person in people for note in _joined_note(person)),
    )


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
    if len(words) == 1 and words[0].lower() in NONE_WORDS:
        return Command(verb, task=number, clear=True)
    if len(words) == 1 and words[0].lower() in SELF_WORDS:
        return Command(verb, task=number, people=("me",))
    pieces = [p for p in _mentions(_tokens(remainder)) if not p.part]
    if len(pieces) != 1 or pieces[0].person is None:
        raise UserError("assign_who", task=number)
    person = pieces[0].person
    return Command(verb, task=number, people=(person,), notes=tuple(_joined_note(person)))


def parse_due(verb: str, rest: str, today: date) -> Command:
    number, phrase = _task_ref(rest, verb)
    if not phrase:
        raise UserError("due_missing", task=number)
    if phrase.lower() in NONE_WORDS:
        return Command(verb, task=number, clear=True)
    for prefix in ("due:", "截止:", "截止："):
        if phrase.lower().startswith(prefix):
            phrase = phrase[len(prefix) :].strip()
    found = read_date(phrase, today)
    if found is None:
        raise UserError("bad_date", phrase=phrase[:60])
    notes = tuple(date_notes(found, phrase, task=number))
    return Command(verb, task=number, due=found.day, notes=notes)


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
    if not value and setting not in BARE_SETTINGS:
        raise UserError(f"settings_{setting}_missing")
    return Command(verb, setting=setting, text=value)


def parse_role(verb: str, rest: str, today: date) -> Command:
    """`role` (the speaker's), `role @bob` (bob's), `role @bob manager` (a change: the role is
    in `text`)."""
    words = rest.split()
    role = ""
    if words and words[-1].lower() in _ROLE_OF:
        role = _ROLE_OF[words.pop().lower()]
    if not words:
        if role:
            raise UserError("role_who", verb=verb)
        return Command(verb, people=("me",))
    if len(words) == 1 and words[0].lower() in SELF_WORDS:
        return Command(verb, people=("me",), text=role)
    person = _person(words[0]) if len(words) <= 2 else None
    if person is None or (len(words) == 2 and _person(words[1]) is not None):
        raise UserError("role_who", verb=verb)
    if len(words) == 2 and _person(words[1]) is None:  # `role @bob boss`: a word that is no role
        raise UserError("bad_role", value=words[1][:40])
    return Command(verb, people=(person,), text=role)


def parse_bare(verb: str, rest: str, today: date) -> Command:
    """A verb that takes nothing more (previews)."""
    if rest:
        raise UserError("no_args", verb=verb, value=rest[:40])
    return Command(verb)


# --- projects: `project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" buffer:20% @王芳`

GOAL_MAX = 500
BUFFER_MAX = 90  # a larger reserve leaves no plan before it

PROJECT_ACTIONS: dict[str, tuple[str, ...]] = {
    "new": ("new", "create", "add", "新建", "创建", "新增"),
    "show": ("show", "view", "查看", "详情"),
    "list": ("list", "ls", "all", "列表", "全部"),
    "edit": ("edit", "set", "update", "change", "编辑", "修改", "更新"),
    "close": ("close", "finish", "关闭", "结束"),
    "reopen": ("reopen", "重开", "重新打开"),
}
_ACTION_OF = {w.lower(): name for name, words in PROJECT_ACTIONS.items() for w in words}
_CJK_ACTIONS = sorted((w for w in _ACTION_OF if not w.isascii()), key=len, reverse=True)
_PROJECT_KEYS = {
    **dict.fromkeys(("goal", "target", "目标"), "goal"),
    **dict.fromkeys(("buffer", "缓冲", "缓冲期", "缓冲时间", "buffer_pct"), "buffer"),
    **dict.fromkeys(("start", "starts", "from", "开始", "开始日期", "起始"), "start"),
    **dict.fromkeys(("end", "ends", "until", "due", "结束", "结束日期", "截止", "截止日期"), "end"),
}
_PROJECT_KEY = re.compile(
    r"^("
    + "|".join(re.escape(k) for k in sorted(_PROJECT_KEYS, key=len, reverse=True))
    + r")\s*[:：](.*)$",
    re.IGNORECASE | re.DOTALL,
)
_QUOTES = {'"': '"”', "“": '”"', "”": '”"', "「": "」", "『": "』", "'": "'’", "‘": "’'"}
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|~|～|至|到|—|–)\s*(.+)$")


def _range_like(text: str, today: date) -> bool:
    """Whether a word is meant as a date range: `..` or `~` say so; `至`, `到` or a dash only
    when both sides read as dates (`做到500万` is a goal's word, `直播到家` a name)."""
    m = _RANGE.match(text)
    if m is None:
        return False
    if any(mark in text for mark in ("..", "~", "～")):
        return True
    return read_date(m.group(1), today) is not None and read_date(m.group(2), today) is not None


@dataclass(frozen=True)
class _Word:
    text: str  # without its quotes
    quoted: bool
    raw: str  # as typed


def _words(text: str) -> list[_Word]:
    """Blank-separated words, where a quoted run ("Spring launch", “直播 GMV 500万”, 「…」) is
    part of one word, its quotes dropped: a quote opens at a word's start or after `:` or `+`."""
    words: list[_Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start, out, quoted = i, [], False
        while i < n and not text[i].isspace():
            ch = text[i]
            opens = ch in _QUOTES and (i == start or text[i - 1] in ":：+＋")
            if not opens:
                out.append(ch)
                i += 1
                continue
            close = min(
                (j for j in (text.find(c, i + 1) for c in _QUOTES[ch]) if j >= 0), default=-1
            )
            if close < 0:
                raise UserError("project_quote_open", value=text[i : i + 40])
            out.append(text[i + 1 : close])
            quoted, i = True, close + 1
        words.append(_Word("".join(out), quoted, text[start:i]))
    return words


def _project_name(word: str) -> str:
    """A project's name as typed (`+双11大促`, `双11大促`, `"Spring launch"`), checked."""
    name = one_line(word.lstrip("+＋")).strip()
    name = _clean_name(name) if name else name
    if not name or name.isdigit() or not any(ch.isalpha() for ch in name):
        raise UserError("project_name_bad", value=word[:40] or "…")
    if len(name) > PROJECT_MAX:
        raise UserError("name_too_long", name=name[:20] + "…", limit=PROJECT_MAX)
    return name


def _buffer(value: str) -> int:
    percent = _percent(value.strip())
    if percent is None or percent > BUFFER_MAX:
        raise UserError("project_buffer_bad", value=value[:40] or "…", limit=BUFFER_MAX)
    return percent


def _project_date(value: str, today: date) -> Reading:
    found = read_date(value, today) if value else None
    if found is None:
        raise UserError("project_date_bad", phrase=value[:60] or "…")
    return found


def _range(value: str, today: date, notes: list[Note]) -> tuple[date, date]:
    """`2026-11-01..2026-12-10`, `11-01~12-10`, `11月1日至12月10日`: a start and an end. A
    start with no year that has passed this year is this year's when that keeps it before the
    end (a campaign already running), not next year's."""
    m = _RANGE.match(value)
    if m is None:
        raise UserError("project_range_bad", value=value[:60])
    first, second = m.group(1), m.group(2)
    start = _project_date(first, today)
    end = _project_date(second, today)
    day = start.day
    if start.rolled_from is not None and day > end.day and start.rolled_from <= end.day:
        day = start.rolled_from
    elif start.rolled_from is not None:
        notes.append(_rolled(start, first))
    if end.rolled_from is not None:
        notes.append(_rolled(end, second))
    if end.day < day:
        raise UserError("project_end_before_start", start=day.isoformat(), end=end.day.isoformat())
    return day, end.day


def _rolled(reading: Reading, phrase: str) -> Note:
    assert reading.rolled_from is not None
    past = reading.rolled_from.isoformat()
    return Note.of("project_date_rolled", phrase=phrase, day=reading.day.isoformat(), past=past)


def _project_action(rest: str) -> tuple[str, str]:
    """The subcommand and what follows it. No word: the list; a `+name` first: show it."""
    rest = rest.strip()
    if not rest:
        return "list", ""
    if rest[0] in "+＋":
        return "show", rest
    for word in _CJK_ACTIONS:  # glued: `项目列表`, `项目新建 双11`
        if rest.startswith(word):
            return _ACTION_OF[word], rest[len(word) :].strip()
    first, _, after = rest.partition(" ")
    action = _ACTION_OF.get(first.lower())
    if action is None:
        raise UserError("project_action_bad", value=first[:40])
    return action, after.strip()


def parse_project(verb: str, rest: str, today: date) -> Command:
    action, rest = _project_action(rest)
    words = _words(rest)
    if action == "list":
        if words:
            raise UserError("project_extra", value=words[0].raw[:40], verb=verb)
        return Command(verb, action=action)
    if not words:
        raise UserError(f"project_{action}_no_name", verb=verb)
    head = words[0]
    if head.raw[:1] not in _QUOTES and (
        _PROJECT_KEY.match(head.text) or _range_like(head.text, today) or _person(head.raw)
    ):
        raise UserError(f"project_{action}_no_name", verb=verb)
    name = _project_name(head.text)
    if action in ("show", "close", "reopen"):
        if len(words) > 1:
            raise UserError("project_extra", value=words[1].raw[:40], verb=verb)
        return Command(verb, action=action, projects=(name,))
    notes: list[Note] = []
    fields: dict[str, object] = {}
    people: list[str] = []
    goal_words: list[str] | None = None
    taken = 0  # a word a key took as its value (`buffer: 20%`, `结束： 12-15`)
    for following, word in enumerate(words[1:], start=2):  # `following`: the next word's index
        if taken:
            taken -= 1
            continue
        key = _PROJECT_KEY.match(word.text) if word.raw[:1] not in _QUOTES else None
        person = None if word.quoted or key else _person(word.raw)
        if (
            key is None
            and person is None
            and goal_words is not None
            and not _range_like(word.text, today)
        ):
            goal_words.append(word.text)  # an unquoted goal runs on to the next key
            continue
        goal_words = None
        if key is not None:
            field_ = _PROJECT_KEYS[key.group(1).lower()]
            value = key.group(2).strip()
            if field_ in fields:
                raise UserError("project_key_twice", word=key.group(1))
            if field_ == "goal":
                # unquoted, it runs on to the next key (`goal: GMV 500万` too)
                goal_words = None if word.quoted else [value] if value else []
                fields["goal"] = [value] if goal_words is None else goal_words
                continue
            if not value and not word.quoted and following < len(words):
                value, taken = words[following].text, 1
            if field_ == "buffer":
                fields["buffer"] = _buffer(value)
            else:
                fields[field_] = (_project_date(value, today), value)
        elif person is not None:
            people.append(person)
            notes.extend(_joined_note(person))
        elif _range_like(word.text, today) and not word.quoted:
            if "range" in fields:
                raise UserError("project_key_twice", word=word.raw[:40])
            fields["range"] = _range(word.text, today, notes)
        else:
            raise UserError("project_extra", value=word.raw[:40], verb=verb)
    if len(people) > 1:
        raise UserError("one_assignee", names=", ".join("@" + p for p in people))
    start = end = None
    if "range" in fields:
        if "start" in fields or "end" in fields:
            raise UserError("project_key_twice", word="start/end")
        start, end = fields["range"]  # type: ignore[misc]
    else:
        for which in ("start", "end"):
            found = fields.get(which)
            if isinstance(found, tuple):
                reading, phrase = found
                if reading.rolled_from is not None:
                    notes.append(_rolled(reading, phrase))
                if which == "start":
                    start = reading.day
                else:
                    end = reading.day
        if start and end and end < start:
            raise UserError(
                "project_end_before_start", start=start.isoformat(), end=end.isoformat()
            )
    goal = None
    if "goal" in fields:
        if not "".join(fields["goal"]).strip():  # type: ignore[arg-type]
            raise UserError("project_goal_empty", verb=verb)
        goal = _limit(one_line(" ".join(fields["goal"])), GOAL_MAX, "project_goal_too_long")  # type: ignore[arg-type]
    buffer = fields.get("buffer")
    if action == "edit" and not (people or goal or start or end or buffer is not None):
        raise UserError("project_edit_nothing", verb=verb, project=name)
    return Command(
        verb,
        action=action,
        projects=(name,),
        people=tuple(people),
        goal=goal,
        start=start,
        end=end,
        buffer=buffer if isinstance(buffer, int) else None,
        notes=tuple(notes),
    )
