"""Task dependencies: `after` / `依赖`, `add … after:12`, cycles refused with the cycle named,
each link in the task's history, `show` listing both directions, `start` warning early."""

from __future__ import annotations

from sqlalchemy import text

from handlers.messages import t
from tests.conftest import snapshot


def links(db) -> set[tuple[int, int]]:
    """(task number, number of the task it waits for) for every row of task_dependency."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.number, b.number FROM task_dependency d "
                "JOIN task a ON a.id = d.task_id JOIN task b ON b.id = d.after_id"
            )
        )
        return {(x, y) for x, y in rows}


def setup(bot, n: int = 4) -> None:
    for i in range(1, n + 1):
        assert f"Added #{i}" in bot.say(f"add Task {i} due:2026-12-0{i}")


def test_after_adds_several_and_none_clears(db, bot):
    setup(bot)
    out = bot.say("after 4 2 3")
    assert "#4 waits for #2, #3" in out
    assert links(db) == {(4, 2), (4, 3)}
    assert "#3 waits for #1" in bot.say("after 3 #1")
    assert links(db) == {(4, 2), (4, 3), (3, 1)}
    assert "#4 waits for no task now" in bot.say("after 4 none")
    assert links(db) == {(3, 1)}
    with db.engine.connect() as conn:
        events = conn.execute(
            text(
                "SELECT e.old, e.new FROM task_event e JOIN task k ON k.id = e.task_id "
                "WHERE k.number = 4 AND e.field = 'after' ORDER BY e.id"
            )
        ).all()
    assert [tuple(e) for e in events] == [(None, "#2"), (None, "#3"), ("#2", None), ("#3", None)]


def test_chinese_verb_and_add_field(db, bot):
    setup(bot, 2)
    assert "#2 依赖 #1" in bot.say("依赖 2 1")
    assert "#2 已清除全部依赖" in bot.say("依赖 2 无")
    out = bot.say("新建 写海报 依赖:1,2")
    assert "#3 依赖 #1, #2" in out
    assert "Added #4" in bot.say("add Print poster after:3")
    assert links(db) == {(3, 1), (3, 2), (4, 3)}


def test_cycles_self_and_duplicates_are_refused_with_nothing_written(db, bot):
    setup(bot)
    bot.say("after 12 1")  # no such task
    assert links(db) == set()
    bot.say("after 2 3")
    bot.say("after 3 4")
    before = snapshot(db)
    out = bot.say("after 4 2")
    assert t("en", "after_cycle", task=4, after=2, cycle="#2 → #3 → #4 → #2") in out
    assert t("en", "after_self", task=1) in bot.say("after 1 1")
    assert t("en", "after_twice", task=2, after=3) in bot.say("after 2 3")
    assert t("en", "after_nothing", task=1) in bot.say("after 1 none")
    assert snapshot(db) == before
    # the shortest cycle is the one named
    bot.say("after 4 1")
    assert "#4 → #1 → #4" in bot.say("after 1 4")
    assert "#2 → #3 → #4 → #1 → #2" in bot.say("after 1 2")


def test_show_lists_both_directions_and_the_history(bot):
    setup(bot, 3)
    bot.say("after 2 1")
    bot.say("after 3 2")
    out = bot.say("show 2")
    assert "Waits for #1 (to do, due Tue Dec 1)" in out
    assert "#3 waits for it" in out
    assert "Waits for" in out.split("History")[1]  # the change is in its history too
    zh = bot.say("查看 2")
    assert "依赖 #1（" in zh and "#3 依赖本任务" in zh


def test_starting_a_task_whose_predecessor_is_open_warns(bot):
    setup(bot, 4)
    bot.say("after 3 1 2")
    bot.say("after 4 1 2")
    bot.say("done 1")
    out = bot.say("start 3")
    assert "Started #3" in out
    assert t("en", "after_start_early", task=3, afters="#2") in out
    bot.say("cancel 2")
    out = bot.say("start 4")
    assert "Started #4" in out and "Note:" not in out


def test_another_workspace_task_cannot_be_named(db, bot, make_bot):
    setup(bot, 1)
    carol = make_bot(user="carol", workspace="other")
    assert "Added #1" in carol.say("add Their task")
    assert "Added #2" in carol.say("add Second")
    carol.say("after 2 3")
    assert t("en", "task_not_found", task=3) in carol.say("after 2 3")
    assert links(db) == set()
