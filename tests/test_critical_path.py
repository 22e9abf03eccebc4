"""The forecast follows the longest chain of dependencies (the critical path): figures worked
out by hand on a fixture, then `project show`'s buffer reacting to a late upstream task before
the downstream one is overdue."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import date as D

from handlers.pace import OpenTask, expected_finishes, forecast_finish

TODAY = D(2026, 12, 1)

# A is overdue (due Nov 28): tomorrow, Dec 2. B (Dec 1..5, 4 days) waits for A: Dec 2 + 4 =
# Dec 6, later than its own Dec 5. C (Dec 6..10, 4 days) waits for B: Dec 6 + 4 = Dec 10, its
# own due. D (due Dec 9, no start, made Dec 8: 1 day) waits for A and B: Dec 6 + 1 = Dec 7, so
# its own Dec 9. E (Dec 3..3: at least 1 day) waits for C: Dec 10 + 1 = Dec 11. F has no due
# date: no finish, so G (Dec 2..4) waiting for it keeps its own Dec 4. H waits for a task that
# is not open (99): its own Dec 1.
A = OpenTask(D(2026, 11, 28), None, 1, D(2026, 11, 20))
B = OpenTask(D(2026, 12, 5), None, 2, D(2026, 12, 1))
C = OpenTask(D(2026, 12, 10), None, 3, D(2026, 12, 6))
DD = OpenTask(D(2026, 12, 9), None, 4, D(2026, 12, 8))
E = OpenTask(D(2026, 12, 3), None, 5, D(2026, 12, 3))
F = OpenTask(None, None, 6, D(2026, 11, 1))
G = OpenTask(D(2026, 12, 4), None, 7, D(2026, 12, 2))
H = OpenTask(D(2026, 12, 1), None, 8, D(2026, 11, 30))
TASKS = [A, B, C, DD, E, F, G, H]
AFTER = {2: [1], 3: [2], 4: [1, 2], 5: [3], 7: [6], 8: [99]}


def test_expected_finishes_follow_the_chains():
    assert expected_finishes(TASKS, TODAY, AFTER) == {
        1: D(2026, 12, 2),
        2: D(2026, 12, 6),
        3: D(2026, 12, 10),
        4: D(2026, 12, 9),
        5: D(2026, 12, 11),
        7: D(2026, 12, 4),
        8: D(2026, 12, 1),
    }
    assert forecast_finish(TASKS, TODAY, AFTER) == D(2026, 12, 11)
    # without the links, the latest due date (C's Dec 10) decides
    assert forecast_finish(TASKS, TODAY) == D(2026, 12, 10)
    assert forecast_finish(TASKS, TODAY, {}) == D(2026, 12, 10)


def test_a_blocked_head_pushes_the_whole_chain():
    # A blocked since Nov 25 (6 days): not free before Dec 1 + 6 = Dec 7. B: Dec 7 + 4 = Dec 11;
    # C: Dec 11 + 4 = Dec 15; D: Dec 11 + 1 = Dec 12; E: Dec 15 + 1 = Dec 16.
    blocked = OpenTask(A.due, D(2026, 11, 25), 1, A.start)
    finishes = expected_finishes([blocked, *TASKS[1:]], TODAY, AFTER)
    assert (finishes[1], finishes[2], finishes[3], finishes[4], finishes[5]) == (
        D(2026, 12, 7),
        D(2026, 12, 11),
        D(2026, 12, 15),
        D(2026, 12, 12),
        D(2026, 12, 16),
    )
    assert forecast_finish([blocked, *TASKS[1:]], TODAY, AFTER) == D(2026, 12, 16)


def test_a_task_on_time_upstream_pushes_nothing():
    # on Nov 20 nothing is late: B = max(Dec 5, Nov 28 + 4 = Dec 2) = Dec 5, and so on
    day = D(2026, 11, 20)
    assert expected_finishes([A, B, C], day, {2: [1], 3: [2]}) == {
        1: D(2026, 11, 28),
        2: D(2026, 12, 5),
        3: D(2026, 12, 10),
    }


def test_project_show_buffer_reacts_to_a_late_upstream_task(bot, make_bot):
    # Nov 1..Dec 20 is 50 days; 20% is a 10-day buffer: planned finish Dec 10
    bot.say("project new Launch 2026-11-01..2026-12-20 buffer:20%")
    assert "Added #1" in bot.say("add Design +Launch start:2026-11-20 due:2026-11-30")
    assert "Added #2" in bot.say("add Print +Launch start:2026-12-01 due:2026-12-08 after:1")
    # Nov 26: on time, #2 finishes on its own due date, Dec 8: no buffer used
    assert "used 0% (0 of 10 days)" in bot.say("project show +Launch")
    # Dec 4: #1 is late (tomorrow, Dec 5, at best), #2 is not yet due (Dec 8) but cannot end
    # before Dec 5 + 7 days = Dec 12: 2 of the 10 days are used
    later = make_bot(user="alice", admins=["alice"], now=datetime(2026, 12, 4, 2, 0, tzinfo=UTC))
    out = later.say("project show +Launch")
    assert "used 20% (2 of 10 days)" in out and "forecast finish Sat Dec 12" in out
    # the portfolio's summaries and the digest's states (counted in SQL) follow the chain too
    assert "buffer 20% used (2/10 d) · forecast Sat Dec 12" in later.say("portfolio")
    assert "buffer 20% used (2 of 10 days)" in later.say("digest")
    # without the link, only #2's own Dec 8 counts
    later.say("after 2 none")
    assert "used 0% (0 of 10 days)" in later.say("project show +Launch")
    assert "buffer 0% used (0/10 d) · forecast Tue Dec 8" in later.say("portfolio")
    # once #1 is done, #2 waits for nothing open
    later.say("after 2 1")
    later.say("done 1")
    assert "used 0% (0 of 10 days)" in later.say("project show +Launch")


def test_the_portfolio_reads_the_chains_in_a_fixed_number_of_queries(bot, db):
    """However many plans have chains of dependencies, the portfolio costs the same queries."""
    from tests.test_gantt import _statements

    made = 0

    def cost(plans: int) -> int:
        nonlocal made
        for _ in range(plans):
            made += 1
            bot.say(f"project new P{made} 2026-11-01..2026-12-20")
            bot.say(f"add Up {made} +P{made} due:2026-11-30")
            bot.say(f"add Down {made} +P{made} due:2026-12-08 after:{2 * made - 1}")
        return _statements(db, lambda: bot.reply("portfolio"))

    two = cost(2)
    assert cost(2) == two  # four plans now, each with its chain
