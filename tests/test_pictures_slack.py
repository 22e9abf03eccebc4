# ruff: noqa: F811 (the fixtures of tests/test_slack.py, imported, are parameters here)
"""A reply's pictures on Slack, end to end: signed requests into `paceline serve`, the real
slack_sdk client uploading through the local fake's external-upload flow
(files.getUploadURLExternal, the POST of the bytes, files.completeUploadExternal); and the
scheduled poster's picture parts, each uploaded once across a retry.

The charts are tests/picture_kit.py's kind "test" (a real matplotlib figure), shown by the `list`
verb patched to answer with them, through the real core."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from slack_sdk import WebClient
from sqlmodel import Session, select

import bot.delivery as bot_delivery
from bot.delivery import Delivery, Permanent, Progress, Transient
from bot.pacing import Pacer
from bot.slack.poster import SlackPoster
from handlers.reply import Line, Reply
from storage.models import Outbox
from tests.conftest import NOW
from tests.fakes import slack as fk
from tests.picture_kit import is_png, picture, use_test_charts
from tests.test_delivery import on_platform
from tests.test_slack import (  # noqa: F401 (fixtures)
    SECRET,
    every_payload_within_limits,
    fake,
    overrides,
    settings,
    slack,
)


def upload_steps(fake: fk.FakeSlack) -> list[str]:
    steps = ("files.getUploadURLExternal", "upload", "files.completeUploadExternal")
    return [c.method for c in fake.calls if c.method in steps]


def test_a_chart_asked_for_by_slash_command_is_uploaded_into_that_channel(slack, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("双11 大促/../gantt"))
    [answer] = slack.command("list", channel_id="C42")
    assert answer["response_type"] == "ephemeral"  # the words stay the asker's
    [complete] = fake.wait_for("files.completeUploadExternal")
    assert upload_steps(fake) == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    [shared] = fake.shared_files()
    width, height = is_png(shared["data"])
    assert (width, height) == (1100, 220)  # 10 × 2 inches at 110 dpi
    assert shared["channel_id"] == "C42" and shared["thread_ts"] is None
    assert shared["filename"] == "双11-大促-..-gantt.png"
    assert "/" not in shared["filename"]
    assert shared["title"] == "Chart 双11 大促/../gantt"
    assert shared["alt_txt"] == "What 双11 大促/../gantt shows"
    [asked] = fake.calls_to("files.getUploadURLExternal")
    assert int(asked.params["length"]) == len(shared["data"])
    assert complete.params["files"][0]["id"] == shared["id"]


def test_a_chart_asked_for_in_a_thread_is_uploaded_into_that_thread(slack, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("one"), picture("two"))
    slack.mention("<@UBOT> list", event_id="EvChart", channel="C7", ts="1.5", thread_ts="1.2")
    fake.wait_for("files.completeUploadExternal", 2)
    slack.drain()
    shared = fake.shared_files()
    assert [(f["channel_id"], f["thread_ts"], f["title"]) for f in shared] == [
        ("C7", "1.2", "Chart one"),
        ("C7", "1.2", "Chart two"),
    ]
    [message] = fake.calls_to("chat.postMessage")
    assert message.params["thread_ts"] == "1.2"
    assert all(is_png(f["data"]) for f in shared)


def test_a_channel_the_bot_is_not_in_gets_the_chart_in_the_askers_dm(slack, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("private"))
    fake.refuse_channel("G9", "not_in_channel")
    slack.command("list", channel_id="G9", user_id="U1")
    fake.wait_for("files.completeUploadExternal", 2)
    slack.drain()
    [refused, _dm] = fake.calls_to("files.completeUploadExternal")
    assert refused.params["channel_id"] == "G9"
    [opened] = fake.calls_to("conversations.open")
    assert opened.params["users"] == "U1"
    [shared] = fake.shared_files()
    assert shared["channel_id"] == "DU1"
    assert "<#G9>" in shared["initial_comment"]
    is_png(shared["data"])


def test_a_replayed_command_posts_its_charts_again_from_the_kept_answer(slack, fake, monkeypatch):
    """A command acknowledged and worked, then taken up again (a crash before its inbox row
    was finished): the core answers from the reply it kept, whose pictures are drawn again."""
    use_test_charts(monkeypatch, picture("kept"))
    name, url = slack.response_url()
    body, headers = fk.slash_command(SECRET, "list", response_url=url, channel_id="C5")
    assert slack.send((body, headers))[0] == 200
    fake.wait_for("files.completeUploadExternal")
    slack.drain()
    use_test_charts(monkeypatch)  # the verb now shows nothing: only the kept answer has a chart
    slack.door._replay(None, dict(parse_qsl(body.decode())))
    fake.wait_for("files.completeUploadExternal", 2)
    slack.drain()
    first, again = fake.shared_files()
    assert again["channel_id"] == "C5" and again["title"] == "Chart kept"
    assert again["data"] == first["data"]  # drawn again from the same model
    assert len(fake.responses(name)) == 2


def test_a_forms_result_told_by_response_url_sends_its_chart_to_the_person(
    slack, fake, monkeypatch
):
    """A form's result in a channel the bot is not in goes through the response_url, which
    takes no file: the chart goes to the person's direct messages."""
    use_test_charts(monkeypatch)
    fake.fail_next("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    reply = Reply("Added", [Line("#1 copy")], pictures=[picture("form")])
    name, url = slack.response_url()
    client = WebClient(token="xoxb-test", base_url=fake.base_url)
    slack.door.post(client, "G9", reply, url, "U2")
    assert len(fake.responses(name)) == 1
    [opened] = fake.calls_to("conversations.open")
    assert opened.params["users"] == "U2"
    [shared] = fake.shared_files()
    assert shared["channel_id"] == "DU2" and shared["title"] == "Chart form"


def test_a_reply_without_pictures_uploads_nothing(slack, fake):
    slack.command("list")
    slack.drain()
    assert upload_steps(fake) == []


# --- the scheduled poster: a digest's thread picture, exactly once -------------------------------


UNPACED = Pacer(limit=1000)  # the pace is tests/test_delivery.py's; here, what is posted


def digest() -> Reply:
    return Reply(
        "Weekly digest",
        [Line("2 projects")],
        thread=[
            Reply("🔴 双11", [Line("late")], pictures=[picture("gantt-双11")]),
            Reply("🟢 618", [Line("fine")]),
        ],
    )


def test_the_digest_puts_each_projects_chart_in_its_thread_reply_once_across_a_retry(
    fake, monkeypatch
):
    use_test_charts(monkeypatch)
    poster = SlackPoster(WebClient(token="xoxb-test", base_url=fake.base_url), UNPACED)
    channel = SimpleNamespace(external_id="C1")
    saved: list[tuple[int, str | None]] = []
    progress = Progress(save=lambda p: saved.append((p.parts_sent, p.thread_ref)))
    fake.fail_next("files.completeUploadExternal", status=429, headers={"Retry-After": "3"})
    with pytest.raises(Transient) as err:
        poster.post(channel, None, digest(), progress)
    assert err.value.retry_after == 3.0
    assert progress.parts_sent == 2  # the parent and the project's reply; not its chart
    poster.post(channel, None, digest(), progress)  # the retry goes on from there
    assert progress.parts_sent == 4  # + the chart, then the second project's reply
    [shared] = fake.shared_files()  # uploaded once, though the flow ran twice
    assert shared["channel_id"] == "C1" and shared["thread_ts"] == progress.thread_ref
    assert shared["title"] == "Chart gantt-双11"
    is_png(shared["data"])
    posts = fake.calls_to("chat.postMessage")
    assert [p.params["text"].split(":")[0] for p in posts] == ["Weekly digest", "🔴 双11", "🟢 618"]
    ref = progress.thread_ref
    assert [p.params.get("thread_ts") for p in posts] == [None, ref, ref]
    methods = [
        c.method
        for c in fake.calls
        if c.method in ("chat.postMessage", "files.completeUploadExternal")
    ]
    assert methods == [
        "chat.postMessage",
        "chat.postMessage",
        "files.completeUploadExternal",  # refused: 429
        "files.completeUploadExternal",
        "chat.postMessage",
    ]
    # A third run (a crash after the last part was saved) posts nothing again.
    poster.post(channel, None, digest(), progress)
    assert len(fake.shared_files()) == 1 and len(fake.calls_to("chat.postMessage")) == 3
    assert saved[-1] == (4, progress.thread_ref)


def test_a_chart_over_a_stopped_channel_is_permanent(fake, monkeypatch):
    use_test_charts(monkeypatch)
    fake.refuse_channel("C1", "not_in_channel")
    poster = SlackPoster(WebClient(token="xoxb-test", base_url=fake.base_url), UNPACED)
    progress = Progress(parts_sent=2, thread_ref="1.1")
    with pytest.raises(Permanent):
        poster.post(SimpleNamespace(external_id="C1"), None, digest(), progress)
    assert progress.parts_sent == 2


def test_a_digest_retried_by_the_outbox_posts_its_chart_once(bot, db, fake, monkeypatch):
    """Through the outbox: a 429 on the chart leaves the post pending with its two parts saved;
    the retry (a later tick, perhaps another process) posts the chart and the rest, once."""
    bot.say("add seed the channel")
    on_platform(db, "slack", workspace="T1", channel="C1")
    use_test_charts(monkeypatch)
    monkeypatch.setattr(bot_delivery, "report", lambda kind, ctx: digest())
    poster = SlackPoster(WebClient(token="xoxb-test", base_url=fake.base_url), UNPACED)
    delivery = Delivery(db, bot.config, {"slack": poster})
    fake.fail_next("files.completeUploadExternal", status=429, headers={"Retry-After": "30"})
    [first] = delivery.run("digest", NOW, force=True)
    assert first.result == "retry" and "ratelimited" in (first.error or "")
    with Session(db.engine) as s:
        row = s.exec(select(Outbox)).one()
        assert (row.parts_sent, row.thread_ref) == (2, "1700000000.000100")  # the parent's ts
    assert fake.shared_files() == []
    [again] = delivery.retry_due(NOW + timedelta(hours=1))
    assert again.result == "sent"
    [shared] = fake.shared_files()
    assert shared["channel_id"] == "C1" and shared["thread_ts"] == row.thread_ref
    assert len(fake.calls_to("chat.postMessage")) == 3
    assert delivery.retry_due(NOW + timedelta(hours=2)) == []
