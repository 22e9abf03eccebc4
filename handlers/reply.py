"""The neutral reply every door renders: Block Kit on Slack, markdown on WeCom, text in the console.

People appear in text as placeholders made of private-use characters (see `mention`), resolved by
each renderer from `Reply.people` into a real mention on its platform. The grammar removes those
characters from what users type, so a title can never forge a mention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Light(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def emoji(self) -> str:
        return {"red": "🔴", "yellow": "🟡", "green": "🟢"}[self.value]


@dataclass(frozen=True)
class Person:
    name: str
    external_id: str
    platform: str


@dataclass(frozen=True)
class Action:
    """A suggested next step; `command` is grammar text, so a button simply dispatches it."""

    label: str
    command: str
    style: str = "default"


@dataclass
class Line:
    text: str
    light: Light | None = None
    actions: list[Action] = field(default_factory=list)


@dataclass
class Reply:
    title: str
    lines: list[Line] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    light: Light | None = None
    error: bool = False
    people: dict[int, Person] = field(default_factory=dict)


MENTION_OPEN, MENTION_CLOSE = "\ue000", "\ue001"
MENTION = re.compile(f"{MENTION_OPEN}(\\d+){MENTION_CLOSE}")


def mention(member_id: int) -> str:
    return f"{MENTION_OPEN}{member_id}{MENTION_CLOSE}"


def resolve_mentions(text: str, people: dict[int, Person], render) -> str:
    """Replace each placeholder with `render(person)`; an unknown id renders as `@?`."""

    def swap(match: re.Match[str]) -> str:
        person = people.get(int(match.group(1)))
        return render(person) if person else "@?"

    return MENTION.sub(swap, text)
