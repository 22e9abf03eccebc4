"""The neutral reply every door renders: Block Kit on Slack, markdown on WeCom, text in the console.

People and moments appear in text as placeholders made of private-use characters (`mention`,
`moment`), resolved by each renderer: a real mention on its platform, a time in the reader's zone.
The grammar removes those characters from what users type, so a title can never forge one."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
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
class Picture:
    """A chart shown with a reply: its `kind` (a row of handlers/charts KINDS), its data as
    plain JSON (`model`, read from the database while the command ran), a file name without
    its extension, a title, and words saying what it shows (its alt text, and what a door that
    cannot show pictures says). Drawn by `handlers.charts.draw` when a door posts it, in the
    work pool after the command's transaction, never on the ack path; a replay draws it again
    from the same model."""

    kind: str
    name: str
    title: str
    alt: str
    model: dict
    # It draws something only its asker may read (a task of another channel): a door shows it
    # to them alone, never into the channel the question came from.
    private: bool = False


@dataclass
class Reply:
    title: str
    lines: list[Line] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    light: Light | None = None
    error: bool = False
    people: dict[int, Person] = field(default_factory=dict)
    public: bool = False  # a change the whole channel should see; reads and errors are private
    tz: str = "UTC"  # the zone of the channel it answers, for moments a renderer cannot localize
    # Follow-ups that belong under this one: thread replies on Slack, further messages elsewhere.
    thread: list[Reply] = field(default_factory=list)
    # Only its speaker may ever read it (an API token): never posted where others see it, never
    # kept for a replay. A door that cannot answer one person privately says so instead.
    secret: bool = False
    # Charts shown with it (uploaded on Slack, image messages on WeCom, files in the console).
    pictures: list[Picture] = field(default_factory=list)


MENTION_OPEN, MENTION_CLOSE = "\ue000", "\ue001"
MENTION = re.compile(f"{MENTION_OPEN}(\\d+){MENTION_CLOSE}")
TIME_OPEN, TIME_CLOSE = "\ue002", "\ue003"
TIME = re.compile(f"{TIME_OPEN}(\\d+){TIME_CLOSE}")
MARKERS = MENTION_OPEN + MENTION_CLOSE + TIME_OPEN + TIME_CLOSE


def mention(member_id: int) -> str:
    return f"{MENTION_OPEN}{member_id}{MENTION_CLOSE}"


def moment(when: datetime) -> str:
    """A point in time, for each renderer to show in its reader's zone (Slack can; others use
    the reply's zone)."""
    return f"{TIME_OPEN}{int(when.timestamp())}{TIME_CLOSE}"


def resolve_moments(text: str, render: Callable[[datetime], str]) -> str:
    return TIME.sub(lambda m: render(datetime.fromtimestamp(int(m.group(1)), UTC)), text)


def resolve_mentions(text: str, people: dict[int, Person], render: Callable[[Person], str]) -> str:
    """Replace each placeholder with `render(person)`; an unknown id renders as `@?`."""

    def swap(match: re.Match[str]) -> str:
        person = people.get(int(match.group(1)))
        return render(person) if person else "@?"

    return MENTION.sub(swap, text)


def to_json(reply: Reply) -> str:
    """A reply as it was answered, kept so that a replayed request gets the same answer."""
    return json.dumps(asdict(reply), ensure_ascii=False)


def from_json(text: str) -> Reply:
    def actions(items: list[dict]) -> list[Action]:
        return [Action(**a) for a in items]

    def light(value: str | None) -> Light | None:
        return Light(value) if value else None

    def build(d: dict) -> Reply:
        return Reply(
            title=d["title"],
            lines=[Line(x["text"], light(x["light"]), actions(x["actions"])) for x in d["lines"]],
            fields=[(a, b) for a, b in d["fields"]],
            actions=actions(d["actions"]),
            light=light(d["light"]),
            error=d["error"],
            people={int(k): Person(**v) for k, v in d["people"].items()},
            public=d["public"],
            tz=d["tz"],
            thread=[build(t) for t in d["thread"]],
            secret=d.get("secret", False),
            pictures=[Picture(**p) for p in d.get("pictures", [])],
        )

    return build(json.loads(text))
