from tests.conftest import count


def test_add_creates_a_task_and_its_event(bot, db):
    out = bot.say("add Write warm-up copy @bob due:fri +double11")
    assert "#1" in out and "Write warm-up copy" in out
    assert count(db, "task") == 1
    assert count(db, "task_event") == 1
