"""Pictures checked as pictures, for the KPI chart's and the fever chart's tests: a PNG decoded
with Pillow (its header, its size, that it is not blank, how many pixels are near a colour), and
every text a figure draws checked against the font that draws it."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from handlers.charts import canvas

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def image(data: bytes) -> Image.Image:
    assert data[:8] == PNG_MAGIC, "not a PNG"
    return Image.open(io.BytesIO(data)).convert("RGB")


def _pixels(img: Image.Image) -> list[tuple[int, int, int]]:
    data = img.tobytes()
    return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]


def near(img: Image.Image, colour: str, tolerance: int = 40) -> int:
    """How many pixels are within `tolerance` (per channel) of `colour` (#rrggbb)."""
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        1
        for pixel in _pixels(img)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, want, strict=True))
    )


def inked(img: Image.Image) -> float:
    """The share of pixels that are not the paper's white."""
    pixels = _pixels(img)
    return sum(1 for p in pixels if min(p) < 235) / len(pixels)


@cache
def _cmap(path: str) -> frozenset[int]:
    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of the figure once it is laid out (tick labels too)."""
    fig.canvas.draw()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def tofu(fig: Figure) -> dict[str, set[str]]:
    """Text → the characters the font actually chosen for it cannot draw; and any text with a
    character the chart's CJK font lacks (`canvas.missing_glyphs`)."""
    out: dict[str, set[str]] = {}
    for text in texts(fig):
        content = text.get_text()
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        missing = {c for c in content if not c.isspace() and ord(c) not in _cmap(path)}
        missing |= canvas.missing_glyphs(content)
        if missing:
            out[content] = missing
    return out


def fonts_of(fig: Figure) -> set[Path]:
    return {
        Path(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False))
        for t in texts(fig)
    }
