"""The Gantt chart of a plan (`gantt +双11大促` / `甘特图`): FOUNDATION PLACEHOLDER, the Gantt
helper fills this module in (builder `picture`, `draw`, the verb's parser and handler)."""

from __future__ import annotations

from handlers.context import Env
from handlers.reply import Picture
from storage.models import Project


def picture(env: Env, project: Project, page: int = 1) -> tuple[Picture, int]:
    """Page `page` of the project's Gantt chart, and how many pages it has."""
    raise NotImplementedError


def draw(model: dict, fmt: str, scale: float) -> bytes:
    raise NotImplementedError
