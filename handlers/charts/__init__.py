"""Pictures of a plan, from one renderer for chat (PNG) and the dashboard (SVG): each kind of
chart is a module that reads its data into a plain model (`Picture.model`) while a command
runs, and draws that model later, in the work pool (`draw`). A new chart is a module with a
builder and a `draw`, and one row in `KINDS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.charts import fever, gantt, kpi_chart
from handlers.charts.canvas import PNG, SVG
from handlers.reply import Picture

__all__ = ["KINDS", "PNG", "SVG", "ChartKind", "draw"]

Draw = Callable[[dict, str, float], bytes]  # (model, PNG or SVG, scale) → the picture's bytes


@dataclass(frozen=True)
class ChartKind:
    name: str
    draw: Draw


KINDS: dict[str, ChartKind] = {
    kind.name: kind
    for kind in (
        ChartKind("gantt", gantt.draw),
        ChartKind("kpi", kpi_chart.draw),
        ChartKind("fever", fever.draw),
    )
}


def draw(picture: Picture, fmt: str = PNG, scale: float = 1.0) -> bytes:
    """The picture drawn: PNG bytes for chat (`scale` < 1 draws it smaller), or SVG text as
    UTF-8 bytes for a page."""
    return KINDS[picture.kind].draw(picture.model, fmt, scale)
