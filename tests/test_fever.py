"""The buffer fever chart (`buffer +x` / `缓冲 +x`, issue 13): the weekly points rebuilt from
history (tasks as they existed, done or not, due dates as they were, blockers open then), the
latest point equal to what `project show` says, the buffer's story in words, and the picture
checked as a picture.

The plan runs 2026-11-01..12-10 (40 days), buffer 20% = 8 days, so the planned finish is 12-02.
Worked by hand, at each Sunday's end and now (Thursday 11-26):
- 10-30: #1 A due 11-20, #2 B due 11-28. 11-05: #3 C due 11-30. 11-10: A done.
  11-12: B due → 12-05. 11-20: C blocked. 11-24: B due → 12-08.
- 11-01: A, B open; forecast 11-28 (B as it was then) → 0 days used, 0%; 0 of 2 done.
- 11-08: A, B, C open; forecast 11-30 → 0%; 0 of 3 done.
- 11-15: A done (1 of 3 = 33%); B due 12-05 → 3 days of 8 = 37.5% (green).
- 11-22: C blocked 2 days (free 11-24 at the earliest, due 11-30 anyway); B 12-05 → 37.5%.
- now: B due 12-08 → 6 of 8 days = 75% (yellow); C blocked 6 days → 12-02, still before B."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from handlers.charts import PNG, SVG, canvas, draw, fever
from handlers.context import Env
from handlers.errors import UserError
from handlers.messages import t
from handlers.reply import Light
from storage import queries
from tests.chart_checks import fonts_of, image, inked, near, texts, tofu
from tests.conftest import NOW

PLAN = "双11大促"


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 2, tzinfo=UTC)  # 10:00 in Shanghai


HISTORY = (
    (at(10, 30), f"project new {PLAN} 2026-11-01..2026-12-10"),
    (at(10, 30), f"add A +{PLAN} due:2026-11-20"),
    (at(10, 30), f"add B +{PLAN} due:2026-11-28"),
    (at(11, 5), f"add C +{PLAN} due:2026-11-30"),
    (at(11, 10), "done 1"),
    (at(11, 12), "due 2 2026-12-05"),
    (at(11, 20), "block 3 waiting for legal"),
    (at(11, 24), "due 2 2026-12-08"),
)


@pytest.fixture
def plan(bot):
    for when, line in HISTORY:
        bot.now = when
        assert not bot.reply(line).error, line
    bot.now = NOW
    return bot


def test_the_weekly_points_are_rebuilt_from_history(plan):
    (picture,) = plan.reply(f"buffer +{PLAN}").pictures
    points = picture.model["points"]
    assert [p["day"] for p in points] == [
        "2026-11-01",
        "2026-11-08",
        "2026-11-15",
        "2026-11-22",
        "2026-11-26",
    ]
    assert [round(p["done"], 1) for p in points] == [0.0, 0.0, 33.3, 33.3, 33.3]
    assert [p["tasks"] for p in points] == [2, 3, 3, 3, 3]
    assert [p["used"] for p in points] == [0.0, 0.0, 37.5, 37.5, 75.0]
    assert [p["forecast"] for p in points] == [
        "2026-11-28",
        "2026-11-30",
        "2026-12-05",
        "2026-12-05",
        "2026-12-08",
    ]
    assert [p["light"] for p in points] == ["green"] * 4 + ["yellow"]
    assert [p["latest"] for p in points] == [False] * 4 + [True]
    assert json.loads(json.dumps(picture.model)) == picture.model


def test_the_latest_point_is_what_project_show_says(plan):
    shown = plan.say(f"project show +{PLAN}")
    assert "75%" in shown
    reply = plan.reply(f"buffer +{PLAN}")
    assert reply.light == Light.YELLOW
    assert reply.lines[0].text == t(
        "en",
        "fever_now_line",
        used="75",
        days=6,
        buffer=8,
        done=33,
        forecast="Tue Dec 8",
        planned="Wed Dec 2",
    )
    assert reply.lines[1].text == t(
        "en",
        "fever_trend_faster",
        weeks=4,
        done_from=0,
        done_to=33,
        used_from="0",
        used_to="75",
    )
    (picture,) = reply.pictures
    assert reply.lines[0].text in picture.alt and "+双11大促" in picture.alt


def test_a_blocker_pushes_the_past_forecast_as_it_did_then(plan):
    """C blocked since 11-20 and due 11-30: by 12-01 its blocker is 11 days old, so it is not
    expected before 12-12 — 10 days past the planned finish: the buffer is gone."""
    plan.now = at(12, 1)
    (picture,) = plan.reply(f"缓冲 +{PLAN}").pictures
    latest = picture.model["points"][-1]
    assert latest["forecast"] == "2026-12-12" and latest["used"] == 125.0
    assert latest["light"] == "red"
    assert picture.model["points"][-2]["day"] == "2026-11-29"


def test_a_reopened_task_was_done_only_while_it_was(plan):
    plan.now = at(11, 25)
    assert not plan.reply("reopen 1").error
    plan.now = NOW
    points = plan.reply(f"buffer +{PLAN}").pictures[0].model["points"]
    assert [round(p["done"]) for p in points] == [0, 0, 33, 33, 0]


def test_cancelled_tasks_count_neither_way(plan):
    plan.now = at(11, 25)
    assert not plan.reply("cancel 3").error
    plan.now = NOW
    points = plan.reply(f"buffer +{PLAN}").pictures[0].model["points"]
    assert [p["tasks"] for p in points] == [2, 3, 3, 3, 2]
    assert points[-1]["done"] == 50.0


def test_the_png_has_the_zones_and_the_lights(plan):
    (picture,) = plan.reply(f"buffer +{PLAN}").pictures
    img = image(draw(picture, PNG, 1.0))
    assert img.size == (round(canvas.WIDTH * canvas.DPI), round(6.2 * canvas.DPI))
    assert inked(img) > 0.4  # the zones fill the plot
    assert near(img, canvas.LIGHT_COLOURS[Light.YELLOW], 30) > 200  # the latest dot
    assert near(img, canvas.LIGHT_COLOURS[Light.GREEN], 30) > 100  # the weeks' dots
    assert near(img, canvas.LIGHT_COLOURS[Light.RED], 30) > 20  # the red zone's words


def test_a_buffer_gone_is_clipped_with_a_marker_above_the_zones(bot):
    bot.now = at(10, 30)
    bot.reply(f"project new {PLAN} 2026-11-01..2026-12-10 buffer:0%")
    bot.reply(f"add A +{PLAN} due:2026-12-20")
    bot.now = NOW
    reply = bot.reply(f"buffer +{PLAN}")
    points = reply.pictures[0].model["points"]
    assert points[-1]["used"] == fever.OVER  # any use of a 0-day buffer: all of it, and more
    assert reply.lines[0].text.startswith("Buffer ∞% used")
    fig = fever.figure_of(reply.pictures[0].model)
    ax = fig.axes[0]
    ys = [y for c in ax.collections for _, y in c.get_offsets()]
    assert max(ys) == fever.CLIP < ax.get_ylim()[1]
    img = image(draw(reply.pictures[0], PNG, 1.0))
    assert near(img, canvas.LIGHT_COLOURS[Light.RED], 30) > 200


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_character_drawn_is_in_the_font_that_draws_it(plan, lang):
    plan.reply(f"settings lang {lang}")
    (picture,) = plan.reply(f"buffer +{PLAN}").pictures
    fig = fever.figure_of(picture.model)
    assert tofu(fig) == {}
    assert fonts_of(fig) == {canvas.font_path()}
    drawn = " ".join(text.get_text() for text in texts(fig))
    # the first two weeks did not move: one label for both
    words = (
        "缓冲发烧图",
        "完成进度",
        "缓冲已用",
        "红区",
        "当前：缓冲已用 75% · 完成 33%",
        "11/1–11/8",
    )
    if lang == "en":
        words = ("Buffer fever chart", "Work done", "Buffer used", "red", "now: 75% used")
        words += ("Nov 1–Nov 8", "Nov 15–Nov 22")
    for word in words:
        assert word in drawn, word


def test_svg_for_the_dashboard(plan):
    (picture,) = plan.reply(f"buffer +{PLAN}").pictures
    svg = fever.draw(picture.model, SVG, 1.0)
    assert b"<svg" in svg[:400] and b"<text" not in svg


def test_the_builder_for_the_dashboard(plan, db, bot):
    bot.say("project new Empty 2026-11-01..2026-12-10")
    with db.session() as s:
        env = Env.load(s, plan.context())
        project = queries.find_project(s, env.ws, PLAN)
        empty = queries.find_project(s, env.ws, "Empty")
        assert project is not None and empty is not None
        picture = fever.picture(env, project)
        with pytest.raises(UserError) as refused:
            fever.picture(env, empty)
    assert picture.kind == "fever" and picture.model["points"][-1]["used"] == 75.0
    assert refused.value.key == "fever_no_tasks"


def test_no_end_date_or_no_tasks_gets_words_not_an_empty_chart(bot):
    bot.say("project new Someday")
    bot.say("project new Empty 2026-11-01..2026-12-10")
    bot.say("add Poster +tagonly")
    undated = bot.reply("buffer +someday")
    assert not undated.error and undated.pictures == []
    assert undated.lines[0].text == t("en", "chart_no_dates", project="Someday")
    empty = bot.reply("缓冲 +empty")
    assert not empty.error and empty.pictures == []
    assert empty.lines[0].text == t("zh", "fever_no_tasks", project="Empty")
    tag = bot.reply("buffer +tagonly")
    assert tag.error and tag.lines[0].text == t("en", "project_not_plan", project="tagonly")
