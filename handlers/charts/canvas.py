"""What every chart is drawn on: a matplotlib Figure through the object API (no pyplot, no
current figure shared between threads), the CJK font that ships with the install (Noto Sans CJK
SC from the `mplfonts` package: Chinese renders on a machine with no system fonts), the lights'
colours, and the bytes out (PNG for chat, SVG for the dashboard)."""

from __future__ import annotations

import io
import threading
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from handlers.reply import Light

FONT_FILE = "NotoSansCJKsc-Regular.otf"
FONT_NAME = "Noto Sans CJK SC"
# Chat previews are about 360-500 px wide on a phone and 600-700 px on a desktop: a chart is
# drawn WIDTH inches wide at DPI so that its text stays readable at either.
WIDTH, DPI = 10.0, 110
PNG, SVG = "png", "svg"

LIGHT_COLOURS: dict[Light, str] = {
    Light.RED: "#d64545",
    Light.YELLOW: "#e3a008",
    Light.GREEN: "#2f9e5b",
}
GREY, INK, PAPER, TODAY = "#9aa3ad", "#1f2933", "#ffffff", "#3b6fd6"

_lock = threading.Lock()


@cache
def font_path() -> Path:
    """The CJK font file the charts use (a package file, not a system font)."""
    return Path(str(resources.files("mplfonts") / "fonts" / FONT_FILE))


def _setup() -> None:
    """Once per process: the font registered with matplotlib and made the default (Latin,
    digits and CJK from one font; DejaVu for a symbol it lacks), text in SVG drawn as paths so
    the page needs no font either."""
    with _lock:
        if getattr(_setup, "done", False):
            return
        font_manager.fontManager.addfont(str(font_path()))
        matplotlib.rcParams["font.family"] = [FONT_NAME, "DejaVu Sans"]
        matplotlib.rcParams["axes.unicode_minus"] = False
        matplotlib.rcParams["svg.fonttype"] = "path"
        matplotlib.rcParams["svg.hashsalt"] = "paceline"  # the same chart, the same SVG
        _setup.done = True  # type: ignore[attr-defined]


def figure(height: float, width: float = WIDTH) -> Figure:
    """A new figure (inches), with its own canvas: safe to draw in any thread."""
    _setup()
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor=PAPER)
    FigureCanvasAgg(fig)
    return fig


def to_bytes(fig: Figure, fmt: str = PNG, scale: float = 1.0) -> bytes:
    """The figure as PNG (at `scale` × its DPI: a door shrinks a picture over its platform's
    limit by drawing it smaller) or SVG."""
    out = io.BytesIO()
    if fmt == SVG:
        FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None})  # no clock in it
    elif fmt == PNG:
        fig.savefig(out, format="png", dpi=DPI * scale, facecolor=PAPER)
    else:
        raise ValueError(f"no such picture format: {fmt!r}")
    return out.getvalue()


@cache
def _covered() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: str) -> set[str]:
    """The characters of `text` the chart font cannot draw (white space aside): what would
    come out as tofu boxes."""
    return {c for c in text if not c.isspace() and ord(c) not in _covered()}
