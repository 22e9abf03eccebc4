"""`board +project` / `看板 +项目`: a project's tasks as a kanban in chat. Columns by status (to
do, doing, blocked, done in the last 7 days), each card with its light and owner; paged so that
every page fits one Slack message and one WeCom group-robot message, rendered here with the real
renderers; never cut. Today is pinned to Thursday 2026-11-26 (tests/conftest.py NOW)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session, select

from bot.slack import blocks as kit
from bot.wecom import render
from handlers.messages import t
from handlers.reply import Person, Reply
from storage.models import Task
from tests.conftest import NOW, snapshot


def board_setup(bot) -> None:
    bot.say("add Poster @bob +双11 due:2026-11-20")  # 1: overdue, red
    bot.say("add Copy @carol +双11 due:2026-12-05")  # 2: green
    bot.say("add Video +双11 due:2026-12-01")  # 3: doing
    bot.say("start 3")
    bot.say("add Banner @bob +双11")  # 4: blocked
    bot.say("block 4 waiting for design")
    bot.say("add Old +双11")  # 5: done today
    bot.say("done 5")
    bot.say("add Dropped +双11")  # 6: cancelled: not on the board
    bot.say("cancel 6")
    bot.say("add Long ago +双11")  # 7: done 8 days ago: off the board
    bot.say("done 7")
    bot.say("add Elsewhere @bob")  # 8: no project


def test_the_board_in_columns_with_lights_and_owners(bot, db):
    board_setup(bot)
    with Session(db.engine) as s:
        old = s.exec(select(Task).where(Task.number == 7)).one()
        old.closed_at = NOW - timedelta(days=8)
        s.add(old)
        s.commit()
    before = snapshot(db)
    out = bot.say("board +双11")
    assert out.splitlines() == [
        "Board +双11",
        "  To do: 2",
        "  Doing: 1",
        "  Blocked: 1",
        "  Done (7 days): 1",
        "  ▍To do · 2",
        "  🔴 #1 Poster · @bob · Due Fri Nov 20",  # red first
        "  🟢 #2 Copy · @carol · Due Sat Dec 5",
        "  ▍Doing · 1",
        "  🟢 #3 Video · @alice · Due Tue Dec 1",
        "  ▍Blocked · 1",
        "  🔴 #4 Banner · @bob",
        "  ▍Done (7 days) · 1",
        "  #5 Old · @alice",
    ]
    assert snapshot(db) == before  # a look writes nothing
    zh = bot.say("看板 +双11").splitlines()
    assert zh[0] == "看板 +双11"
    assert "  ▍阻塞 · 1 项" in zh and "  🔴 #4 Banner · @bob" in zh
    assert "  🔴 #1 Poster · @bob · 截止 11月20日 周五" in zh
    assert "  ▍已完成（近 7 天） · 1 项" in zh
    assert "第 1/" not in "\n".join(zh)  # one page: no pager


def test_a_plan_board_carries_the_plans_light(bot):
    bot.say('project new 双11 2026-11-01..2026-12-10 goal:"GMV 500万"')
    bot.say("add Poster +双11 due:2026-11-20")
    reply = bot.reply("board +双11")
    assert reply.light is not None and reply.light.value == "yellow"  # a red task: yellow
    reply = bot.reply("board +双11")
    assert not reply.public  # a look answers only the asker


def test_an_empty_board_says_how_to_fill_it(bot):
    bot.say('project new "Spring launch" 2027-03-01..2027-04-15')
    out = bot.say("board +spring-launch")
    assert t("en", "board_empty", project="spring-launch") in out
    assert "  To do: 0" in out.splitlines()


def test_tasks_of_other_channels_are_counted_not_shown_to_a_member(bot, make_bot):
    bot.say("add Secret plan +双11")
    bot.say("add Shared +双11 @bob")  # bob's own: he sees it anywhere
    bob = make_bot(user="bob", channel="random")
    bob.say("add Bob's own +双11")
    out = bob.say("board +双11")
    assert "#3 Bob's own" in out and "#2 Shared" in out
    assert "Secret plan" not in out
    assert t("en", "board_hidden", count=1, project="双11") in out
    assert "Secret plan" in bot.say("/channel random") + bot.say("board +双11")  # admin: all


# --- pages: every page fits both platforms, every card is on exactly one page ------------------

NASTY = "&*<@all>](x) 双11预热文案海报设计"  # markup each platform must defuse, and CJK


def _pages(bot, verb: str, project: str, word: str) -> list[Reply]:
    first = bot.reply(f"{verb} +{project}")
    assert not first.error, first
    pager = first.lines[-1].text
    found = re.search(r"(\d+)/(\d+)|of (\d+)", pager)
    assert found, pager
    total = int(found.group(2) or found.group(3))
    replies = [first]
    for n in range(2, total + 1):
        reply = bot.reply(f"{verb} +{project} {word}:{n}")
        assert not reply.error, reply
        replies.append(reply)
    return replies


def _fits(reply: Reply) -> None:
    """One Slack message within its limits, one WeCom group-robot markdown message."""
    messages = kit.messages(reply)
    assert len(messages) == 1, "a page must be one Slack message"
    blocks = messages[0].blocks
    assert len(blocks) <= kit.MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= kit.MAX_SECTION
    parts = render.markdown(reply)
    assert len(parts) == 1, "a page must be one WeCom message"
    assert render.size(parts[0]) <= render.ROBOT_MARKDOWN_BYTES


def test_a_long_board_is_paged_and_every_page_fits_slack_and_wecom(bot):
    # owners with long names, titles at their longest with markup and CJK
    owners = ["张三丰" * 20, "bob", "Ｍａｒｙ" * 10]
    for n in range(1, 121):
        title = (NASTY * 10)[: 190 - len(str(n))] + f" {n}"
        owner = owners[n % 3]
        due = f"due:2026-12-{1 + n % 9:02d}" if n % 4 else ""
        bot.say(f"add {title} @{owner}! +双11 {due}")
    for n in range(2, 121, 5):
        bot.say(f"start {n}")
    for n in range(3, 121, 7):
        bot.say(f"block {n} waiting")
    for n in range(4, 121, 11):
        bot.say(f"done {n}")
    for verb, word in (("board", "page"), ("看板", "页")):
        pages = _pages(bot, verb, "双11", word)
        assert len(pages) > 3
        seen: list[int] = []
        for number, page in enumerate(pages, start=1):
            _fits(page)
            # as the WeCom door renders it for WeCom members: real mentions by user id
            page.people = {
                k: Person(p.name, p.external_id, "wecom") for k, p in page.people.items()
            }
            _fits(page)
            seen += [
                int(m) for m in re.findall(r"^#(\d+) ", "\n".join(x.text for x in page.lines), re.M)
            ]
            footer = page.lines[-1].text
            if number < len(pages):
                next_word = f"{verb} +双11 {word}:{number + 1}"
                assert f"`{next_word}`" in footer
            else:
                assert footer == t(
                    "en" if verb == "board" else "zh", "board_page_last", page=number, pages=number
                )
        assert sorted(seen) == list(range(1, 121)), "every card on exactly one page"
    # the same pages in either language
    en = [len(p.lines) for p in _pages(bot, "board", "双11", "page")]
    zh = [len(p.lines) for p in _pages(bot, "看板", "双11", "页")]
    assert en == zh


def test_a_continued_column_says_so(bot):
    for n in range(1, 61):
        bot.say(f"add Task {n} +launch")
    first, second = _pages(bot, "board", "launch", "page")
    assert first.lines[0].text == "▍To do · 60"
    assert second.lines[0].text == "▍To do · 60 (continued)"
    assert (
        t("en", "board_page", page=1, pages=2, next="board +launch page:2") == first.lines[-1].text
    )
    out = bot.say("board +launch page:3")
    assert t("en", "board_page_out", project="launch", pages=2, page=3, verb="board") in out
