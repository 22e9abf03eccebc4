"""The command grammar as one table: a line typed in chat, in English or Chinese, and the
Command it must become. Today is pinned to Thursday 2026-11-26; every expected date below is
worked out by hand from that day, never by calling the code under test."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.grammar import Command, Note
from handlers.verbs import parse

TODAY = date(2026, 11, 26)  # a Thursday

FRI = date(2026, 11, 27)  # tomorrow, this Friday
SAT = date(2026, 11, 28)  # 后天
SUN = date(2026, 11, 29)  # in 3 days, 3天后
MON = date(2026, 11, 30)  # next monday, 下周一, 11/30
DEC1 = date(2026, 12, 1)  # Dec 1, 12月1日
NEXT_FRI = date(2026, 12, 4)  # 下周五


def cmd(verb: str, **fields: object) -> Command:
    """The expected Command: the verb, the fields that matter, defaults for the rest."""
    if "filters" in fields:
        fields["filters"] = frozenset(fields["filters"])  # type: ignore[arg-type]
    return Command(verb, **fields)  # type: ignore[arg-type]


TABLE: list[tuple[str, Command]] = [
    # --- add / 新建 / 添加: title, @person, +project, due:, start:, natural dates -----------
    ("add Write warm-up copy", cmd("add", text="Write warm-up copy")),
    (
        "add Write warm-up copy @alice due:fri +double11 phase:warm-up",
        cmd(
            "add",
            text="Write warm-up copy",
            people=("alice",),
            projects=("double11",),
            due=FRI,
            phase="warm-up",
        ),
    ),
    (
        "新建 写预热文案 @张三 周五前 +双11",
        cmd("add", text="写预热文案", people=("张三",), projects=("双11",), due=FRI),
    ),
    ("新建写文案", cmd("add", text="写文案")),
    ("添加 写文案", cmd("add", text="写文案")),
    ("添加写文案 明天", cmd("add", text="写文案", due=FRI)),
    ("新增 海报设计 +双11", cmd("add", text="海报设计", projects=("双11",))),
    ("add Call the printer tomorrow", cmd("add", text="Call the printer", due=FRI)),
    ("add Ship banner by Dec 1", cmd("add", text="Ship banner", due=DEC1)),
    ("add Ship banner due Dec 1", cmd("add", text="Ship banner", due=DEC1)),
    ("add Review copy in 3 days", cmd("add", text="Review copy", due=SUN)),
    ("add Book venue next fri", cmd("add", text="Book venue", due=FRI)),
    ("add Launch page 2026-12-01", cmd("add", text="Launch page", due=DEC1)),
    ("add Print flyers by 11/30", cmd("add", text="Print flyers", due=MON)),
    ("add Print flyers due:11/30", cmd("add", text="Print flyers", due=MON)),
    # a bare fraction stays in a title (only "by 1/2" or due: makes it a date), with a note
    # that it was not read as one (issue 11: never silently)
    (
        "add Finish part 1/2",
        cmd("add", text="Finish part 1/2", notes=(Note.of("date_not_read", phrase="1/2"),)),
    ),
    # "thu" said on a Thursday is today, with a note giving next week's (issue 11)
    (
        "add Send recap on thu",
        cmd(
            "add",
            text="Send recap",
            due=TODAY,
            notes=(
                Note.of(
                    "date_weekday_today", phrase="on thu", day="2026-11-26", later="2026-12-03"
                ),
            ),
        ),
    ),
    ("新建 写文案 明天", cmd("add", text="写文案", due=FRI)),
    ("新建 写文案 后天", cmd("add", text="写文案", due=SAT)),
    ("新建 写文案 下周五", cmd("add", text="写文案", due=NEXT_FRI)),
    ("新建 写文案 周五前", cmd("add", text="写文案", due=FRI)),
    ("新建 写文案 12月1日", cmd("add", text="写文案", due=DEC1)),
    ("新建 写文案 3天后", cmd("add", text="写文案", due=SUN)),
    ("新建 写文案 下周一 @李四", cmd("add", text="写文案", people=("李四",), due=MON)),
    ("新建 明天 写文案", cmd("add", text="写文案", due=FRI)),
    ("add Write copy due:tomorrow", cmd("add", text="Write copy", due=FRI)),
    ("add Write copy due:2026-12-01", cmd("add", text="Write copy", due=DEC1)),
    ("add Write copy due:next fri", cmd("add", text="Write copy", due=FRI)),
    ("add Write copy due: Dec 1", cmd("add", text="Write copy", due=DEC1)),
    ("add Write copy due:明天", cmd("add", text="Write copy", due=FRI)),
    ("新建 写文案 截止:12月1日", cmd("add", text="写文案", due=DEC1)),
    ("新建 写文案 截止：下周五", cmd("add", text="写文案", due=NEXT_FRI)),
    (
        "add Warm-up push start:2026-11-27 due:2026-12-01",
        cmd("add", text="Warm-up push", start=FRI, due=DEC1),
    ),
    ("新建 预热 开始:明天 截止:下周五", cmd("add", text="预热", start=FRI, due=NEXT_FRI)),
    ("ADD Capital verb", cmd("add", text="Capital verb")),
    ("new Draft the brief", cmd("add", text="Draft the brief")),
    ("create Draft the brief @bob", cmd("add", text="Draft the brief", people=("bob",))),
    # --- titles keep their exact text ---------------------------------------------------------
    ("add 🚀 Launch party 🎉", cmd("add", text="🚀 Launch party 🎉")),
    ("新建 双11 预热 🔥 文案", cmd("add", text="双11 预热 🔥 文案")),
    ('add Fix the "Buy now" button', cmd("add", text='Fix the "Buy now" button')),
    ("add It's Bob's 'final' draft", cmd("add", text="It's Bob's 'final' draft")),
    ("add '); DROP TABLE task;--", cmd("add", text="'); DROP TABLE task;--")),
    (
        "add Robert'); DROP TABLE task;-- @bob",
        cmd("add", text="Robert'); DROP TABLE task;--", people=("bob",)),
    ),
    ("add Read https://example.com", cmd("add", text="Read https://example.com")),
    (
        "add Check https://example.com/a?b=1&c=2 @bob +site",
        cmd("add", text="Check https://example.com/a?b=1&c=2", people=("bob",), projects=("site",)),
    ),
    ("add Post on https://example.com", cmd("add", text="Post on https://example.com")),
    (
        "add Plan phase:warm-up +double11",
        cmd("add", text="Plan", projects=("double11",), phase="warm-up"),
    ),
    # phase: / 阶段: is a field of its own (issue 12), not a word of the title
    (
        "新建 预热海报 +双11大促 阶段:预热期 周五前",
        cmd("add", text="预热海报", projects=("双11大促",), phase="预热期", due=FRI),
    ),
    (
        "新建 预热海报 +双11大促 阶段： 预热期",
        cmd("add", text="预热海报", projects=("双11大促",), phase="预热期"),
    ),
    ("add Poster +d11 phase:none", cmd("add", text="Poster", projects=("d11",))),
    # owner: is an owner key (issue 11); other key:value words stay in the title
    ("add Plan owner:ops channel:web", cmd("add", text="Plan channel:web", people=("ops",))),
    ("add Plan for march", cmd("add", text="Plan for march")),
    ("add Meet on monday", cmd("add", text="Meet", due=MON)),
    ("add Wrap up by end of month", cmd("add", text="Wrap up", due=MON)),
    ("add Wrap up by the end of the week", cmd("add", text="Wrap up", due=FRI)),
    ("add Fix +1 counter", cmd("add", text="Fix +1 counter")),
    ("add Mail a@example.com today", cmd("add", text="Mail a@example.com", due=TODAY)),
    ("add Write   copy", cmd("add", text="Write   copy")),
    (
        "add Budget 500万 for the sale +双11",
        cmd("add", text="Budget 500万 for the sale", projects=("双11",)),
    ),
    ("add Email @alice, about launch", cmd("add", text="Email about launch", people=("alice",))),
    ("add Task #12 follow-up", cmd("add", text="Task #12 follow-up")),
    # --- list / 列表 and filters ------------------------------------------------------------
    ("list", cmd("list")),
    ("列表", cmd("list")),
    ("list mine", cmd("list", filters={"mine"})),
    ("列表 我的", cmd("list", filters={"mine"})),
    ("list overdue", cmd("list", filters={"overdue"})),
    ("列表 逾期", cmd("list", filters={"overdue"})),
    ("list blocked", cmd("list", filters={"blocked"})),
    ("列表 阻塞 +双11", cmd("list", filters={"blocked"}, projects=("双11",))),
    ("列表阻塞", cmd("list", filters={"blocked"})),
    ("list today", cmd("list", filters={"today"})),
    ("列表 今天", cmd("list", filters={"today"})),
    ("list done", cmd("list", filters={"done"})),
    ("列表 已完成", cmd("list", filters={"done"})),
    ("list all", cmd("list", filters={"all"})),
    ("列表 全部", cmd("list", filters={"all"})),
    ("list @bob", cmd("list", people=("bob",))),
    ("列表 @张三", cmd("list", people=("张三",))),
    ("list +double11", cmd("list", projects=("double11",))),
    (
        "list mine overdue +double11",
        cmd("list", filters={"mine", "overdue"}, projects=("double11",)),
    ),
    ("ls late", cmd("list", filters={"overdue"})),
    # --- show / 查看 ----------------------------------------------------------------------------
    ("show 12", cmd("show", task=12)),
    ("show #12", cmd("show", task=12)),
    ("查看 12", cmd("show", task=12)),
    ("查看12", cmd("show", task=12)),
    ("view ＃7", cmd("show", task=7)),
    # --- start / done / cancel / reopen --------------------------------------------------------
    ("start 12", cmd("start", task=12)),
    ("开始 12", cmd("start", task=12)),
    ("开始12", cmd("start", task=12)),
    ("start #12 kicking off today", cmd("start", task=12, text="kicking off today")),
    ("done 12", cmd("done", task=12)),
    ("done 12 shipped to design", cmd("done", task=12, text="shipped to design")),
    ("完成12", cmd("done", task=12)),
    ("完成 #12 已发给设计", cmd("done", task=12, text="已发给设计")),
    ("完成12已发给设计", cmd("done", task=12, text="已发给设计")),
    ("完成12已发 给设计", cmd("done", task=12, text="已发 给设计")),
    ("阻塞12设计 资源不足", cmd("block", task=12, text="设计 资源不足")),
    ("finish 3 see https://example.com", cmd("done", task=3, text="see https://example.com")),
    ("cancel 12", cmd("cancel", task=12)),
    ("cancel 12 no longer needed", cmd("cancel", task=12, text="no longer needed")),
    ("取消 12 活动延期", cmd("cancel", task=12, text="活动延期")),
    ("reopen 12", cmd("reopen", task=12)),
    ("重开 12 还需要修改", cmd("reopen", task=12, text="还需要修改")),
    # --- progress / 进度 -------------------------------------------------------------------------
    ("progress 12 60%", cmd("progress", task=12, percent=60)),
    ("progress 12 60", cmd("progress", task=12, percent=60)),
    ("进度 12 60％", cmd("progress", task=12, percent=60)),
    ("进度12 100%", cmd("progress", task=12, percent=100)),
    ("progress #12 0", cmd("progress", task=12, percent=0)),
    # --- block / 阻塞, unblock / 解除 ----------------------------------------------------------
    (
        "block 12 design resources short cause:resources",
        cmd("block", task=12, text="design resources short", cause="resources"),
    ),
    ("阻塞 12 设计资源不足", cmd("block", task=12, text="设计资源不足")),
    ("阻塞 12 等法务审核 原因:审批", cmd("block", task=12, text="等法务审核", cause="approval")),
    (
        "阻塞12 供应商未回复 原因：供应商",
        cmd("block", task=12, text="供应商未回复", cause="external"),
    ),
    (
        "block 12 waiting on vendor cause: external",
        cmd("block", task=12, text="waiting on vendor", cause="external"),
    ),
    (
        "block 12 cause:dependency upstream API late",
        cmd("block", task=12, text="upstream API late", cause="dependency"),
    ),
    ("block 12 waiting for @bob", cmd("block", task=12, text="waiting for @bob")),
    ("unblock 12", cmd("unblock", task=12)),
    ("unblock 12 resources arrived", cmd("unblock", task=12, text="resources arrived")),
    ("解除 12 资源到位", cmd("unblock", task=12, text="资源到位")),
    ("解除阻塞 12", cmd("unblock", task=12)),
    # --- assign / 指派 ---------------------------------------------------------------------------
    ("assign 12 @bob", cmd("assign", task=12, people=("bob",))),
    ("指派 12 @张三", cmd("assign", task=12, people=("张三",))),
    ("assign #12 @bob,", cmd("assign", task=12, people=("bob",))),
    ("assign 12 me", cmd("assign", task=12, people=("me",))),
    ("指派 12 我", cmd("assign", task=12, people=("me",))),
    ("assign 12 none", cmd("assign", task=12, clear=True)),
    ("指派 12 无", cmd("assign", task=12, clear=True)),
    # --- due / 截止 ------------------------------------------------------------------------------
    ("due 12 2026-12-01", cmd("due", task=12, due=DEC1)),
    ("due 12 next monday", cmd("due", task=12, due=MON)),
    ("due 12 tomorrow", cmd("due", task=12, due=FRI)),
    ("due 12 Dec 1", cmd("due", task=12, due=DEC1)),
    ("due 12 due:fri", cmd("due", task=12, due=FRI)),
    ("截止 12 下周一", cmd("due", task=12, due=MON)),
    ("截止 12 12月1日", cmd("due", task=12, due=DEC1)),
    ("截止12 明天", cmd("due", task=12, due=FRI)),
    ("截止 #12 下周五", cmd("due", task=12, due=NEXT_FRI)),
    ("due 12 none", cmd("due", task=12, clear=True)),
    ("截止 12 无", cmd("due", task=12, clear=True)),
    # --- after / 依赖: the tasks a task waits for ------------------------------------------------
    ("after 14 12", cmd("after", task=14, after=(12,))),
    ("after #14 #12 #13", cmd("after", task=14, after=(12, 13))),
    ("after 14 12,13 12", cmd("after", task=14, after=(12, 13))),
    ("依赖 14 12", cmd("after", task=14, after=(12,))),
    ("依赖14 12、13", cmd("after", task=14, after=(12, 13))),
    ("依赖 14 ＃12，13", cmd("after", task=14, after=(12, 13))),
    ("after 14 none", cmd("after", task=14, clear=True)),
    ("依赖 14 无", cmd("after", task=14, clear=True)),
    ("add Print poster after:12", cmd("add", text="Print poster", after=(12,))),
    (
        "add Print poster after: 12,13 @bob",
        cmd("add", text="Print poster", people=("bob",), after=(12, 13)),
    ),
    ("新建 印海报 依赖:12", cmd("add", text="印海报", after=(12,))),
    ("新建 印海报 依赖：#12、#13", cmd("add", text="印海报", after=(12, 13))),
    # --- snooze / 推迟 ---------------------------------------------------------------------------
    ("snooze 12", cmd("snooze", task=12, days=1)),
    ("推迟 12", cmd("snooze", task=12, days=1)),
    ("snooze 12 3d", cmd("snooze", task=12, days=3)),
    ("snooze 12 2w", cmd("snooze", task=12, days=14)),
    ("snooze 12 1 week", cmd("snooze", task=12, days=7)),
    ("推迟 12 2周", cmd("snooze", task=12, days=14)),
    ("推迟12 3天", cmd("snooze", task=12, days=3)),
    # --- settings / 设置 ------------------------------------------------------------------------
    ("settings", cmd("settings")),
    ("设置", cmd("settings")),
    ("settings tz America/New_York", cmd("settings", setting="tz", text="America/New_York")),
    ("settings timezone UTC", cmd("settings", setting="tz", text="UTC")),
    ("设置 时区 Asia/Shanghai", cmd("settings", setting="tz", text="Asia/Shanghai")),
    ("settings lang zh", cmd("settings", setting="lang", text="zh")),
    ("设置 语言 中文", cmd("settings", setting="lang", text="中文")),
    # --- project / 项目: plans ------------------------------------------------------------------
    (
        'project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" buffer:20% @王芳',
        cmd(
            "project",
            action="new",
            projects=("双11大促",),
            people=("王芳",),
            start=date(2026, 11, 1),
            end=date(2026, 12, 10),
            goal="直播 GMV 500万",
            buffer=20,
        ),
    ),
    (
        'project new "Spring launch" 2027-03-01..2027-04-15 goal:"10k sign-ups"',
        cmd(
            "project",
            action="new",
            projects=("Spring launch",),
            start=date(2027, 3, 1),
            end=date(2027, 4, 15),
            goal="10k sign-ups",
        ),
    ),
    (
        "项目 新建 「春季 活动」 12月1日至12月20日 目标：“注册 1万” 缓冲:15%",
        cmd(
            "project",
            action="new",
            projects=("春季 活动",),
            start=DEC1,
            end=date(2026, 12, 20),
            goal="注册 1万",
            buffer=15,
        ),
    ),
    ("project show +双11大促", cmd("project", action="show", projects=("双11大促",))),
    ("项目 +双11大促", cmd("project", action="show", projects=("双11大促",))),
    ("project list", cmd("project", action="list")),
    ("项目列表", cmd("project", action="list")),
    (
        'project edit +双11大促 end:12-15 goal:"GMV 600万" buffer:25% @bob',
        cmd(
            "project",
            action="edit",
            projects=("双11大促",),
            people=("bob",),
            end=date(2026, 12, 15),
            goal="GMV 600万",
            buffer=25,
        ),
    ),
    (
        "项目 修改 +双11大促 缓冲:百分之三十",
        cmd("project", action="edit", projects=("双11大促",), buffer=30),
    ),
    ("project close +双11大促", cmd("project", action="close", projects=("双11大促",))),
    ("项目 关闭 +双11大促", cmd("project", action="close", projects=("双11大促",))),
    ("项目 重开 +双11大促", cmd("project", action="reopen", projects=("双11大促",))),
    # --- kpi / 指标: define, report, remedy, list, history --------------------------------------
    (
        "kpi +双11大促 GMV target:500万",
        cmd("kpi", action="define", name="GMV", projects=("双11大促",), target=5_000_000.0),
    ),
    (
        "指标 +双11大促 GMV 目标:250万 渠道:电商 单位:元 阶段:爆发期"
        " 计划:预热期=25万，爆发期=200万,长尾期=25万",
        cmd(
            "kpi",
            action="define",
            name="GMV",
            projects=("双11大促",),
            target=2_500_000.0,
            label="电商",
            unit="元",
            phase="爆发期",
            split=(("预热期", 250_000.0), ("爆发期", 2_000_000.0), ("长尾期", 250_000.0)),
        ),
    ),
    (
        "kpi +launch CVR target: ５％",
        cmd("kpi", action="define", name="CVR", projects=("launch",), target=5.0, unit="%"),
    ),
    ("kpi GMV 320万", cmd("kpi", action="report", name="GMV", value=3_200_000.0)),
    (
        "指标 GMV 1.2亿 标签:线下 +双11大促",
        cmd(
            "kpi",
            action="report",
            name="GMV",
            value=120_000_000.0,
            label="线下",
            projects=("双11大促",),
        ),
    ),
    ("kpi sign-ups 1,200", cmd("kpi", action="report", name="sign-ups", value=1200.0)),
    ("指标 GMV 五百万", cmd("kpi", action="report", name="GMV", value=5_000_000.0)),
    (
        'kpi GMV remedy:"追加直播投放预算"',
        cmd("kpi", action="remedy", name="GMV", remedy="追加直播投放预算"),
    ),
    (
        "指标 GMV 对策:加投 直播 渠道:电商",
        cmd("kpi", action="remedy", name="GMV", remedy="加投 直播", label="电商"),
    ),
    ("kpi GMV remedy:none", cmd("kpi", action="remedy", name="GMV", clear=True)),
    ("kpi +双11大促", cmd("kpi", action="list", projects=("双11大促",))),
    ("指标 +双11大促", cmd("kpi", action="list", projects=("双11大促",))),
    (
        "kpi +双11大促 GMV history",
        cmd("kpi", action="history", name="GMV", projects=("双11大促",)),
    ),
    ("指标 +双11大促 GMV 历史", cmd("kpi", action="history", name="GMV", projects=("双11大促",))),
    # --- kpi chart / 指标图 and buffer / 缓冲: charts of a plan (issue 13) ----------------------
    # `kpi chart +x` and `指标图 +x` are one Command (the kpichart verb's)
    ("kpi chart +双11大促", cmd("kpichart", projects=("双11大促",))),
    ("指标图 +双11大促", cmd("kpichart", projects=("双11大促",))),
    ("指标图+双11大促", cmd("kpichart", projects=("双11大促",))),
    ("指标 图 +双11大促", cmd("kpichart", projects=("双11大促",))),
    ("指标 图表 +双11大促", cmd("kpichart", projects=("双11大促",))),
    ("指标图表 +双11大促", cmd("kpichart", projects=("双11大促",))),
    ("kpi +launch chart", cmd("kpichart", projects=("launch",))),
    ("kpichart +launch", cmd("kpichart", projects=("launch",))),
    ("kpi-chart +launch sign-ups", cmd("kpichart", projects=("launch",), name="sign-ups")),
    ("kpi chart +双11大促 GMV", cmd("kpichart", projects=("双11大促",), name="GMV")),
    ("指标图 +双11大促 GMV", cmd("kpichart", projects=("双11大促",), name="GMV")),
    ("buffer +双11大促", cmd("buffer", projects=("双11大促",))),
    ("fever +launch", cmd("buffer", projects=("launch",))),
    ("缓冲 +双11大促", cmd("buffer", projects=("双11大促",))),
    ("缓冲图 +双11大促", cmd("buffer", projects=("双11大促",))),
    ("缓冲+双11大促", cmd("buffer", projects=("双11大促",))),
    # --- settings api-token (admins) ---------------------------------------------------------
    ("settings api-token", cmd("settings", setting="apitoken")),
    ("设置 api-token 撤销", cmd("settings", setting="apitoken", text="撤销")),
    # --- phase / 阶段: a plan's phases ------------------------------------------------------------
    (
        'phase add +双11大促 预热期 11-01..11-15 @张三 deliverable:"预热素材全部上线"',
        cmd(
            "phase",
            action="add",
            projects=("双11大促",),
            phase="预热期",
            people=("张三",),
            # year-less and passed: this year's, flagged for the handler to read in the plan
            start=date(2026, 11, 1),
            end=date(2026, 11, 15),
            filters={"start-past", "end-past"},
            deliverable="预热素材全部上线",
        ),
    ),
    (
        "阶段 添加 +双11大促 爆发期 11月16日至12月1日 @李四 交付物:“直播 GMV 400万”",
        cmd(
            "phase",
            action="add",
            projects=("双11大促",),
            phase="爆发期",
            people=("李四",),
            start=date(2026, 11, 16),
            end=DEC1,
            filters={"start-past"},
            deliverable="直播 GMV 400万",
        ),
    ),
    (
        "阶段添加 长尾期 +双11大促 开始:2026-12-02 结束:2026-12-10",
        cmd(
            "phase",
            action="add",
            projects=("双11大促",),
            phase="长尾期",
            start=date(2026, 12, 2),
            end=date(2026, 12, 10),
        ),
    ),
    (
        "phase edit +双11大促 预热期 end:11-16 @李四 name:Warm-up",
        cmd(
            "phase",
            action="edit",
            projects=("双11大促",),
            phase="预热期",
            name="Warm-up",
            people=("李四",),
            end=date(2026, 11, 16),
            filters={"end-past"},
        ),
    ),
    (
        "阶段 编辑 +双11大促 长尾期 交付物:无",
        cmd("phase", action="edit", projects=("双11大促",), phase="长尾期", deliverable=""),
    ),
    (
        "phase remove +双11大促 预热期",
        cmd("phase", action="remove", projects=("双11大促",), phase="预热期"),
    ),
    (
        "阶段 删除 +双11大促 预热期",
        cmd("phase", action="remove", projects=("双11大促",), phase="预热期"),
    ),
    ("phase +双11大促", cmd("phase", action="list", projects=("双11大促",))),
    ("阶段 列表 +双11大促", cmd("phase", action="list", projects=("双11大促",))),
    # --- task / 任务: a task's phase (and plan) -------------------------------------------------
    ("task 12 phase:爆发期", cmd("task", task=12, phase="爆发期")),
    ("任务 12 阶段:爆发期", cmd("task", task=12, phase="爆发期")),
    ("任务12 阶段：爆发期", cmd("task", task=12, phase="爆发期")),
    (
        "task #12 +双11大促 phase: 预热期",
        cmd("task", task=12, projects=("双11大促",), phase="预热期"),
    ),
    ("task 12 phase:none", cmd("task", task=12, phase="")),
    ("任务 12 阶段:无", cmd("task", task=12, phase="")),
    ("task 12 +launch", cmd("task", task=12, projects=("launch",))),
    # --- portfolio / 全局, board / 看板 ---------------------------------------------------------
    ("portfolio", cmd("portfolio")),
    ("全局", cmd("portfolio")),
    ("board +双11大促", cmd("board", projects=("双11大促",))),
    ("kanban +launch page:2", cmd("board", projects=("launch",), page=2)),
    ("board page:3 +launch", cmd("board", projects=("launch",), page=3)),
    ("board +launch PAGE：12", cmd("board", projects=("launch",), page=12)),
    ("看板 +双11大促", cmd("board", projects=("双11大促",))),
    ("看板+双11大促 页:2", cmd("board", projects=("双11大促",), page=2)),
    ("看板 +双11大促 页：２", cmd("board", projects=("双11大促",), page=2)),
    ("看板 +双11大促 第3页", cmd("board", projects=("双11大促",), page=3)),
    ("看板 +双11大促 第二页", cmd("board", projects=("双11大促",), page=2)),
    ('board +"Spring launch"', cmd("board", projects=("Spring launch",))),
    # --- gantt / 甘特图: the board's project and page ------------------------------------------
    ("gantt +双11大促", cmd("gantt", projects=("双11大促",))),
    ("gantt +launch page:2", cmd("gantt", projects=("launch",), page=2)),
    ("gantt p:3 +launch", cmd("gantt", projects=("launch",), page=3)),
    ("甘特图 +双11大促", cmd("gantt", projects=("双11大促",))),
    ("甘特图+双11大促 页:2", cmd("gantt", projects=("双11大促",), page=2)),
    ("甘特 +双11大促 第三页", cmd("gantt", projects=("双11大促",), page=3)),
    ("甘特图 ＋双11大促 第２页", cmd("gantt", projects=("双11大促",), page=2)),
    ('gantt +"Spring launch"', cmd("gantt", projects=("Spring launch",))),
    # --- settings charts / 设置 图表 ------------------------------------------------------------
    ("settings charts off", cmd("settings", setting="charts", text="off")),
    ("设置 图表 开", cmd("settings", setting="charts", text="开")),
    # --- help / 帮助 ----------------------------------------------------------------------------
    ("help", cmd("help")),
    ("帮助", cmd("help")),
    ("help block", cmd("help", text="block")),
    ("help 阻塞", cmd("help", text="block")),
    ("帮助 进度", cmd("help", text="progress")),
    ("帮助 add", cmd("help", text="add")),
    ("? snooze", cmd("help", text="snooze")),
]


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 90
    inputs = [text for text, _ in TABLE]
    assert len(inputs) == len(set(inputs)), "a row is repeated"


def test_every_verb_has_a_row() -> None:
    verbs = {expected.verb for _, expected in TABLE}
    assert verbs >= {
        "add",
        "list",
        "show",
        "start",
        "done",
        "cancel",
        "reopen",
        "progress",
        "block",
        "unblock",
        "assign",
        "due",
        "after",
        "snooze",
        "settings",
        "project",
        "kpi",
        "kpichart",
        "buffer",
        "phase",
        "task",
        "help",
    }


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[text for text, _ in TABLE])
def test_grammar(text: str, expected: Command) -> None:
    assert parse(text, TODAY) == expected
