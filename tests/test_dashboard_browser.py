"""The dashboard in a real browser: headless Chromium (Debian's `chromium`) opens the demo
campaign's portfolio and project page from the links `仪表盘` / `dashboard` give, on a real
`paceline serve` app on 127.0.0.1; the DOM it built is checked (Chinese included), and the
screenshots at a phone's and a desktop's size are checked for real Chinese glyphs, not boxes.
Skipped, saying why, on a machine without Chromium (.ci/run installs it)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from bench.dashboard_shots import (
    DESKTOP,
    PHONE,
    chromium,
    demo_server,
    dump_dom,
    project_link,
    screenshot,
)

BINARY = chromium()
pytestmark = pytest.mark.skipif(
    BINARY is None, reason="no chromium on this machine (apt-get install chromium; .ci/run does)"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    with demo_server(tmp_path_factory.mktemp("demo")) as running:
        yield running


def test_the_portfolio_in_chromium(demo):
    assert BINARY is not None
    dom = dump_dom(BINARY, demo.links["zh"])
    assert "双11大促" in dom and "全局" in dom and "缓冲已用" in dom and "红灯" in dom
    assert 'http-equiv="refresh"' in dom
    english = dump_dom(BINARY, demo.links["en"])
    assert "Portfolio" in english and "双11大促" in english and "buffer" in english


def test_the_project_page_in_chromium(demo):
    assert BINARY is not None
    dom = dump_dom(BINARY, project_link(demo.links["zh"]))
    for text in (
        "双11大促",
        "看板",
        "直播脚本三级审核",
        "法务排期已满",
        "审批",
        "本周变更",
        "甘特图",
    ):
        assert text in dom
    assert dump_dom(BINARY, demo.base + "/dashboard?k=forged").count("双11大促") == 0


def ink(path: Path, box: tuple[int, int, int, int]) -> float:
    """The share of near-black pixels in `box` (the ink of dark text; not a light's colour)."""
    image = Image.open(path).convert("L").crop(box)
    width, height = image.size
    pixels = image.load()
    dark = sum(1 for x in range(width) for y in range(height) if pixels[x, y] < 90)
    return dark / (width * height)


def below_header(path: Path) -> int:
    """The first row under the page's dark header."""
    with Image.open(path) as image:
        grey = image.convert("L")
        return next(y for y in range(grey.height) if grey.getpixel((2, y)) > 200)


def system_cjk_font() -> bool:
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.stdout.strip())


@pytest.mark.parametrize(("size", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_screenshots_show_real_chinese(demo, tmp_path, size, name):
    """The project page's title (双11大促, 22 px bold) drawn with the page's fonts, against the
    same page with web fonts off: on a machine with no CJK font of its own (this one), the
    second draws boxes, thin outlines with little ink; the first real strokes."""
    assert BINARY is not None
    url = project_link(demo.links["zh"])
    shot = screenshot(BINARY, url, tmp_path / f"{name}.png", size)
    boxes = screenshot(
        BINARY, url, tmp_path / f"{name}-no-web-fonts.png", size, "--disable-remote-fonts"
    )
    with Image.open(shot) as image:
        assert image.size == size
    left = 0 if name == "phone" else (size[0] - 1180) // 2
    top = below_header(shot)
    title = (left, top, left + 200, top + 60)
    assert ink(shot, title) > 0.03, f"no title drawn: see {shot}"
    if not system_cjk_font():
        assert ink(shot, title) > 1.5 * ink(boxes, title), f"boxes, not Chinese: see {shot}"
