"""README's "Plan a campaign" walk-through, run as written (Chinese and English) through the
console bot on a day of the campaign: every line is understood, and the plan reads as the README
says it does. A README that drifts from the grammar fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_handlers import is_error

README = Path(__file__).resolve().parent.parent / "README.md"


def walkthrough_blocks() -> list[list[str]]:
    text = README.read_text("utf-8")
    section = text.split("## Plan a campaign", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```text\n(.*?)```", section, re.S)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def test_the_walkthrough_has_a_chinese_and_an_english_plan():
    zh, en = walkthrough_blocks()
    assert zh[0].startswith("项目 新建") and en[0].startswith("project new")


@pytest.mark.parametrize("which", [0, 1], ids=["zh", "en"])
def test_every_walkthrough_line_is_understood(bot, which):
    replies = []
    for line in walkthrough_blocks()[which]:
        out = bot.say(line)
        assert not is_error(out), (line, out)
        replies.append(out)
    show, board, portfolio, gantt, kpi_chart, buffer, dashboard = replies[-7:]
    for pictured in (gantt, kpi_chart, buffer):  # each a PNG written, its path shown
        paths = [line.split(": ", 1)[1] for line in pictured.splitlines() if "📊" in line]
        assert paths and all(Path(p).read_bytes().startswith(b"\x89PNG") for p in paths)
    assert "PACELINE_PUBLIC_URL" in dashboard  # the console's bot has no public address
    if which == 0:
        assert "灯色依据：指标 GMV 电商 进度 63%（低于 80%）" in show
        assert "建议把资源从线下调往电商" in show
        assert "预测完成" in show and "当前阶段：爆发期" in show
        assert "看板 +双11大促" in board and "#1 直播脚本三级审核" in board
        assert "+双11大促" in portfolio
    else:
        assert "light decided by" in show and "Warm-up" in show and "sign-ups" in show
        assert "Landing page copy" in board
        assert "+Spring launch" in portfolio
