"""Words as a team types them (issue 11, rules 3–5): every word a reply shows is read back
(根因, 类别, the causes' labels), Chinese numerals wherever a number goes (推迟 10 三天, 早上9点),
countries by name (设置 节假日 中国), suggestions by meaning (删除 → 取消, 清单 → 列表), a new
channel's language and zone, and an empty filtered list that names its filter.

Today is pinned to Thursday 2026-11-26 (10:00 in Shanghai); nothing reads the wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from bot.console import ConsoleBot
from handlers import Context, CoreConfig, dispatch
from handlers.context import host_zone, language_of
from handlers.errors import UserError
from handlers.grammar import CAUSES, Command
from handlers.messages import MESSAGES, t
from handlers.schedule import parse_days, parse_time
from handlers.verbs import parse, suggest_verbs
from storage.models import Channel
from tests.conftest import NOW, task

TODAY = date(2026, 11, 26)  # a Thursday


def fields(command: Command) -> dict:
    """The fields a row of the table speaks of."""
    return {
        "verb": command.verb,
        "task": command.task,
        "text": command.text,
        "days": command.days,
        "percent": command.percent,
        "cause": command.cause,
        "filters": set(command.filters),
        "setting": command.setting,
        "due": command.due,
        "after": command.after,
    }


def row(verb: str, **expected: object) -> dict:
    base: dict = {
        "verb": verb,
        "task": None,
        "text": "",
        "days": None,
        "percent": None,
        "cause": None,
        "filters": set(),
        "setting": None,
        "due": None,
        "after": (),
    }
    base.update(expected)
    return base


# --- the grammar: typed line → what it must become ---
GRAMMAR: list[tuple[str, dict]] = [
    # the cause's key: every word a reply shows for it (根因, 类别, root cause) and common ones
    ("阻塞 5 法务排期满 根因:审批", row("block", task=5, text="法务排期满", cause="approval")),
    ("阻塞 5 法务排期满 根因：审批", row("block", task=5, text="法务排期满", cause="approval")),
    ("阻塞 5 法务排期满 根因: 审批", row("block", task=5, text="法务排期满", cause="approval")),
    ("阻塞 5 法务排期满 （根因：审批）", row("block", task=5, text="法务排期满", cause="approval")),
    ("阻塞 5 等设计稿 类别:资源", row("block", task=5, text="等设计稿", cause="resources")),
    ("阻塞 5 等设计稿 分类:资源", row("block", task=5, text="等设计稿", cause="resources")),
    ("阻塞 5 等设计稿 原因:资源", row("block", task=5, text="等设计稿", cause="resources")),
    ("阻塞 5 等设计稿 根本原因:依赖", row("block", task=5, text="等设计稿", cause="dependency")),
    ("阻塞 5 等设计稿 类型:外部", row("block", task=5, text="等设计稿", cause="external")),
    (
        "block 5 legal queue cause:approval",
        row("block", task=5, text="legal queue", cause="approval"),
    ),
    (
        "block 5 legal queue category:approval",
        row("block", task=5, text="legal queue", cause="approval"),
    ),
    (
        "block 5 legal queue root-cause:approval",
        row("block", task=5, text="legal queue", cause="approval"),
    ),
    (
        "block 5 legal queue rootcause:review",
        row("block", task=5, text="legal queue", cause="approval"),
    ),
    (
        "block 5 legal queue reason:approval",
        row("block", task=5, text="legal queue", cause="approval"),
    ),
    (
        "block 5 legal queue Category: scope",
        row("block", task=5, text="legal queue", cause="scope"),
    ),
    # the causes' labels, as replies show them in both languages, and common words for them
    ("阻塞 5 x 根因:资源", row("block", task=5, text="x", cause="resources")),
    ("阻塞 5 x 根因:人手", row("block", task=5, text="x", cause="resources")),
    ("阻塞 5 x 根因:依赖", row("block", task=5, text="x", cause="dependency")),
    ("阻塞 5 x 根因:上游", row("block", task=5, text="x", cause="dependency")),
    ("阻塞 5 x 根因:审核", row("block", task=5, text="x", cause="approval")),
    ("阻塞 5 x 根因:评审", row("block", task=5, text="x", cause="approval")),
    ("阻塞 5 x 根因:需求", row("block", task=5, text="x", cause="scope")),
    ("阻塞 5 x 根因:需求变更", row("block", task=5, text="x", cause="scope")),
    ("阻塞 5 x 根因:技术", row("block", task=5, text="x", cause="technical")),
    ("阻塞 5 x 根因:第三方", row("block", task=5, text="x", cause="external")),
    ("阻塞 5 x 根因:供应商", row("block", task=5, text="x", cause="external")),
    ("阻塞 5 x 根因:沟通", row("block", task=5, text="x", cause="communication")),
    ("阻塞 5 x 根因:其它", row("block", task=5, text="x", cause="other")),
    ("block 5 x cause:vendor", row("block", task=5, text="x", cause="external")),
    ("block 5 x cause:third-party", row("block", task=5, text="x", cause="external")),
    ("block 5 x cause:comms", row("block", task=5, text="x", cause="communication")),
    ("block 5 x cause:tech", row("block", task=5, text="x", cause="technical")),
    # the due key's words
    ("新建 写文案 截止日期:明天", row("add", text="写文案", due=date(2026, 11, 27))),
    ("新建 写文案 到期:12月1日", row("add", text="写文案", due=date(2026, 12, 1))),
    ("add Copy deadline:2026-12-01", row("add", text="Copy", due=date(2026, 12, 1))),
    # the after key's words, with either colon and the list marks of both languages
    ("新建 印海报 依赖：12、13", row("add", text="印海报", after=(12, 13))),
    ("新建 印海报 依赖: #12，#13", row("add", text="印海报", after=(12, 13))),
    ("add Print poster after:12,13", row("add", text="Print poster", after=(12, 13))),
    ("依赖 14 ＃12", row("after", task=14, after=(12,))),
    ("依赖 14 清除", row("after", task=14)),
    # snooze: Chinese numerals, weeks, "后"
    ("推迟 10 三天", row("snooze", task=10, days=3)),
    ("推迟 10 两天", row("snooze", task=10, days=2)),
    ("推迟 10 十天", row("snooze", task=10, days=10)),
    ("推迟 10 十二天", row("snooze", task=10, days=12)),
    ("推迟 10 二十天", row("snooze", task=10, days=20)),
    ("推迟 10 两周", row("snooze", task=10, days=14)),
    ("推迟 10 一周", row("snooze", task=10, days=7)),
    ("推迟 10 一个星期", row("snooze", task=10, days=7)),
    ("推迟 10 三日", row("snooze", task=10, days=3)),
    ("推迟 10 3天后", row("snooze", task=10, days=3)),
    ("推迟 10 三天后", row("snooze", task=10, days=3)),
    ("推迟 10 3 天", row("snooze", task=10, days=3)),
    ("推迟 10 三", row("snooze", task=10, days=3)),
    ("snooze 10 2 weeks", row("snooze", task=10, days=14)),
    ("snooze 10 3 days", row("snooze", task=10, days=3)),
    ("snooze 10 +2d", row("snooze", task=10, days=2)),
    ("snooze 10 1w", row("snooze", task=10, days=7)),
    # progress in Chinese numerals
    ("进度 3 五十%", row("progress", task=3, percent=50)),
    ("进度 3 八十％", row("progress", task=3, percent=80)),
    ("进度 3 百分之六十", row("progress", task=3, percent=60)),
    ("进度 3 百分之百", row("progress", task=3, percent=100)),
    ("进度 3 一百%", row("progress", task=3, percent=100)),
    ("进度 3 九十九%", row("progress", task=3, percent=99)),
    ("progress 3 60%", row("progress", task=3, percent=60)),
    # list filters by every label a reply shows for them
    ("列表 逾期的", row("list", filters={"overdue"})),
    ("列表 已逾期", row("list", filters={"overdue"})),
    ("列表 逾期任务", row("list", filters={"overdue"})),
    ("列表 阻塞中", row("list", filters={"blocked"})),
    ("列表 阻塞任务", row("list", filters={"blocked"})),
    ("列表 今天截止", row("list", filters={"today"})),
    ("列表 我的任务", row("list", filters={"mine"})),
    ("列表 全部任务", row("list", filters={"all"})),
    ("list stuck", row("list", filters={"blocked"})),
    ("list finished", row("list", filters={"done"})),
    # setting names: labels `settings` shows, two-word names, a colon
    ("设置 提醒 早上9点", row("settings", setting="remind", text="早上9点")),
    ("设置 提醒：早上9点", row("settings", setting="remind", text="早上9点")),
    ("设置 早间提醒 9点半", row("settings", setting="remind", text="9点半")),
    ("设置 每周周报 周一 10点", row("settings", setting="digest", text="周一 10点")),
    ("设置 节假日 中国", row("settings", setting="holidays", text="中国")),
    ("设置 跳过节假日 中国", row("settings", setting="holidays", text="中国")),
    ("设置 法定节假日 cn", row("settings", setting="holidays", text="cn")),
    ("settings time zone Asia/Shanghai", row("settings", setting="tz", text="Asia/Shanghai")),
    ("settings morning reminder 9am", row("settings", setting="remind", text="9am")),
    ("settings tz: UTC", row("settings", setting="tz", text="UTC")),
    ("settings chart on", row("settings", setting="charts", text="on")),
    ("设置 周报图表 关", row("settings", setting="charts", text="关")),
    ("设置 图表：关闭", row("settings", setting="charts", text="关闭")),
    ("设置 时区:Asia/Shanghai", row("settings", setting="tz", text="Asia/Shanghai")),
    # "了" after a Chinese verb says it happened; the command is the same
    ("完成了 12", row("done", task=12)),
    ("取消了 12", row("cancel", task=12)),
]


@pytest.mark.parametrize(("said", "expected"), GRAMMAR, ids=[s for s, _ in GRAMMAR])
def test_grammar_words(said, expected):
    assert fields(parse(said, TODAY)) == expected


REFUSED: list[tuple[str, str]] = [
    ("阻塞 5 x 根因:天气", "bad_cause"),
    ("推迟 10 零天", "snooze_bad"),
    ("推迟 10 三个月", "snooze_bad"),
    ("进度 3 一百零一%", "progress_bad"),
    ("进度 3 两百%", "progress_bad"),
    ("设置 颜色 红", "settings_unknown"),
]


@pytest.mark.parametrize(("said", "key"), REFUSED, ids=[s for s, _ in REFUSED])
def test_words_that_are_still_refused(said, key):
    with pytest.raises(UserError) as err:
        parse(said, TODAY)
    assert err.value.key == key


def test_every_cause_label_a_reply_shows_is_read_back():
    for cause in CAUSES:
        for lang in ("en", "zh"):
            label = MESSAGES[f"cause_{cause}"][lang]
            assert parse(f"阻塞 5 x 根因:{label}", TODAY).cause == cause
            assert parse(f"block 5 x cause:{label}", TODAY).cause == cause


# --- times of day ---
TIMES: list[tuple[str, str | None]] = [
    ("09:00", "09:00"),
    ("9:30", "09:30"),
    ("9点", "09:00"),
    ("9点半", "09:30"),
    ("9点15", "09:15"),
    ("9点15分", "09:15"),
    ("九点", "09:00"),
    ("九点半", "09:30"),
    ("十点一刻", "10:15"),
    ("十点三刻", "10:45"),
    ("早上9点", "09:00"),
    ("早上九点", "09:00"),
    ("上午10点", "10:00"),
    ("上午十点半", "10:30"),
    ("中午12点", "12:00"),
    ("中午1点", "13:00"),
    ("下午3点", "15:00"),
    ("下午三点", "15:00"),
    ("下午3点半", "15:30"),
    ("下午两点", "14:00"),
    ("傍晚6点", "18:00"),
    ("晚上8点", "20:00"),
    ("晚上八点", "20:00"),
    ("晚上12点", "00:00"),
    ("凌晨1点", "01:00"),
    ("二十点", "20:00"),
    ("9am", "09:00"),
    ("9 am", "09:00"),
    ("3pm", "15:00"),
    ("3:30 pm", "15:30"),
    ("12pm", "12:00"),
    ("12am", "00:00"),
    ("17h", "17:00"),
    ("9", None),  # nine what?
    ("上午13点", None),
    ("晚上2点", None),  # asked, not guessed: 凌晨2点 or 14:00?
    ("25:00", None),
    ("9点61分", None),
]


@pytest.mark.parametrize(("said", "expected"), TIMES, ids=[s for s, _ in TIMES])
def test_times_of_day(said, expected):
    assert parse_time(said) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("周末", "sat,sun"),
        ("每天", "mon,tue,wed,thu,fri,sat,sun"),
        ("每日", "mon,tue,wed,thu,fri,sat,sun"),
        ("工作日", "mon,tue,wed,thu,fri"),
        ("周一到周五", "mon,tue,wed,thu,fri"),
        ("每周一", "mon"),
        ("weekends", "sat,sun"),
    ],
)
def test_days(said, expected):
    assert parse_days(said) == expected


# --- settings through the bot: what the channel holds afterwards ---


def channel_row(db, external_id: str = "general") -> Channel:
    with Session(db.engine) as s:
        return s.exec(select(Channel).where(Channel.external_id == external_id)).one()


@pytest.mark.parametrize(
    ("said", "remind_time", "remind_days"),
    [
        ("设置 提醒 早上9点", "09:00", "mon,tue,wed,thu,fri"),
        ("设置 提醒 9点半", "09:30", "mon,tue,wed,thu,fri"),
        ("设置 提醒 早上 9点", "09:00", "mon,tue,wed,thu,fri"),
        ("设置 提醒 下午3点 每天", "15:00", "mon,tue,wed,thu,fri,sat,sun"),
        ("设置 提醒 工作日 早上九点", "09:00", "mon,tue,wed,thu,fri"),
        ("settings remind 9 am mon-fri", "09:00", "mon,tue,wed,thu,fri"),
        ("settings reminder 8:45am", "08:45", "mon,tue,wed,thu,fri"),
    ],
)
def test_settings_remind_reads_the_time_as_said(bot, db, said, remind_time, remind_days):
    out = bot.say(said)
    assert not out.startswith("⚠️"), out
    ch = channel_row(db)
    assert (ch.remind_time, ch.remind_days) == (remind_time, remind_days)


@pytest.mark.parametrize(
    ("said", "day", "at"),
    [
        ("设置 周报 周一 上午10点", "mon", "10:00"),
        ("设置 周报 周五 下午4点半", "fri", "16:30"),
        ("设置 周报 下午4点 周五", "fri", "16:00"),
        ("settings digest fri 4pm", "fri", "16:00"),
    ],
)
def test_settings_digest_reads_the_time_as_said(bot, db, said, day, at):
    out = bot.say(said)
    assert not out.startswith("⚠️"), out
    ch = channel_row(db)
    assert (ch.digest_day, ch.digest_time) == (day, at)


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("中国", "CN"),
        ("中国大陆", "CN"),
        ("China", "CN"),
        ("cn", "CN"),
        ("美国", "US"),
        ("英国", "GB"),
        ("uk", "GB"),
        ("日本", "JP"),
        ("香港", "HK"),
        ("新加坡", "SG"),
    ],
)
def test_holidays_by_the_country_s_name(bot, db, word, code):
    out = bot.say(f"设置 节假日 {word}")
    assert t("zh", "holidays_set", country=code) in out
    assert channel_row(db).holidays == code


@pytest.mark.parametrize(
    ("word", "zone"),
    [
        ("北京", "Asia/Shanghai"),
        ("中国", "Asia/Shanghai"),
        ("东八区", "Asia/Shanghai"),
        ("香港", "Asia/Hong_Kong"),
        ("纽约", "America/New_York"),
        ("UTC+8", "Etc/GMT-8"),
        ("GMT-5", "Etc/GMT+5"),
        ("utc+0", "UTC"),
    ],
)
def test_time_zones_by_their_words(bot, db, word, zone):
    assert not bot.say(f"设置 时区 {word}").startswith("⚠️")
    assert channel_row(db).tz == zone


# --- suggestions by meaning, then by spelling ---
SUGGESTIONS: list[tuple[str, list[str]]] = [
    ("删除", ["取消"]),
    ("删掉", ["取消"]),
    ("删除了", ["取消"]),
    ("移除", ["取消"]),
    ("作废", ["取消"]),
    ("delete", ["cancel"]),
    ("remove", ["cancel"]),
    ("rm", ["cancel"]),
    ("清单", ["列表"]),
    ("tasks", ["list"]),
    ("overview", ["list"]),
    ("finished", ["done"]),
    ("搞定", ["完成"]),
    ("做完了", ["完成"]),
    ("完了", ["完成"]),
    ("postpone", ["snooze"]),
    ("延期", ["推迟"]),
    ("deadline", ["due"]),
    ("分配", ["指派"]),
    ("卡住了", ["阻塞"]),
    ("详情", ["查看"]),
    ("config", ["settings"]),
    ("站会", ["周报"]),
    # no meaning known: spelling, as before
    ("lsit", ["list", "ls"]),
    ("dne", ["done", "new", "due"]),
]


@pytest.mark.parametrize(("word", "expected"), SUGGESTIONS, ids=[w for w, _ in SUGGESTIONS])
def test_suggestions(word, expected):
    assert suggest_verbs(word) == expected


def test_delete_is_answered_with_cancel_in_the_reply(bot):
    bot.say("add Poster")
    out = bot.say("删除 1")
    assert out.splitlines() == [
        "⚠️ 没能执行",
        "  " + t("zh", "unknown_verb_suggest", word="删除", suggestions="取消"),
    ]
    assert "解除" not in out


def test_task_alone_is_the_task_verb_and_points_to_list(bot):
    """`任务` is a verb now (`任务 12 阶段:爆发期`); alone, or as `任务列表`, its answer still
    says that `列表` lists the tasks."""
    for said in ("任务", "任务列表", "task"):
        out = bot.say(said)
        lang = "en" if said == "task" else "zh"
        verb = said[:2] if lang == "zh" else "task"
        assert out.splitlines()[1] == "  " + t(lang, "task_fields_which", verb=verb)
        assert ("`列表`" if lang == "zh" else "`list`") in out


def test_board_is_a_command_of_its_own_now(bot):
    """看板 was answered with 列表 until the board came (issue 12); alone it asks which
    project."""
    out = bot.say("看板")
    assert out.splitlines()[1] == "  " + t("zh", "board_no_project", verb="看板")
    assert (
        "  " + t("zh", "unknown_verb_suggest", word="清单", suggestions="列表")
        in bot.say("清单").splitlines()
    )


def test_the_charts_chinese_verbs_ask_which_plan_in_chinese(bot):
    """指标图 and 缓冲 are verbs of their own (issue 13), glued or not; alone each asks which
    plan, in Chinese, with an example written as it was typed."""
    out = bot.say("指标图")
    assert out.splitlines()[1] == "  " + t("zh", "kpichart_no_project", verb="指标图", chart="")
    out = bot.say("指标 图")
    assert out.splitlines()[1] == "  " + t("zh", "kpichart_no_project", verb="指标", chart=" 图")
    assert "`指标 图 +双11大促`" in out
    out = bot.say("缓冲")
    assert out.splitlines()[1] == "  " + t("zh", "buffer_no_project", verb="缓冲")


# --- the language of an answer ---


@pytest.mark.parametrize(
    ("said", "lang"),
    [
        ("新建 写文案", "zh"),
        ("新建写文案", "zh"),
        ("add 写文案", "en"),
        ("add Write copy @张三 +双11", "en"),
        ("列表 +double11", "zh"),
        ("删除 15", "zh"),
        ("? 新建", "zh"),
        ("12", None),
        ("", None),
    ],
)
def test_the_language_of_a_command(said, lang):
    assert language_of(said) == lang


def fresh_bot(db, tz: str = "Asia/Shanghai", now: datetime = NOW, channel: str = "launch"):
    return ConsoleBot(
        db, CoreConfig(default_tz=tz, default_lang="en"), user="alice", channel=channel, now=now
    )


def test_a_new_channel_answers_a_chinese_command_in_chinese(db):
    out = fresh_bot(db).say("新建 写文案 @张三 明天")
    assert out.splitlines()[0].endswith("已新建 #1")
    ch = channel_row(db, "launch")
    assert (ch.lang, ch.lang_chosen) == ("zh", False)


def test_an_english_command_in_that_channel_gets_english(db):
    bot = fresh_bot(db)
    bot.say("新建 写文案")
    assert bot.say("add Poster").splitlines()[0].endswith("Added #2")
    assert "已新建 #3" in bot.say("新建 海报")


def test_the_first_answer_says_the_zone_and_how_to_change_it_once(db):
    bot = fresh_bot(db)
    first = bot.say("新建 写文案")
    line = t("zh", "channel_first", tz="Asia/Shanghai", time="10:00")
    assert "  " + line in first.splitlines()
    assert "设置 时区" in line
    assert line not in bot.say("列表")


def test_the_first_answer_in_english(db):
    out = fresh_bot(db, tz="Europe/London").say("list")
    assert "  " + t("en", "channel_first", tz="Europe/London", time="02:00") in out.splitlines()


def test_a_refused_first_command_leaves_the_welcome_for_the_next(db):
    bot = fresh_bot(db)
    assert bot.say("新建").startswith("⚠️ 没能执行")
    assert "本频道按 Asia/Shanghai 时区理解日期" in bot.say("新建 写文案")


def test_an_explicit_language_sticks(db):
    bot = fresh_bot(db)
    bot.say("新建 写文案")
    assert bot.say("设置 语言 英文") == "I'll reply in English here."
    assert bot.say("新建 海报").splitlines()[0].endswith("Added #2")
    assert bot.say("列表 逾期").splitlines()[1] == "  " + t(
        "en", "list_none_overdue", scope=" here"
    )
    ch = channel_row(db, "launch")
    assert (ch.lang, ch.lang_chosen) == ("en", True)
    bot.say("设置 语言 中文")
    assert bot.say("add Banner").splitlines()[0].endswith("已新建 #3")


def test_settings_shows_that_the_language_follows_until_set(db):
    bot = fresh_bot(db)
    bot.say("新建 写文案")
    assert "语言: 当前中文（未设置，跟随每条指令的语言）" in bot.say("设置")
    bot.say("设置 语言 中文")
    assert "  语言: 中文" in bot.say("设置").splitlines()


# 07:00 in Beijing is 23:00 UTC the day before.
BEIJING_SEVEN = datetime(2026, 11, 25, 23, 0, tzinfo=UTC)


def test_at_seven_in_beijing_tomorrow_is_beijing_s_tomorrow_on_wecom(db):
    """WeCom's door gives its new channels Asia/Shanghai."""
    bot = fresh_bot(db, tz="Asia/Shanghai", now=BEIJING_SEVEN)
    out = bot.say("新建 写文案 明天")
    assert task(db, 1).due_date == date(2026, 11, 27)
    assert "本频道按 Asia/Shanghai 时区理解日期（当前 07:00）" in out


def test_a_new_channel_takes_the_speaker_s_platform_zone(db):
    """Slack tells the speaker's zone: a new channel takes it over the bot's default."""
    ctx = Context(
        db=db,
        platform="slack",
        workspace="T1",
        channel="C1",
        user="U1",
        user_name="wang",
        user_tz="Asia/Shanghai",
        now=BEIJING_SEVEN,
        config=CoreConfig(default_tz="UTC", default_lang="en"),
    )
    reply = dispatch("新建 写文案 明天", ctx)
    assert not reply.error
    assert reply.tz == "Asia/Shanghai"
    assert task(db, 1, workspace="T1").due_date == date(2026, 11, 27)


def test_the_host_zone_is_the_default(monkeypatch):
    host_zone.cache_clear()
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    try:
        assert host_zone() == "Asia/Shanghai"
        assert CoreConfig().default_tz == "Asia/Shanghai"
        monkeypatch.setenv("TZ", ":Europe/Paris")
        host_zone.cache_clear()
        assert host_zone() == "Europe/Paris"
    finally:
        host_zone.cache_clear()


def test_paceline_timezone_unset_is_the_host_s(monkeypatch):
    from bot.settings import Settings

    host_zone.cache_clear()
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    monkeypatch.delenv("PACELINE_TIMEZONE", raising=False)
    try:
        assert Settings(_env_file=None).core().default_tz == "Asia/Shanghai"
        monkeypatch.setenv("PACELINE_TIMEZONE", "Europe/London")
        assert Settings(_env_file=None).core().default_tz == "Europe/London"
    finally:
        host_zone.cache_clear()


# --- an empty filtered list names its filter ---


@pytest.fixture
def one_task(bot):
    """#1, open, due in a week: nothing overdue, blocked, due today or done."""
    bot.say("add Poster due:2026-12-03")
    return bot


@pytest.mark.parametrize(
    ("said", "lang", "key", "params"),
    [
        ("列表 逾期", "zh", "list_none_overdue", {"scope": "本频道"}),
        ("list overdue", "en", "list_none_overdue", {"scope": " here"}),
        ("列表 阻塞", "zh", "list_none_blocked", {"scope": "本频道"}),
        ("list blocked", "en", "list_none_blocked", {"scope": " here"}),
        ("列表 今天", "zh", "list_none_today", {"scope": "本频道"}),
        ("list today", "en", "list_none_today", {"scope": " here"}),
        ("列表 已完成", "zh", "list_none_done", {"scope": "本频道"}),
        ("list done", "en", "list_none_done", {"scope": " here"}),
        ("list overdue +double11", "en", "list_none_overdue", {"scope": " in +double11"}),
        ("列表 逾期 +double11", "zh", "list_none_overdue", {"scope": "项目 +double11 中 "}),
        ("list mine overdue", "en", "list_none_overdue", {"scope": " for you"}),
        ("列表 我的 阻塞", "zh", "list_none_blocked", {"scope": "你名下"}),
        (
            "list overdue blocked",
            "en",
            "list_none_match",
            {"scope": " here", "filters": "Overdue + Blocked"},
        ),
    ],
)
def test_an_empty_filtered_list_names_its_filter(one_task, said, lang, key, params):
    one_task.say("add Other +double11 due:2026-12-03")
    out = one_task.say(said)
    assert out.splitlines()[1] == "  " + t(lang, key, **params)
    assert t(lang, "list_empty") not in out


def test_no_overdue_reads_as_the_brief_says(one_task):
    assert "本频道没有逾期的任务。" in one_task.say("列表 逾期")
    assert "No overdue tasks here." in one_task.say("list overdue")


def test_a_list_of_someone_with_nothing_says_whose(one_task):
    one_task.say("add Flyer @bob due:2026-12-03")
    one_task.say("done 2")
    out = one_task.say("list @bob")
    assert out.splitlines()[1] == "  No open tasks for @bob."


def test_a_channel_whose_tasks_are_all_closed_has_no_open_tasks_not_no_tasks(bot):
    bot.say("add Poster")
    bot.say("done 1")
    out = bot.say("list")
    assert out.splitlines()[1] == "  " + t("en", "list_none_open", scope=" here")


def test_a_channel_with_no_task_at_all_still_says_how_to_add_one(bot):
    bot.say("settings lang en")  # the first answer's zone line is not under test here
    assert bot.say("list").splitlines()[1] == "  " + t("en", "list_empty")
