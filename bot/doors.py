"""Which doors this process has: each door package's `build(settings, db, clock)` returns its
door, or None when its settings are absent. A new door is one more builder in `BUILDERS`; no
discovery, no registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from bot import console, slack, wecom
from bot.delivery import Poster
from bot.door import Clock, Door, wall_clock
from bot.settings import Settings
from storage.db import Database

Builder = Callable[[Settings, Database, Clock], Door | None]
BUILDERS: tuple[Builder, ...] = (slack.build, wecom.build)


def configured_doors(settings: Settings, db: Database, clock: Clock = wall_clock) -> list[Door]:
    """Every door whose settings are present, each handed `clock`."""
    return [door for build in BUILDERS if (door := build(settings, db, clock)) is not None]


def posters(doors: Iterable[Door], pictures: Path | None = None) -> dict[str, Poster]:
    """Who posts the scheduled messages of each platform's channels; the console's are printed
    (their charts written in `pictures`)."""
    found: dict[str, Poster] = {console.PLATFORM: console.ConsolePoster(pictures=pictures)}
    found.update((door.platform, door.poster()) for door in doors)
    return found
