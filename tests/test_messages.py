"""Every sentence exists in English and 中文, with the same placeholders in both."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from handlers.grammar import CAUSES
from handlers.messages import LANGS, MESSAGES, t
from handlers.pace import Buffer, KpiPace, project_light
from handlers.phases import PHASE_ACTIONS
from handlers.portfolio import COLUMNS
from handlers.reply import Light
from handlers.verbs import VERBS

ROOT = Path(__file__).resolve().parent.parent


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_each_message_has_both_languages_with_the_same_placeholders(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert placeholders(entry["en"]) == placeholders(entry["zh"])


def test_chinese_messages_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    # symbols and placeholders only
    short_ok = {"list_counts", "event_change", "portfolio_line"}
    missing = [k for k, v in MESSAGES.items() if k not in short_ok and not cjk.search(v["zh"])]
    assert missing == []


def test_every_message_key_used_in_the_code_exists():
    used: set[str] = set()
    pattern = re.compile(r"""(?:UserError|\bt)\(\s*(?:[\w.]+,\s*)?["']([a-z_]+)["']""")
    for path in list((ROOT / "handlers").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no message keys"
    assert sorted(used - set(MESSAGES)) == []


def test_dynamic_keys_exist():
    for verb in VERBS:
        assert verb.help_key in MESSAGES
    for cause in CAUSES:
        assert f"cause_{cause}" in MESSAGES
    for status in ("todo", "doing", "blocked", "done", "cancelled"):
        assert f"status_{status}" in MESSAGES
    # phases: each action's "which plan?" / "which phase?" (handlers/phases.py), and each reason
    # a phase's light can give
    for action in PHASE_ACTIONS:
        assert f"phase_{action}_no_project" in MESSAGES
        if action != "list":
            assert f"phase_{action}_no_name" in MESSAGES
    reasons = re.findall(r'"(phase_why_[a-z_]+)"', (ROOT / "handlers/phases.py").read_text("utf-8"))
    assert len(set(reasons)) >= 6
    assert set(reasons) <= set(MESSAGES)
    for column in COLUMNS:  # the board's columns, by status
        assert f"board_col_{column.value}" in MESSAGES
    for light in Light:  # a KPI chart's words for each pace's light (handlers/charts/kpi_chart.py)
        assert f"chart_light_{light.value}" in MESSAGES


def test_every_plan_verdict_has_a_message_with_its_params():
    """Each reason a plan's light can have (handlers/pace.project_light) is a message taking
    exactly the parameters the rule gives it, in both languages."""
    buffer = Buffer(8, date(2026, 12, 2), date(2026, 12, 10), 8, 100.0, Light.RED)
    half = Buffer(8, date(2026, 12, 2), date(2026, 12, 7), 5, 62.5, Light.YELLOW)
    red = KpiPace("GMV", "电商", 64, 100, 64.0, Light.RED)
    yellow = KpiPace("GMV", "", 90, 100, 90.0, Light.YELLOW)
    verdicts = [
        project_light([red], None, 0),
        project_light([], buffer, 0),
        project_light([yellow], None, 0),
        project_light([], half, 0),
        project_light([], None, 3),
        project_light([], None, 0),
    ]
    assert len({v.reason for v in verdicts}) == 6
    for verdict in verdicts:
        for lang in LANGS:
            assert placeholders(MESSAGES[verdict.reason][lang]) == set(verdict.params)
            assert t(lang, verdict.reason, **verdict.params)
    assert t("zh", "pace_why_kpi_red", **verdicts[0].params) == "指标 GMV 电商 进度 64%（低于 80%）"


@pytest.mark.parametrize(
    ("key", "params", "en", "zh"),
    [
        ("plan_light_why", {"why": "x"}, "light decided by x", "灯色依据：x"),
        (
            "portfolio_kpi",
            {"kpi": "GMV", "label": "电商 ", "pace": 64},
            "GMV 电商 at 64% of pace",
            "GMV 电商 进度 64%",
        ),
        ("board_page_last", {"page": 3, "pages": 3}, "Page 3 of 3", "第 3/3 页"),
        (
            "fever_now_mark",
            {"used": "75", "done": 33},
            "now: 75% used · 33% done",
            "当前：缓冲已用 75% · 完成 33%",
        ),
        ("chart_light_red", {}, " (red)", "（红灯）"),
        (
            "board_page",
            {"page": 1, "pages": 3, "next": "board +x page:2"},
            "Page 1 of 3 · `board +x page:2` for more",
            "第 1/3 页 · 发送 `board +x page:2` 查看更多",
        ),
        ("gantt_title", {"project": "双11大促"}, "Gantt · +双11大促", "甘特图 · +双11大促"),
        (
            "gantt_forecast",
            {"day": "Dec 9"},
            "forecast Dec 9",
            "预测完成 Dec 9",
        ),
        ("setting_charts", {}, "Gantt charts in the digest", "周报附甘特图"),
    ],
)
def test_plan_messages(key, params, en, zh):
    assert (t("en", key, **params), t("zh", key, **params)) == (en, zh)


def test_t_formats_in_the_requested_language():
    assert t("zh", "task_not_found", task=12) == MESSAGES["task_not_found"]["zh"].format(task=12)
    assert "#12" in t("en", "task_not_found", task=12)
