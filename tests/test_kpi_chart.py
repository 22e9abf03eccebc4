"""The KPI chart (`kpi chart +x` / `指标图 +x`, issue 13): what the builder reads into its model
(the plan to date day by day, the actuals as reported, today's pace), the answer in words, and
the picture checked as a picture — a PNG of the right size, not blank, the lights' colours of
the paces on it, every character of its texts in the font that draws it.

Today is Thursday 2026-11-26 in Shanghai (conftest.NOW). The plan runs 11-01..12-10: 预热期
11-01..11-15, 爆发期 11-16..11-30, 长尾期 12-01..12-10; GMV 电商 300万 split 30/240/30万, GMV 线下
200万 split 20/160/20万. Planned to date (through yesterday, 11-25), by hand: 电商 30万 +
240万 × 10/15 = 190万; 线下 20万 + 160万 × 10/15 = 126.67万."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from handlers.charts import PNG, SVG, canvas, draw, kpi_chart
from handlers.context import Env
from handlers.messages import t
from handlers.reply import Light, from_json, to_json
from storage import queries
from tests.chart_checks import fonts_of, image, inked, near, texts, tofu
from tests.conftest import NOW

PLAN = "双11大促"
SETUP = (
    f"project new {PLAN} 2026-11-01..2026-12-10",
    f"phase add +{PLAN} 预热期 2026-11-01..2026-11-15",
    f"phase add +{PLAN} 爆发期 2026-11-16..2026-11-30",
    f"phase add +{PLAN} 长尾期 2026-12-01..2026-12-10",
    f"kpi +{PLAN} GMV target:300万 label:电商 plan:预热期=30万,爆发期=240万,长尾期=30万",
    f"kpi +{PLAN} GMV target:200万 label:线下 plan:预热期=20万,爆发期=160万,长尾期=20万",
)
# (moment, command): numbers reported over the weeks; two on 11-20 (the later counts)
REPORTS = (
    (datetime(2026, 11, 10, 2, tzinfo=UTC), "kpi GMV 20万 label:电商"),
    (datetime(2026, 11, 10, 3, tzinfo=UTC), "kpi GMV 25万 label:线下"),
    (datetime(2026, 11, 20, 2, tzinfo=UTC), "kpi GMV 60万 label:电商"),
    (datetime(2026, 11, 20, 9, tzinfo=UTC), "kpi GMV 70万 label:电商"),
    (datetime(2026, 11, 25, 2, tzinfo=UTC), "kpi GMV 120万 label:电商"),
    (datetime(2026, 11, 25, 2, tzinfo=UTC), "kpi GMV 170万 label:线下"),
)


@pytest.fixture
def plan(bot):
    bot.now = datetime(2026, 10, 30, 2, tzinfo=UTC)
    for line in SETUP:
        assert not bot.reply(line).error, line
    for when, line in REPORTS:
        bot.now = when
        assert not bot.reply(line).error, line
    bot.now = NOW
    return bot


def test_both_spellings_answer_with_the_same_chart(plan):
    english, chinese = plan.reply(f"kpi chart +{PLAN}"), plan.reply(f"指标图 +{PLAN}")
    assert not english.error and not chinese.error
    assert english.title == f"KPI chart +{PLAN}"
    assert chinese.title == f"指标图 +{PLAN}"
    assert [p.model["series"] for p in english.pictures] == [
        p.model["series"] for p in chinese.pictures
    ]
    assert english.public is False and chinese.public is False  # a look: the speaker's alone


def test_one_picture_per_kpi_name_one_series_per_label(plan):
    plan.reply(f"kpi +{PLAN} UV target:10万")
    reply = plan.reply(f"kpi chart +{PLAN}")
    assert [p.model["title"] for p in reply.pictures] == [f"GMV · +{PLAN}", f"UV · +{PLAN}"]
    gmv, uv = (p.model for p in reply.pictures)
    assert [s["label"] for s in gmv["series"]] == ["电商", "线下"]
    assert [s["label"] for s in uv["series"]] == ["UV"]
    only = plan.reply(f"kpi chart +{PLAN} uv")  # one KPI by name, any case
    assert [p.model["title"] for p in only.pictures] == [f"UV · +{PLAN}"]


def test_the_model_holds_the_plan_to_date_and_the_actuals_as_reported(plan):
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    model = picture.model
    days = model["days"]
    assert days[0] == "2026-11-01" and days[-1] == "2026-12-11"  # to the day after the end
    assert model["today"] == "2026-11-26"
    ecommerce, offline = model["series"]
    today = days.index("2026-11-26")
    assert ecommerce["planned"][today] == pytest.approx(1_900_000)
    assert offline["planned"][today] == pytest.approx(1_266_666.67, abs=1)
    assert ecommerce["planned"][0] == 0  # nothing planned before the first day is over
    assert ecommerce["planned"][days.index("2026-11-16")] == pytest.approx(300_000)
    assert ecommerce["planned"][-1] == pytest.approx(3_000_000)
    # the latest of each day, by its moment: 70万 on 11-20, not 60万
    assert ecommerce["actual"] == [
        ["2026-11-10", 200_000.0],
        ["2026-11-20", 700_000.0],
        ["2026-11-25", 1_200_000.0],
    ]
    assert ecommerce["pace"] == pytest.approx(100 * 120 / 190, abs=1e-4)
    assert (ecommerce["light"], offline["light"]) == ("red", "green")
    assert json.loads(json.dumps(model)) == model  # plain JSON
    assert "63%" in picture.alt and "134%" in picture.alt and "190万" not in picture.alt


def test_the_answer_says_each_pace_in_words(plan):
    reply = plan.reply(f"指标图 +{PLAN}")
    assert [line.light for line in reply.lines] == [Light.RED, Light.GREEN]
    assert "计划至今 190万 · 进度 63%" in reply.lines[0].text
    assert reply.light == Light.RED  # the worst pace
    (picture,) = reply.pictures
    assert "电商 实际 120万，计划至今 190万（目标 300万），进度 63%（红灯）" in picture.alt
    kept = from_json(to_json(reply))  # a replay draws it again from the same model
    assert kept.pictures == reply.pictures


def test_the_png_is_a_picture_with_the_paces_in_their_lights_colours(plan):
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    img = image(draw(picture, PNG, 1.0))
    assert img.size == (round(canvas.WIDTH * canvas.DPI), round(5.6 * canvas.DPI))
    assert inked(img) > 0.03
    assert near(img, canvas.LIGHT_COLOURS[Light.RED], 30) > 300  # 电商's 63% label
    assert near(img, canvas.LIGHT_COLOURS[Light.GREEN], 30) > 300  # 线下's 134%
    assert near(img, canvas.LIGHT_COLOURS[Light.YELLOW], 30) < 50  # no yellow pace
    small = image(draw(picture, PNG, 0.5))
    assert small.size == (img.size[0] // 2, img.size[1] // 2)


def test_a_yellow_pace_is_drawn_yellow(plan):
    plan.reply("kpi GMV 180万 label:电商")  # 180 / 190 = 95%
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    assert picture.model["series"][0]["light"] == "yellow"
    img = image(draw(picture, PNG, 1.0))
    assert near(img, canvas.LIGHT_COLOURS[Light.YELLOW], 30) > 300


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_character_drawn_is_in_the_font_that_draws_it(plan, lang):
    plan.reply(f"settings lang {lang}")
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    fig = kpi_chart.figure_of(picture.model)
    assert tofu(fig) == {}
    assert fonts_of(fig) == {canvas.font_path()}  # the shipped CJK font, not a system one
    drawn = " ".join(text.get_text() for text in texts(fig))
    words = ("日期", "今天 11月26日", "计划至今", "实际", "电商 63%", "120万")
    if lang == "en":
        words = ("Date", "today Nov 26", "planned to date", "actual", "电商 63%", "1.2M")
    for word in words:
        assert word in drawn, word


def test_svg_for_the_dashboard_draws_text_as_paths(plan):
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    svg = kpi_chart.draw(picture.model, SVG, 1.0)
    assert b"<svg" in svg[:400] and b"<text" not in svg
    assert svg == kpi_chart.draw(picture.model, SVG, 1.0)  # the same chart, the same SVG


def test_the_builder_for_the_dashboard(plan, db):
    with db.session() as s:
        env = Env.load(s, plan.context())
        project = queries.find_project(s, env.ws, PLAN)
        assert project is not None
        pictures = kpi_chart.pictures(env, project)
    assert [p.kind for p in pictures] == ["kpi"]
    assert pictures[0].model["series"][0]["actual_now"] == 1_200_000


def test_a_plan_without_kpis_or_dates_gets_words_not_an_empty_chart(bot):
    bot.say("project new Launch 2026-11-01..2026-12-10")
    bot.say("project new Someday")
    empty = bot.reply("kpi chart +launch")
    assert not empty.error and empty.pictures == []
    assert empty.lines[0].text == t("en", "kpi_list_empty", project="Launch")
    undated = bot.reply("指标图 +someday")
    assert not undated.error and undated.pictures == []
    assert undated.lines[0].text == t("zh", "chart_no_dates", project="Someday")


def test_refusals(plan):
    plan.say("add Poster +tagonly")
    cases = [
        ("kpi chart +tagonly", "project_not_plan", {"project": "tagonly"}),
        ("kpi chart +nope", "project_not_found", {"project": "nope"}),
        (
            f"kpi chart +{PLAN} UV",
            "kpi_not_found",
            {"kpi": "UV", "project": PLAN, "known": "GMV"},
        ),
    ]
    for said, key, params in cases:
        reply = plan.reply(said)
        assert reply.error and reply.lines[0].text == t("en", key, **params), said


def test_the_x_axis_runs_on_to_today_after_the_plan_ended(plan):
    plan.now = datetime(2026, 12, 20, 2, tzinfo=UTC)
    (picture,) = plan.reply(f"kpi chart +{PLAN}").pictures
    assert picture.model["days"][-1] == "2026-12-20"
    assert picture.model["series"][0]["planned"][-1] == pytest.approx(3_000_000)
    assert image(draw(picture, PNG, 1.0)).size[0] == 1100
    assert date.fromisoformat(picture.model["today"]) == date(2026, 12, 20)
