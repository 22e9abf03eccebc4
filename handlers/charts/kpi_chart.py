"""The KPI chart of a plan (`kpi chart +双11大促` / `指标图`): FOUNDATION PLACEHOLDER, the charts
helper fills this module in."""

from __future__ import annotations

from handlers.context import Env
from handlers.reply import Picture
from storage.models import Project


def pictures(env: Env, project: Project) -> list[Picture]:
    """The project's KPI charts (none when it has no KPI)."""
    raise NotImplementedError


def draw(model: dict, fmt: str, scale: float) -> bytes:
    raise NotImplementedError
