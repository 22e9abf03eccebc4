"""`paceline demo`: a fresh SQLite file holding a Double-11 campaign plan (three phases, GMV by
phase for two sales channels, a buffer), played through the console door as a team would have
typed it over the last four weeks, then what the team sees today: the plan, its board, the
portfolio, the reminder and the digest, the Gantt, KPI and fever charts (PNG files in a folder
beside the database, their paths printed) and a dashboard link for `paceline serve`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.console import ConsoleBot
from handlers import CoreConfig
from storage.db import Database

ZONE = ZoneInfo("Asia/Shanghai")
CHANNEL = "double11"
LEAD = "王芳"

PLAN = "双11大促"

# (days before today, speaker, command); {d+N} / {d-N} become ISO dates relative to today.
# The plan: 40 days from 25 days ago, the last 8 (20%) held as buffer; three phases; GMV split
# by phase for two sales channels, 电商 behind its pace and 线下 ahead of it.
SCRIPT: list[tuple[int, str, str]] = [
    (26, LEAD, "settings tz Asia/Shanghai"),
    (
        26,
        LEAD,
        f'项目 新建 {PLAN} {{d-25}}..{{d+14}} 目标:"直播 GMV 500万" 缓冲:20% @王芳',
    ),
    (26, LEAD, f'阶段 添加 +{PLAN} 预热期 {{d-25}}..{{d-11}} @张三 交付物:"预热素材全部上线"'),
    (26, LEAD, f'阶段 添加 +{PLAN} 爆发期 {{d-10}}..{{d+4}} @李四 交付物:"直播 GMV 400万"'),
    (26, LEAD, f'阶段 添加 +{PLAN} 长尾期 {{d+5}}..{{d+14}} @王芳 交付物:"复购与数据复盘"'),
    (26, LEAD, f"指标 +{PLAN} GMV 目标:300万 渠道:电商 计划:预热期=30万,爆发期=240万,长尾期=30万"),
    (26, LEAD, f"指标 +{PLAN} GMV 目标:200万 渠道:线下 计划:预热期=20万,爆发期=160万,长尾期=20万"),
    (26, LEAD, f"新建 确定双11主推商品清单 @王芳 +{PLAN} 阶段:预热期 开始:{{d-25}} 截止:{{d-20}}"),
    (25, LEAD, f"新建 写预热文案 @张三 +{PLAN} 阶段:预热期 开始:{{d-20}} 截止:{{d-12}}"),
    (20, LEAD, "完成 1 主推清单已定稿"),
    (12, "张三", "完成 2"),
    (11, "张三", "指标 GMV 28万 渠道:电商"),
    (11, "bob", "kpi GMV 26万 label:线下"),
    (10, LEAD, f"新建 写爆发期文案 @张三 +{PLAN} 阶段:爆发期 开始:{{d-8}} 截止:{{d-2}}"),
    (9, LEAD, f"add Design KV banners @alice +{PLAN} phase:爆发期 start:{{d-7}} due:{{d+1}}"),
    (9, LEAD, f"新建 直播脚本三级审核（运营→法务→高管） @李四 +{PLAN} 阶段:爆发期 截止:{{d+3}}"),
    (8, LEAD, f"新建 社群预热推送 @张三 +{PLAN} 阶段:爆发期 开始:{{d-5}} 截止:{{d+4}}"),
    (8, LEAD, f"add Set up the GMV dashboard @bob +{PLAN} phase:爆发期 start:{{d-6}} due:{{d+2}}"),
    (7, LEAD, f"新建 KOL 投放名单确认 @李四 +{PLAN} 阶段:爆发期 截止:{{d-1}}"),
    (6, LEAD, f"新建 长尾期复购短信 @张三 +{PLAN} 阶段:长尾期 开始:{{d+5}} 截止:{{d+9}}"),
    (5, "张三", "开始 3"),
    (5, "张三", "指标 GMV 70万 渠道:电商"),
    (5, "bob", "kpi GMV 95万 label:线下"),
    (4, "张三", "进度 3 40%"),
    (3, "alice", "progress 4 30%"),
    (3, "李四", "阻塞 5 法务排期已满，本周无法审核 原因:审批"),
    (2, "张三", "进度 6 10%"),
    (2, "bob", "progress 7 55%"),
    (1, "张三", "指标 GMV 120万 渠道:电商"),
    (1, "bob", "kpi GMV 170万 label:线下"),
]


def run_demo(
    path: str | Path,
    *,
    lang: str = "zh",
    now: datetime | None = None,
    config: CoreConfig | None = None,
) -> str:
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database.open(f"sqlite:///{path}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    today = now.astimezone(ZONE).date()
    base = config or CoreConfig()
    config = CoreConfig(
        default_tz="Asia/Shanghai",
        default_lang=lang,
        thresholds=base.thresholds,
        list_limit=base.list_limit,
        # the link is for `paceline serve` on this database: its address, or the local default
        public_url=base.public_url or LOCAL_URL,
        dashboard_days=base.dashboard_days,
    )
    pictures = pictures_dir(path)
    bot = ConsoleBot(db, config, channel=CHANNEL, user=LEAD, admins=[LEAD], pictures_dir=pictures)
    try:
        for days_ago, speaker, command in SCRIPT:
            bot.user = speaker
            bot.now = now - timedelta(days=days_ago)
            reply = bot.reply(_dates(command, today))
            if reply.error:
                raise RuntimeError(f"demo script failed at {command!r}: {reply.lines[0].text}")
        bot.user, bot.now = LEAD, now
        zh = lang != "en"
        out = [
            f"Paceline demo: a Double-11 campaign in {path} (channel #{CHANNEL}, Asia/Shanghai).",
            "",
            "The plan, its light and what decided it:" if not zh else "计划、灯色与依据：",
            bot.say(f"项目 +{PLAN}" if zh else f"project show +{PLAN}"),
            "",
            bot.say(f"看板 +{PLAN}" if zh else f"board +{PLAN}"),
            "",
            "Every campaign on one line (managers):" if not zh else "全局（管理者）：",
            bot.say("全局" if zh else "portfolio"),
            "",
            "The morning reminder the channel gets at 09:30:"
            if not zh
            else "每个工作日 09:30 的早间提醒：",
            bot.say("提醒" if zh else "remind"),
            "",
            "The weekly stand-up digest (Mondays 10:00):"
            if not zh
            else "每周一 10:00 的站会周报：",
            bot.say("周报" if zh else "digest"),
            "",
            "The campaign in pictures:" if not zh else "活动的图表：",
            bot.say(f"甘特图 +{PLAN}" if zh else f"gantt +{PLAN}"),
            "",
            bot.say(f"指标图 +{PLAN}" if zh else f"kpi chart +{PLAN}"),
            "",
            bot.say(f"缓冲 +{PLAN}" if zh else f"buffer +{PLAN}"),
            "",
            "The live dashboard:" if not zh else "实时仪表盘：",
            bot.say("仪表盘" if zh else "dashboard"),
            (
                f"Serve it: DATABASE_URL=sqlite:///{path} paceline serve"
                f"{'' if base.public_url else ' (port 3000)'}, then open the link."
                if not zh
                else f"启动服务：DATABASE_URL=sqlite:///{path} paceline serve"
                f"{'' if base.public_url else '（端口 3000）'}，再打开上面的链接。"
            ),
            "",
            "Carry on as the team: "
            f"paceline console --db sqlite:///{path} --channel {CHANNEL} --user {LEAD}",
        ]
    finally:
        db.dispose()
    return "\n".join(out)


LOCAL_URL = "http://localhost:3000"


def pictures_dir(path: Path) -> Path:
    """The demo's charts: a folder of its own beside its database, emptied of the last run's."""
    folder = path.resolve().parent / f"{path.stem}-pictures"
    if folder.is_dir():
        for old in folder.glob("*.png"):
            old.unlink()
    return folder


def _dates(command: str, today) -> str:
    import re

    def swap(match: re.Match[str]) -> str:
        return (today + timedelta(days=int(match.group(1)))).isoformat()

    return re.sub(r"\{d([+-]\d+)\}", swap, command)
