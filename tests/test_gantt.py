"""`gantt +双11大促` / `甘特图 +双11大促`: a project's Gantt chart as a picture. The model is read
from the database rows (bars, progress, lights, phases, buffer, forecast, dependencies, pages,
hidden tasks); the picture is checked as an image (PNG header and size, not blank, the lights'
colours counted in its pixels, every character of its texts drawn by the font); the digest
attaches it for red and yellow projects only, unless `settings charts off`. Today is pinned to
Thursday 2026-11-26, 10:00 in Shanghai (tests/conftest.py NOW)."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta

import pytest
from matplotlib.text import Text
from PIL import Image
from sqlmodel import Session, select

from handlers import charts
from handlers.charts import canvas, gantt
from handlers.charts.gantt import PAGE_BARS, GanttModel
from handlers.messages import t
from handlers.reply import Light, Picture
from storage.models import Channel, Project, TaskDependency
from tests import chart_checks
from tests.conftest import NOW, added_days_ago, snapshot, task

TODAY = date(2026, 11, 26)
WIDTH_PX = round(gantt.CHART_WIDTH * canvas.DPI)
PLAN = "project new 双11大促 2026-11-01..2026-12-10"
CAMPAIGN = (
    PLAN,
    "phase add +双11大促 预热期 11-01..11-15",
    "phase add +双11大促 爆发期 11-16..11-30",
    "phase add +双11大促 长尾期 12-01..12-10",
    # 1 done in 预热期
    "add 写预热文案 @张三 +双11大促 phase:预热期 start:2026-11-02 due:2026-11-10",
    "done 1",
    # 2 overdue: red
    "add 设计主视觉海报 @李四 +双11大促 phase:预热期 start:2026-11-05 due:2026-11-20",
    # 3 behind: yellow (started 11-16, due 12-01, 10% done on 11-26)
    "add 直播排期与主播确认 @王芳 +双11大促 phase:爆发期 start:2026-11-16 due:2026-12-01",
    "progress 3 10",
    # 4 on track: green
    "add 会场页面开发 @bob +双11大促 phase:爆发期 start:2026-11-20 due:2026-12-04",
    "progress 4 60",
    # 5 after 4 (a dependency the test inserts), in 长尾期
    "add 售后数据复盘 @carol +双11大促 phase:长尾期 start:2026-12-05 due:2026-12-09",
    # 6 no due date, no phase
    "add 整理用户反馈 +双11大促",
)


def say_all(bot, lines) -> None:
    for line in lines:
        out = bot.say(line)
        assert "✗" not in out and "⚠" not in out, (line, out)


def depend(db, waiting: int, after: int) -> None:
    with Session(db.engine) as s:
        s.add(
            TaskDependency(
                task_id=task(db, waiting).id, after_id=task(db, after).id, created_at=NOW
            )
        )
        s.commit()


@pytest.fixture
def campaign(bot, db):
    say_all(bot, CAMPAIGN)
    added_days_ago(db, 3, 12)  # not new today: judged on its pace
    depend(db, 5, 4)
    return bot


def png_of(picture: Picture, scale: float = 1.0) -> Image.Image:
    data = charts.draw(picture, "png", scale)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).convert("RGB")


def keep(name: str, image: Image.Image) -> None:
    """Where PACELINE_KEEP_PICTURES names a folder, the picture is written there to be looked at."""
    folder = os.environ.get("PACELINE_KEEP_PICTURES")
    if folder:
        image.save(os.path.join(folder, name))


def colour_count(image: Image.Image, hex_colour: str, tolerance: int = 6) -> int:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    count = 0
    for (pr, pg, pb), n in _histogram(image):
        if abs(pr - r) <= tolerance and abs(pg - g) <= tolerance and abs(pb - b) <= tolerance:
            count += n
    return count


def _histogram(image: Image.Image):
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    return [(c, n) for n, c in colours]


def gantt_reply(bot, text: str = "gantt +双11大促"):
    reply = bot.reply(text)
    assert not reply.error, reply
    return reply


def model_of(reply) -> GanttModel:
    [picture] = reply.pictures
    assert picture.kind == "gantt"
    return GanttModel.from_json(picture.model)


# --- the model, from the rows ------------------------------------------------------------------


def test_the_model_has_bars_progress_lights_phases_buffer_and_forecast(campaign):
    reply = gantt_reply(campaign)
    m = model_of(reply)
    bars = {b.number: b for b in m.bars}
    assert set(bars) == {1, 2, 3, 4, 5, 6}
    assert (bars[1].start, bars[1].due, bars[1].progress, bars[1].light) == (
        date(2026, 11, 2),
        date(2026, 11, 10),
        100,
        None,
    )
    assert (bars[2].light, bars[3].light, bars[4].light) == ("red", "yellow", "green")
    assert (bars[3].progress, bars[4].progress) == (10, 60)
    assert bars[2].owner == "李四" and bars[6].owner == "alice"  # the creator by default
    assert bars[6].due is None and bars[6].start == TODAY  # created today, no start date
    assert [p.name for p in m.phases] == ["预热期", "爆发期", "长尾期"]
    assert [bars[n].phase for n in range(1, 7)] == [0, 0, 1, 1, 2, None]
    assert bars[5].after == [4] and bars[4].after == []
    # 40 days, a 20% buffer of 8 days: planned finish 12-02, the buffer 12-03..12-10
    assert (m.end, m.buffer_from) == (date(2026, 12, 10), date(2026, 12, 3))
    # the latest due date of an open task: #5, 12-09; 7 of 8 buffer days used: yellow
    assert (m.forecast, m.forecast_light, m.light) == (date(2026, 12, 9), "yellow", "yellow")
    assert (m.first, m.last, m.today) == (date(2026, 11, 1), date(2026, 12, 10), TODAY)
    # bars in phase order, by start within a phase
    assert [b.number for b in m.bars] == [1, 2, 3, 4, 5, 6]
    assert (m.page, m.pages, m.total, m.hidden, m.lang) == (1, 1, 6, 0, "en")


def test_the_model_is_plain_json_both_ways(campaign):
    import json

    [picture] = gantt_reply(campaign).pictures
    again = GanttModel.from_json(json.loads(json.dumps(picture.model)))
    assert again.to_json() == picture.model
    assert picture.model["today"] == "2026-11-26"


def test_the_reply_says_the_light_why_and_the_undated_tasks(campaign):
    reply = gantt_reply(campaign)
    assert reply.title == "Gantt · +双11大促"
    assert reply.light == Light.YELLOW and reply.lines[0].light == Light.YELLOW
    assert "buffer" in reply.lines[0].text
    assert any("#6" in line.text and "◇" in line.text for line in reply.lines)
    assert not reply.public
    [picture] = reply.pictures
    assert "+双11大促" in picture.alt and "1 red, 1 yellow, 3 green, 1 done" in picture.alt
    assert "#2 设计主视觉海报" in picture.alt and "#6" in picture.alt


def test_a_look_writes_nothing(campaign, db):
    campaign.say("settings lang en")
    before = snapshot(db)
    gantt_reply(campaign)
    gantt_reply(campaign, "甘特图 +双11大促 页:1")
    assert snapshot(db) == before


# --- drawing -----------------------------------------------------------------------------------


def test_the_png_is_a_real_picture_with_the_lights_colours(campaign):
    [picture] = gantt_reply(campaign).pictures
    image = png_of(picture)
    keep("gantt-campaign.png", image)
    width, height = image.size
    assert width == WIDTH_PX and 400 < height < 1600
    # not blank: far from one colour
    assert len(_histogram(image)) > 50
    # each light's colour, far beyond what the legend alone shows (a chart of one done task)
    say_all(campaign, ["add Alone +alone due:2026-12-20", "done 7"])
    legend = png_of(gantt_reply(campaign, "gantt +alone").pictures[0])
    for light in (Light.RED, Light.YELLOW, Light.GREEN):
        colour = canvas.LIGHT_COLOURS[light]
        assert colour_count(image, colour) > 2 * colour_count(legend, colour) + 300, light
    assert colour_count(legend, canvas.LIGHT_COLOURS[Light.RED]) < 400  # the legend's swatch


def test_a_smaller_scale_draws_a_smaller_png(campaign):
    [picture] = gantt_reply(campaign).pictures
    big, small = png_of(picture), png_of(picture, 0.5)
    assert abs(small.size[0] - big.size[0] / 2) <= 1


def test_the_svg_is_svg(campaign):
    [picture] = gantt_reply(campaign).pictures
    svg = charts.draw(picture, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.rstrip().endswith("</svg>")
    assert charts.draw(picture, "svg") == charts.draw(
        picture, "svg"
    )  # the same chart, the same SVG


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_character_drawn_is_in_the_font(campaign, lang):
    said = "甘特图 +双11大促" if lang == "zh" else "gantt +双11大促"
    [picture] = gantt_reply(campaign, said).pictures
    keep(f"gantt-{lang}.png", png_of(picture))
    fig = gantt.render(GanttModel.from_json(picture.model))
    fig.canvas.draw()
    texts = [a.get_text() for a in fig.findobj(Text) if a.get_text()]
    assert any("设计主视觉海报" in x for x in texts)  # a title
    assert any(t(lang, "gantt_today") == x for x in texts)
    assert any(t(lang, "gantt_title", project="双11大促") in x for x in texts)
    ticks = [x for x in texts if x.endswith("日") or x[:3] in ("Nov", "Dec")]
    assert len(ticks) >= 4  # the date axis, in the channel's language
    assert all(("月" in x) == (lang == "zh") for x in ticks)
    assert chart_checks.tofu(fig) == {}  # in the font matplotlib chose for each text
    assert chart_checks.fonts_of(fig) == {canvas.font_path()}  # the shipped one, no other


# --- a tag, no dates, pages, hidden tasks ---------------------------------------------------------


def test_a_tag_project_gets_a_gantt_of_its_tasks(bot):
    say_all(
        bot,
        [
            "add Poster @bob +launch start:2026-11-20 due:2026-11-30",
            "add Copy +launch due:2026-12-03",
        ],
    )
    m = model_of(gantt_reply(bot, "gantt +launch"))
    assert [b.number for b in m.bars] == [1, 2]
    assert (m.phases, m.buffer_from, m.forecast, m.end) == ([], None, None, None)
    assert m.bars[1].start == TODAY  # from its creation
    image = png_of(gantt_reply(bot, "gantt +launch").pictures[0])
    keep("gantt-tag.png", image)
    assert colour_count(image, canvas.LIGHT_COLOURS[Light.GREEN]) > 100


def test_a_phase_without_dates_heads_its_tasks_without_a_band(bot):
    say_all(
        bot, [PLAN, "phase add +双11大促 复盘", "add 写复盘 +双11大促 phase:复盘 due:2026-12-09"]
    )
    m = model_of(gantt_reply(bot))
    assert [(p.name, p.start, p.end) for p in m.phases] == [("复盘", None, None)]
    assert m.bars[0].phase == 0
    texts = [a.get_text() for a in gantt.render(m).findobj(Text)]
    assert "复盘" in texts and t("en", "gantt_no_phase") not in texts


def test_tasks_without_due_dates_are_said_and_drawn(bot):
    say_all(bot, ["add Idea one +ideas", "add Idea two +ideas"])
    reply = gantt_reply(bot, "gantt +ideas")
    assert [b.due for b in model_of(reply).bars] == [None, None]
    assert any("#1, #2" in line.text for line in reply.lines)
    fig = gantt.render(model_of(reply))
    texts = [a.get_text() for a in fig.findobj(Text)]
    assert sum(x.endswith(t("en", "gantt_no_due")) for x in texts) == 2


def many(bot, count: int, phase_of=lambda i: None) -> None:
    for i in range(count):
        phase = phase_of(i)
        extra = f" phase:{phase}" if phase else ""
        day = date(2026, 11, 1) + timedelta(days=i % 30)
        due = day + timedelta(days=5)
        bot.say(f"add Task {i + 1} +双11大促{extra} start:{day:%Y-%m-%d} due:{due:%Y-%m-%d}")


def test_more_than_a_page_is_paged_by_phase(bot):
    say_all(bot, CAMPAIGN[:4])
    # 30 in 预热期, 25 in 爆发期, 5 in no phase: 预热期 on page 1, 爆发期 and the rest on page 2
    many(bot, 60, lambda i: "预热期" if i < 30 else "爆发期" if i < 55 else None)
    reply = gantt_reply(bot)
    m = model_of(reply)
    assert (m.page, m.pages, m.total, len(m.bars)) == (1, 2, 60, 30)
    assert {b.phase for b in m.bars} == {0}
    assert reply.lines[-1].text == t(
        "en", "board_page", page=1, pages=2, next="gantt +双11大促 page:2"
    )
    second = gantt_reply(bot, "gantt +双11大促 page:2")
    m2 = model_of(second)
    assert (m2.page, len(m2.bars)) == (2, 30)
    assert [b.phase for b in m2.bars] == [1] * 25 + [None] * 5
    assert (m.first, m.last) == (m2.first, m2.last)  # one time axis for every page
    assert second.lines[-1].text == t("en", "board_page_last", page=2, pages=2)
    assert second.pictures[0].name.endswith("-2")


def test_a_phase_longer_than_a_page_is_cut(bot):
    say_all(bot, CAMPAIGN[:4])
    many(bot, PAGE_BARS + 5, lambda i: "预热期")
    m = model_of(gantt_reply(bot))
    assert (m.pages, len(m.bars)) == (2, PAGE_BARS)
    image = png_of(gantt_reply(bot).pictures[0])
    keep("gantt-full-page.png", image)
    # a phase longer than a page starts on the page before, where there is room
    many(bot, 45, lambda i: "爆发期")
    m = model_of(gantt_reply(bot, "gantt +双11大促 page:2"))
    assert (m.pages, len(m.bars), {b.phase for b in m.bars}) == (3, PAGE_BARS, {0, 1})
    assert [b.phase for b in m.bars].count(0) == 5
    assert image.size[1] < 2200  # 40 rows stay readable, not squeezed, not endless


def test_hidden_tasks_are_counted_not_drawn(bot, make_bot):
    say_all(bot, ["add Ours +launch due:2026-12-01"])
    other = make_bot(user="bob", channel="design")
    other.say("add Theirs +launch due:2026-12-02")
    reply = gantt_reply(bot, "gantt +launch")
    m = model_of(reply)
    assert ([b.title for b in m.bars], m.hidden) == (["Ours", "Theirs"], 0)  # alice: an admin
    reply = make_bot(user="carol").reply("gantt +launch")
    m = model_of(reply)
    assert ([b.title for b in m.bars], m.hidden) == (["Ours"], 1)
    assert any(t("en", "board_hidden", count=1, project="launch") == x.text for x in reply.lines)


def test_an_empty_project_says_how_to_add_a_task(bot):
    say_all(bot, [PLAN])
    reply = gantt_reply(bot)
    assert reply.pictures == []
    assert reply.lines[0].text == t("en", "gantt_empty", project="双11大促")


# --- the grammar ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "key", "params"),
    [
        ("gantt", "gantt_no_project", {"verb": "gantt"}),
        ("gantt double11", "gantt_extra", {"value": "double11", "verb": "gantt"}),
        ("gantt +a +b", "gantt_two_projects", {"projects": "+a, +b", "verb": "gantt"}),
        ("gantt +a page:x", "gantt_page_bad", {"value": "page:x"}),
        ("甘特图", "gantt_no_project", {"verb": "甘特图"}),
        ("甘特 双11", "gantt_extra", {"value": "双11", "verb": "甘特"}),
        ("甘特图 +a +b", "gantt_two_projects", {"projects": "+a, +b", "verb": "甘特图"}),
        ("甘特图 +a 页:零", "gantt_page_bad", {"value": "页:零"}),
        ("gantt +nope", "project_not_found", {"project": "nope"}),
    ],
)
def test_grammar_errors_in_both_languages(bot, db, said, key, params):
    lang = "zh" if not said.isascii() else "en"
    before = snapshot(db)
    reply = bot.reply(said)
    assert reply.error and reply.lines[0].text == t(lang, key, **params)
    assert snapshot(db) == before or said == "gantt"  # the first command makes the channel


def test_a_page_past_the_last_is_refused(campaign):
    reply = campaign.reply("gantt +双11大促 page:3")
    assert reply.error
    assert reply.lines[0].text == t(
        "en", "gantt_page_out", project="双11大促", pages=1, page=3, verb="gantt"
    )


# --- the digest ------------------------------------------------------------------------------


def _digest_pictures(bot) -> dict[str, list[Picture]]:
    reply = bot.reply("digest")
    return {r.title.split(" — ")[0]: r.pictures for r in reply.thread}


def test_the_digest_attaches_the_gantt_of_red_and_yellow_projects(campaign):
    say_all(campaign, ["add Fine +calm due:2026-12-20", "add Late +late due:2026-11-20"])
    got = _digest_pictures(campaign)
    assert [p.kind for p in got["+双11大促"]] == ["gantt"]  # yellow
    assert [p.kind for p in got["+late"]] == ["gantt"]  # red: an overdue task
    assert got["+calm"] == []  # green
    [picture] = got["+双11大促"]
    assert png_of(picture).size[0] == WIDTH_PX
    # the week's tasks as the digest read them: the same bars as the command draws
    digest_model = GanttModel.from_json(picture.model)
    command_model = model_of(gantt_reply(campaign))
    assert digest_model.bars == command_model.bars
    assert (digest_model.phases, digest_model.forecast, digest_model.light) == (
        command_model.phases,
        command_model.forecast,
        command_model.light,
    )


def test_a_task_cancelled_since_the_week_ended_is_no_bar_in_the_digest(bot, db):
    say_all(bot, ["add Late +late due:2026-11-20", "add Gone +late due:2026-11-21"])
    added_days_ago(db, 2, 10)
    bot.say("cancel 2")  # today: the digest still tells of it, the chart draws no bar
    [picture] = _digest_pictures(bot)["+late"]
    assert [b["number"] for b in picture.model["bars"]] == [1]


def test_settings_charts_off_stops_them_and_on_brings_them_back(campaign, db):
    assert campaign.say("settings charts off") == t("en", "charts_set", state="off")
    with Session(db.engine) as s:
        assert s.exec(select(Channel)).one().digest_charts is False
    assert all(p == [] for p in _digest_pictures(campaign).values())
    assert "Gantt charts in the digest: off" in campaign.say("settings").replace("*", "")
    assert campaign.say("设置 图表 开") == t("zh", "charts_set", state=t("zh", "on"))
    assert _digest_pictures(campaign)["+双11大促"] != []


def test_settings_charts_needs_on_or_off(bot, db):
    bot.say("help")
    before = snapshot(db)
    assert bot.reply("settings charts maybe").lines[0].text == t("en", "bad_on_off")
    assert bot.reply("settings charts").lines[0].text == t("en", "settings_charts_missing")
    assert snapshot(db) == before


def test_the_digest_picture_belongs_to_the_project(campaign, db):
    with Session(db.engine) as s:
        plan = s.exec(select(Project).where(Project.name == "双11大促")).one()
    [picture] = _digest_pictures(campaign)["+双11大促"]
    assert picture.model["project"] == plan.name


def _statements(db, work) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_digest_reads_its_charts_in_a_fixed_number_of_queries(bot, db):
    """However many red projects a channel has, their charts cost the same few queries."""

    def extra(projects: int) -> int:
        for i in range(projects):
            bot.say(f"add Late {i} +late{i} due:2026-11-20")
        bot.say("settings charts on")
        on = _statements(db, lambda: bot.reply("digest"))
        bot.say("settings charts off")
        off = _statements(db, lambda: bot.reply("digest"))
        return on - off

    few = extra(2)
    assert few == extra(4) and few <= 6
