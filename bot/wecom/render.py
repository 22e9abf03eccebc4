"""A Reply as WeCom markdown or plain text, split to WeCom's byte limits (markdown 4096 bytes
for a group robot, 2048 for an app message, 20480 for the one message an intelligent robot's
response_url takes; text 2048), never cut: each part says which it is."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from handlers import Line, Reply
from handlers.reply import Light, Person, resolve_mentions, resolve_moments

ROBOT_MARKDOWN_BYTES = 4096
APP_MARKDOWN_BYTES = 2048
RESPONSE_URL_MARKDOWN_BYTES = 20480  # and a response_url takes one message only
TEXT_BYTES = 2048
_COLOUR = {Light.RED: "warning", Light.YELLOW: "comment", Light.GREEN: "info"}


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def _mention(p: Person) -> str:
    """A person the core names: a real mention (`<@userid>`) of a WeCom member; anyone else by
    name, defused (a name is somebody's typing too)."""
    if p.platform == "wecom" and p.external_id.casefold() != "all":
        return f"<@{p.external_id}>"
    return _defuse(f"@{p.name}")


def _resolve(text: str, reply: Reply, mention) -> str:
    zone = ZoneInfo(reply.tz)
    text = resolve_mentions(text, reply.people, mention)
    return resolve_moments(text, lambda when: when.astimezone(zone).strftime("%m-%d %H:%M"))


# What WeCom takes as markup inside a line of text: a mention (`<@userid>`, `<@all>`, and `@all`,
# which notifies the whole group), a colour tag, a link or image (`[text](url)`) and emphasis
# (`**bold**`, `*italic*`). The core writes none of these itself (its people are placeholders,
# resolved after this, and it writes no `*`), so wherever they appear they come from what
# somebody typed: a title, a reason, a note, a project's or a person's name. A zero-width space
# keeps the characters as typed but breaks the mention, tag and link; an asterisk becomes the
# asterisk operator (∗), since no space between two asterisks stops a parser reading emphasis.
_TAG = re.compile(r"<(?=\s*(@|/?\s*font\b))", re.IGNORECASE)
_AT_ALL = re.compile(r"@(?=all)", re.IGNORECASE)
_LINK = re.compile(r"\](?=\s*\()")
_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029\x85]\s*")
ZWSP = "\u200b"
ASTERISK = "\u2217"


def _flat(text: str) -> str:
    """One line, no mention: what plain text messages need (they parse no markdown)."""
    text = _LINE_BREAK.sub(" ", text)
    return _AT_ALL.sub("@" + ZWSP, _TAG.sub("<" + ZWSP, text))


def _defuse(text: str) -> str:
    """Typed text as WeCom markdown shows it literally: one line (a title cannot start a
    heading or a quote), no mention, no colour, no link, no emphasis."""
    return _LINK.sub("]" + ZWSP, _flat(text)).replace("*", ASTERISK)


def _light(light: Light | None) -> str:
    if light is None:
        return ""
    return f'<font color="{_COLOUR[light]}">{light.emoji}</font> '


_EMOJI = {light.emoji: light for light in Light}


def _coloured(value: str) -> str:
    """A field whose value opens with a light (a plan's worst KPI, its buffer) shows that light
    in its WeCom colour, as a line's light is."""
    for emoji, light in _EMOJI.items():
        if value.startswith(emoji + " "):
            return _light(light) + value[len(emoji) + 1 :]
    return value


def markdown_lines(reply: Reply) -> list[str]:
    """The reply as markdown lines: a bold title with its light, fields, then each line."""
    md = lambda text: _resolve(_defuse(text), reply, _mention)  # noqa: E731
    title = ("⚠️ " if reply.error else _light(reply.light)) + f"**{md(reply.title)}**"
    out = [title]
    out.extend(
        f"> {md(label)}：{_coloured(md(value))}" if label else f"> {_coloured(md(value))}"
        for label, value in reply.fields
    )
    out.extend(_line(line, md) for line in reply.lines)
    if reply.actions:
        hints = " · ".join(f"`{a.command}`" for a in reply.actions)
        out.append(f'<font color="comment">{hints}</font>')
    return out


def _line(line: Line, md) -> str:
    return _light(line.light) + md(line.text)


def text_lines(reply: Reply) -> list[str]:
    """Plain text, for passive replies and text messages: emoji lights, names as @name."""
    plain = lambda text: _resolve(_flat(text), reply, lambda p: _flat(f"@{p.name}"))  # noqa: E731
    mark = "⚠️ " if reply.error else f"{reply.light.emoji} " if reply.light else ""
    out = [mark + plain(reply.title)]
    out.extend(
        f"{plain(label)}：{plain(value)}" if label else plain(value)
        for label, value in reply.fields
    )
    out.extend(
        (f"{line.light.emoji} " if line.light else "") + plain(line.text) for line in reply.lines
    )
    return out


def split(lines: list[str], limit: int) -> list[str]:
    """Whole lines packed into messages of at most `limit` UTF-8 bytes; a part of several says
    so ("(2/3)"). A line longer than a message is split at a character boundary."""
    reserve = 16  # room for the " (12/34)" marker
    pieces: list[str] = []
    for line in lines:
        while size(line) > limit - reserve:
            cut = _fit(line, limit - reserve)
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if size(candidate) > limit - reserve:
            parts.append(current)
            current = piece
        else:
            current = candidate
    if current or not parts:
        parts.append(current)
    if len(parts) > 1:
        parts = [f"{part}\n({n}/{len(parts)})" for n, part in enumerate(parts, start=1)]
    return parts


def _fit(line: str, limit: int) -> int:
    """How many characters of `line` fit in `limit` bytes."""
    total = 0
    for i, ch in enumerate(line):
        total += size(ch)
        if total > limit:
            return max(i, 1)
    return len(line)


def markdown(reply: Reply, limit: int = ROBOT_MARKDOWN_BYTES) -> list[str]:
    """The reply's messages, then its follow-ups' (WeCom has no threads: a series)."""
    parts = split(markdown_lines(reply), limit)
    for follow_up in reply.thread:
        parts.extend(markdown(follow_up, limit))
    return parts


def all_markdown_lines(reply: Reply) -> list[str]:
    """The reply and its follow-ups as the lines of one markdown message, a blank line between
    each (a response_url takes one message: what a group robot gets as a series)."""
    lines = markdown_lines(reply)
    for follow_up in reply.thread:
        lines += ["", *all_markdown_lines(follow_up)]
    return lines


def first_message(lines: list[str], limit: int, note: str) -> tuple[str, list[str]]:
    """One message of at most `limit` bytes: every line, or, when they do not all fit, as many
    whole lines as fit with `note` (where the rest went) at the end; and the lines left over."""
    whole = "\n".join(lines)
    if size(whole) <= limit:
        return whole, []
    budget = limit - size(note) - 1
    taken, used = 0, -1
    while taken < len(lines) and used + 1 + size(lines[taken]) <= budget:
        used += 1 + size(lines[taken])
        taken += 1
    if taken == 0:  # one line longer than a message: its head here, the rest after
        cut = _fit(lines[0], budget)
        return f"{lines[0][:cut]}\n{note}", [lines[0][cut:], *lines[1:]]
    return "\n".join([*lines[:taken], note]), lines[taken:]


def text(reply: Reply, limit: int = TEXT_BYTES) -> list[str]:
    parts = split(text_lines(reply), limit)
    for follow_up in reply.thread:
        parts.extend(text(follow_up, limit))
    return parts
