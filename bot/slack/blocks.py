"""A Reply as Block Kit, within Slack's limits: at most 50 blocks a message (100 in a Home
tab), 3000 characters a section, 150 a header. What does not fit goes on in further messages,
each saying which page it is; nothing is cut silently."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from handlers import Action, Line, Reply
from handlers.grammar import CAUSES
from handlers.reply import Person, resolve_mentions, resolve_moments

MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_OPTION_TEXT = 75
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_OPTION_VALUE = 150
MAX_MESSAGES = 5  # a response_url takes five posts; a sixth is refused

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
NEW_TASK_VIEW = "paceline_new_task"
BLOCK_VIEW = "paceline_block"


@dataclass
class Message:
    text: str  # the notification and screen-reader fallback
    blocks: list[dict]


def escape(text: str) -> str:
    """Text as Slack shows it literally: `&`, `<` and `>` are Slack's control characters (a
    typed `<!here>` would ping the channel), so they go as HTML entities, as Slack asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029\x85]\s*")


def one_line(text: str) -> str:
    """The core writes no line break in a title or a line; one stored before it kept them
    none is shown either (a line of its own would start a quote, or pass for the bot's)."""
    return _LINE_BREAK.sub(" ", text)


def _person(p: Person) -> str:
    return f"<@{p.external_id}>" if SLACK_USER_ID.match(p.external_id) else f"@{escape(p.name)}"


def _moment(when: datetime) -> str:
    fallback = when.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def mrkdwn(text: str, reply: Reply) -> str:
    """User text escaped for mrkdwn, then people and moments made real Slack mentions/dates.
    Also what a message's top-level `text` (its notification) carries: Slack parses it too."""
    escaped = escape(one_line(text))
    return resolve_moments(resolve_mentions(escaped, reply.people, _person), _moment)


def plain(text: str, reply: Reply) -> str:
    """For plain_text fields (headers, buttons), which Slack shows as they are and never
    parses: names, not markup."""
    names = resolve_mentions(one_line(text), reply.people, lambda p: f"@{p.name}")
    return resolve_moments(names, lambda when: when.strftime("%m-%d %H:%M"))


def _cut_markup(text: str, limit: int) -> str:
    """`_cut` for mrkdwn: never ends inside a `<…>` (a mention or date cut in half) or an
    `&…;` entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    if cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut + "…"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(text: str, limit: int) -> list[str]:
    """Split at line ends where possible; a single over-long line is split where it must."""
    out, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def _light(line: Line | Reply) -> str:
    return f"{line.light.emoji} " if line.light else ""


def action_id(action: Action) -> str:
    verb, _, number = action.command.partition(" ")
    return f"task:{verb}:{number}"


def button(action: Action, reply: Reply) -> dict:
    element = {
        "type": "button",
        "action_id": action_id(action),
        "text": {"type": "plain_text", "text": _cut(plain(action.label, reply), MAX_BUTTON_TEXT)},
        "value": action.command[:MAX_VALUE],
    }
    if action.style in ("primary", "danger"):
        element["style"] = action.style
    return element


def overflow(actions: list[Action], reply: Reply) -> dict:
    """A line's actions as its menu; a single action as a button (a menu needs 2–5 options)."""
    if len(actions) == 1:
        return button(actions[0], reply)
    number = actions[0].command.partition(" ")[2]
    return {
        "type": "overflow",
        "action_id": f"task:menu:{number}",
        "options": [
            {
                "text": {
                    "type": "plain_text",
                    "text": _cut(plain(a.label, reply), MAX_OPTION_TEXT),
                },
                "value": a.command[:MAX_OPTION_VALUE],
            }
            for a in actions[:5]
        ],
    }


def _section(text: str, accessory: dict | None = None) -> dict:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory:
        block["accessory"] = accessory
    return block


def body_blocks(reply: Reply, *, menus: bool = True) -> list[dict]:
    """Every block of a reply except its header, in order. Without `menus`, lines with actions
    are plain text like the others, packed many to a section."""
    blocks: list[dict] = []
    labelled = [(label, value) for label, value in reply.fields if label]
    for start in range(0, len(labelled), MAX_FIELDS):
        fields = [
            {
                "type": "mrkdwn",
                "text": _cut(f"*{escape(label)}*\n{mrkdwn(value, reply)}", MAX_FIELD),
            }
            for label, value in labelled[start : start + MAX_FIELDS]
        ]
        blocks.append({"type": "section", "fields": fields})
    for label, value in reply.fields:
        if not label:
            blocks.append(
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": _cut(mrkdwn(value, reply), MAX_FIELD)}],
                }
            )
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.extend(_section(chunk) for chunk in _chunks("\n".join(pending), MAX_SECTION))
            pending.clear()

    for line in reply.lines:
        text = _light(line) + mrkdwn(line.text, reply)
        if line.actions and menus:
            flush()
            for i, chunk in enumerate(_chunks(text, MAX_SECTION)):
                blocks.append(_section(chunk, overflow(line.actions, reply) if i == 0 else None))
        else:
            pending.append(text)
    flush()
    if reply.actions:
        blocks.append(
            {"type": "actions", "elements": [button(a, reply) for a in reply.actions[:25]]}
        )
    return blocks


def header(reply: Reply) -> tuple[list[dict], str]:
    """The header block(s), and the title as a message's `text` carries it (mrkdwn, escaped)."""
    title = _light(reply) + plain(reply.title, reply)
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": _cut(title, MAX_HEADER)}}]
    if len(title) > MAX_HEADER:  # the whole title still reaches the reader
        blocks.append(_section(mrkdwn(reply.title, reply)))
    return blocks, _light(reply) + mrkdwn(reply.title, reply)


def messages(
    reply: Reply, *, max_blocks: int = MAX_BLOCKS, with_thread: bool = True
) -> list[Message]:
    """The reply as one message, or several when it is longer than one message may be; then
    its thread replies' messages (unless the caller posts those into a thread itself)."""
    own = _messages(reply, max_blocks)
    if with_thread:
        for follow_up in reply.thread:
            own.extend(_messages(follow_up, max_blocks))
    return own


def _messages(reply: Reply, max_blocks: int) -> list[Message]:
    head, title = header(reply)
    if reply.error:
        text = "\n".join(f"⚠️ {mrkdwn(line.text, reply)}" for line in reply.lines)
        return [
            Message(
                f"⚠️ {_cut_markup(title, 2900)}", [_section(c) for c in _chunks(text, MAX_SECTION)]
            )
        ]
    body = body_blocks(reply)
    per_page = max_blocks - len(head) - 1  # one block per page says which page it is
    if len(head) + len(body) > max_blocks and -(-len(body) // per_page) > MAX_MESSAGES:
        body = body_blocks(reply, menus=False)  # a menu on every line would take too many posts
    if len(head) + len(body) <= max_blocks:
        return [Message(_fallback(title, reply), head + body)]
    pages = [body[i : i + per_page] for i in range(0, len(body), per_page)]
    out = []
    for n, page in enumerate(pages, start=1):
        marker = {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": f"{_cut_markup(title, 1900)} · {n}/{len(pages)}"}
            ],
        }
        blocks = (head + page + [marker]) if n == 1 else ([marker, *page])
        out.append(Message(f"{_cut_markup(title, 2900)} ({n}/{len(pages)})", blocks))
    return out


def _fallback(title: str, reply: Reply) -> str:
    """A message's `text`: Slack parses it as mrkdwn (and notifies from it), so it is written
    as the blocks are, user text escaped and people as real mentions."""
    first = mrkdwn(reply.lines[0].text, reply) if reply.lines else ""
    return _cut_markup(f"{title}: {first}" if first else title, 3000)


def home_view(reply: Reply, notice: list[dict] | None = None) -> dict:
    """The App Home tab: the reply's lines grouped by light, each with its menu of actions, under
    an optional notice (an error from a Home button). What does not fit is counted at the end."""
    head, _ = header(reply)
    blocks = [*head, *(notice or [])]
    ends: list[int] = []  # where each line's blocks end
    current = "start"
    for line in reply.lines:
        group = line.light.value if line.light else None
        if group != current and group is not None:
            blocks.append({"type": "divider"})
        current = group
        text = _light(line) + mrkdwn(line.text, reply)
        accessory = overflow(line.actions, reply) if line.actions else None
        blocks.extend(
            _section(c, accessory if i == 0 else None)
            for i, c in enumerate(_chunks(text, MAX_SECTION))
        )
        ends.append(len(blocks))
    if len(blocks) > MAX_HOME_BLOCKS:
        hidden = sum(1 for end in ends if end > MAX_HOME_BLOCKS - 1)  # lines, not blocks
        blocks = blocks[: MAX_HOME_BLOCKS - 1]
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"+{hidden} more · `/task list mine` in a channel"}
                ],
            }
        )
    return {"type": "home", "blocks": blocks}


def _input(block_id: str, label: str, element: dict, *, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def new_task_modal(channel_id: str, response_url: str | None = None) -> dict:
    """`/task` alone: a form for one task. Labels carry both languages; the channel's language
    is unknown until the command reaches the core. The command's response_url rides along, so
    the new task can be told in a channel the bot is not a member of."""
    return {
        "type": "modal",
        "callback_id": NEW_TASK_VIEW,
        "private_metadata": json.dumps({"channel": channel_id, "response_url": response_url}),
        "title": {"type": "plain_text", "text": "New task · 新建任务"},
        "submit": {"type": "plain_text", "text": "Add · 新建"},
        "close": {"type": "plain_text", "text": "Cancel · 取消"},
        "blocks": [
            _input(
                "title",
                "Title · 标题",
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "max_length": 200,
                },
            ),
            _input(
                "assignee",
                "Owner · 负责人",
                {"type": "users_select", "action_id": "value"},
                optional=True,
            ),
            _input(
                "due", "Due · 截止日期", {"type": "datepicker", "action_id": "value"}, optional=True
            ),
            _input(
                "project",
                "Project · 项目",
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "max_length": 100,
                    "placeholder": {"type": "plain_text", "text": "double11 / 双11"},
                },
                optional=True,
            ),
        ],
    }


_CAUSE_NAMES = {
    "resources": "Resources · 资源",
    "dependency": "Dependency · 依赖",
    "approval": "Approval · 审批",
    "scope": "Scope · 需求",
    "technical": "Technical · 技术",
    "external": "External · 外部",
    "communication": "Communication · 沟通",
    "other": "Other · 其他",
}


def block_modal(task: int, channel_id: str | None, response_url: str | None) -> dict:
    """The Blocked button: why, and the root cause."""
    metadata = {"task": task, "channel": channel_id, "response_url": response_url}
    return {
        "type": "modal",
        "callback_id": BLOCK_VIEW,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": f"Blocked · 阻塞 #{task}"[:24]},
        "submit": {"type": "plain_text", "text": "Report · 报告"},
        "close": {"type": "plain_text", "text": "Cancel · 取消"},
        "blocks": [
            _input(
                "reason",
                "What is in the way? · 阻塞原因",
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": 1000,
                },
            ),
            _input(
                "cause",
                "Root cause · 根因",
                {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [
                        {"text": {"type": "plain_text", "text": _CAUSE_NAMES[c]}, "value": c}
                        for c in CAUSES
                    ],
                },
                optional=True,
            ),
        ],
    }
