"""A small real chart kind for the door tests of pictures (tests/test_pictures_*.py), until the
real charts (gantt, kpi, fever) are merged: `use_test_charts(monkeypatch)` registers kind
"test" in handlers.charts.KINDS (a real matplotlib figure through the canvas), and makes the
`list` verb answer with the pictures a test asks for, through the real core (its delivery
key, its kept reply for a replay)."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from PIL import Image

from handlers import charts
from handlers.charts.canvas import figure, to_bytes
from handlers.reply import Line, Picture, Reply
from handlers.verbs import BY_NAME

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def draw_test(model: dict, fmt: str, scale: float) -> bytes:
    """A bar chart; with `noise`, an image of random pixels `noise` inches wide (a PNG that
    cannot compress: megabytes at scale 1.0)."""
    noise = model.get("noise")
    if noise:
        fig = figure(noise * 0.75, noise)
        ax = fig.add_axes((0, 0, 1, 1))
        pixels = int(noise * 110)
        rng = np.random.default_rng(7)
        ax.imshow(rng.random((int(pixels * 0.75), pixels, 3)), interpolation="nearest")
        ax.set_axis_off()
    else:
        fig = figure(2.0)
        ax = fig.add_subplot()
        ax.bar(range(len(model["bars"])), model["bars"], color="#2f9e5b")
        ax.set_title(model.get("title", "测试 test"))
    return to_bytes(fig, fmt, scale)


def picture(name: str = "test chart", *, noise: float | None = None, bars=(3, 1, 2)) -> Picture:
    model = {"noise": noise} if noise else {"bars": list(bars)}
    return Picture("test", name, f"Chart {name}", f"What {name} shows", model)


def use_test_charts(monkeypatch: pytest.MonkeyPatch, *pictures: Picture, thread: bool = False):
    """Kind "test" registered; `list …` answers "Charts" with `pictures` (or, with `thread`,
    a follow-up holding them, as a digest's project reply does)."""
    monkeypatch.setitem(charts.KINDS, "test", charts.ChartKind("test", draw_test))

    def run(env, command) -> Reply:
        shown = [dataclasses.replace(p) for p in pictures]
        if thread:
            return Reply("Charts", [Line("the summary")], thread=[Reply("Project", pictures=shown)])
        return Reply("Charts", [Line("the chart follows")], pictures=shown)

    monkeypatch.setitem(BY_NAME, "list", dataclasses.replace(BY_NAME["list"], run=run))


def is_png(data: bytes) -> tuple[int, int]:
    """The size of a valid PNG (PIL reads it through); AssertionError when it is not one."""
    assert data.startswith(PNG_MAGIC), data[:16]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size
