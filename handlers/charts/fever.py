"""The buffer fever chart of a plan (`buffer +双11大促` / `缓冲`): FOUNDATION PLACEHOLDER, the
charts helper fills this module in."""

from __future__ import annotations

from handlers.context import Env
from handlers.reply import Picture
from storage.models import Project


def picture(env: Env, project: Project) -> Picture:
    """The project's fever chart: one dot per week, the zones behind."""
    raise NotImplementedError


def draw(model: dict, fmt: str, scale: float) -> bytes:
    raise NotImplementedError
