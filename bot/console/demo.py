"""`paceline demo`: a fresh SQLite file holding a Double-11 campaign, played through the console
door as a team would have typed it over the last ten days, then what the team sees today."""

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

# (days before today, speaker, command); {d+N} / {d-N} become ISO dates relative to today.
SCRIPT: list[tuple[int, str, str]] = [
    (10, LEAD, "settings tz Asia/Shanghai"),
    (10, LEAD, "新建 确定双11主推商品清单 @王芳 +双11 开始:{d-10} 截止:{d-5}"),
    (10, LEAD, "新建 写预热文案 @张三 +双11 开始:{d-8} 截止:{d-2}"),
    (9, LEAD, "add Design KV banners for the warm-up @alice +双11 start:{d-7} due:{d+1}"),
    (9, LEAD, "新建 直播脚本三级审核（运营→法务→高管） @李四 +双11 截止:{d+3}"),
    (8, LEAD, "新建 社群预热推送 @张三 +双11 开始:{d-5} 截止:{d+5}"),
    (8, LEAD, "add Set up the GMV dashboard @bob +双11 start:{d-6} due:{d+6}"),
    (7, LEAD, "新建 KOL 投放名单确认 @李四 +双11 截止:{d-1}"),
    (6, LEAD, "add Influencer brief (English) @alice +双11 start:{d-2} due:{d+4}"),
    (6, LEAD, "完成 1 主推清单已定稿"),
    (5, "张三", "开始 2"),
    (4, "张三", "进度 2 40%"),
    (3, "alice", "progress 3 30%"),
    (3, "李四", "阻塞 4 法务排期已满，本周无法审核 原因:审批"),
    (2, "张三", "进度 5 10%"),
    (2, "bob", "progress 6 55%"),
    (1, "alice", "progress 8 30%"),
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
    )
    bot = ConsoleBot(db, config, channel=CHANNEL, user=LEAD, admins=[LEAD])
    try:
        for days_ago, speaker, command in SCRIPT:
            bot.user = speaker
            bot.now = now - timedelta(days=days_ago)
            reply = bot.reply(_dates(command, today))
            if reply.error:
                raise RuntimeError(f"demo script failed at {command!r}: {reply.lines[0].text}")
        bot.user, bot.now = LEAD, now
        out = [
            f"Paceline demo: a Double-11 campaign in {path} (channel #{CHANNEL}, Asia/Shanghai).",
            "",
            bot.say("list" if lang == "en" else "列表"),
            "",
            bot.say("list blocked" if lang == "en" else "列表 阻塞"),
            "",
            "The morning reminder the channel gets at 09:30:"
            if lang == "en"
            else "每个工作日 09:30 的早间提醒：",
            bot.say("remind" if lang == "en" else "提醒"),
            "",
            "The weekly stand-up digest (Mondays 10:00):"
            if lang == "en"
            else "每周一 10:00 的站会周报：",
            bot.say("digest" if lang == "en" else "周报"),
            "",
            "Carry on as the team: "
            f"paceline console --db sqlite:///{path} --channel {CHANNEL} --user {LEAD}",
        ]
    finally:
        db.dispose()
    return "\n".join(out)


def _dates(command: str, today) -> str:
    import re

    def swap(match: re.Match[str]) -> str:
        return (today + timedelta(days=int(match.group(1)))).isoformat()

    return re.sub(r"\{d([+-]\d+)\}", swap, command)
