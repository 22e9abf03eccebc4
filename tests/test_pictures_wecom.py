# ruff: noqa: F811 (the fixtures of tests/test_wecom.py, imported, are parameters here)
"""A reply's pictures on WeCom, end to end: encrypted callbacks into `paceline serve`, the real
senders against the local fake WeCom. A group robot posts an image message (base64 and md5 of
the raw PNG, at most 2 MB: a larger chart is drawn again smaller); the app uploads the PNG
(media/upload) and sends an image message by its media_id; an intelligent robot's response_url
takes markdown only, so its answer says where the chart went (or, with nowhere to send it, what
it shows). The scheduled poster sends each picture as one part, once across a retry.

The charts are tests/picture_kit.py's kind "test", shown by the `list` verb patched to answer
with them, through the real core."""

from __future__ import annotations

import base64
import hashlib
from types import SimpleNamespace

import pytest

from bot.delivery import Progress, Transient
from bot.wecom.api import IMAGE_BYTES
from tests.picture_kit import draw_test, is_png, picture, use_test_charts
from tests.test_wecom import (  # noqa: F401 (fixtures)
    CHAT,
    assert_wecom_limits,
    clock,
    errors,
    fake,
    overrides,
    settings,
    wecom,
)


@pytest.fixture(autouse=True)
def every_payload_within_limits(fake, errors):
    """After each test: every text message kept WeCom's limits, every image was what WeCom
    takes, and nothing logged an error."""
    yield
    for call in list(fake.calls):
        if (call.body or {}).get("msgtype") == "image":
            # never refused for what it is (a busy answer a test queued aside)
            assert (call.answer or {}).get("errcode") not in (40005, 40007, 40009, 47001)
            if call.method == "webhook/send":
                data = base64.b64decode(call.body["image"]["base64"], validate=True)
                assert hashlib.md5(data).hexdigest() == call.body["image"]["md5"]
                assert len(data) <= IMAGE_BYTES
                is_png(data)
            continue
        assert_wecom_limits(call.method, call.body)
    assert not errors.records, [r.getMessage() for r in errors.records]


def set_webhook(wecom, fake) -> None:
    said = wecom.say(f"设置 webhook {fake.webhook_url('k1')}", user="wangfang")
    assert "k1" in said or "webhook" in said.lower() or "群机器人" in said, said


def test_a_group_robot_answer_says_the_chart_follows_and_the_robot_posts_it(
    wecom, fake, monkeypatch
):
    set_webhook(wecom, fake)
    use_test_charts(monkeypatch, picture("双11 甘特图"))
    said = wecom.say("列表")
    assert "图表见下方" in said or "the chart follows below" in said
    [image] = fake.robot_images("k1")
    assert is_png(image) == (1100, 220)
    [sent] = [c for c in fake.calls_to("webhook/send") if c.body["msgtype"] == "image"]
    assert sent.body["image"]["md5"] == hashlib.md5(image).hexdigest()
    assert base64.b64decode(sent.body["image"]["base64"]) == image
    answered = [c.method.startswith("aibot/response") for c in fake.calls]
    assert answered.index(True) < fake.calls.index(sent)  # the words first, then the chart


def test_without_a_webhook_the_app_sends_the_chart_to_the_person(wecom, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("kpi"))
    said = wecom.say("list", user="lisi")
    assert "应用" in said or "by the app" in said
    [(to, image)] = fake.app_images()
    assert to == "lisi"
    is_png(image)
    [upload] = fake.calls_to("media/upload")
    assert upload.params["type"] == "image" and upload.ok
    assert b'name="media"; filename="kpi.png"' in upload.raw


@pytest.mark.parametrize("overrides", [{"wecom_agent_id": None}])
def test_with_nowhere_to_send_it_the_answer_carries_what_the_chart_shows(wecom, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("fever"))
    said = wecom.say("list")
    assert "What fever shows" in said and "Chart fever" in said
    assert fake.calls_to("media/upload") == []
    assert [c for c in fake.calls_to("webhook/send")] == []


def test_a_chart_over_2_mb_is_drawn_smaller_until_it_fits(wecom, fake, monkeypatch):
    big = picture("noise", noise=12)
    full = draw_test(big.model, "png", 1.0)
    assert len(full) > IMAGE_BYTES  # the test's premise: at full size WeCom would refuse it
    set_webhook(wecom, fake)
    use_test_charts(monkeypatch, big)
    wecom.say("list")
    [image] = fake.robot_images("k1")
    assert len(image) <= IMAGE_BYTES
    width, _ = is_png(image)
    assert width < is_png(full)[0]


def test_an_app_answer_with_a_chart_comes_by_message_send_words_first(wecom, fake, monkeypatch):
    use_test_charts(monkeypatch, picture("gantt"))
    status, body = wecom.app("list", user="zhaoliu")
    assert (status, body) == (200, b"")  # no passive reply: it could overtake the chart
    wecom.drain()
    sent = fake.calls_to("message/send")
    assert [c.body["msgtype"] for c in sent] == ["markdown", "image"]
    [(to, image)] = fake.app_images()
    assert to == "zhaoliu"
    is_png(image)


# --- the scheduled poster ------------------------------------------------------------------------


def digest():
    from handlers.reply import Line, Reply

    return Reply(
        "周报",
        [Line("2 个项目")],
        thread=[
            Reply("🔴 双11", [Line("延期")], pictures=[picture("gantt-双11")]),
            Reply("🟢 618", [Line("正常")]),
        ],
    )


def test_the_digest_posts_each_projects_chart_after_its_reply_once_across_a_retry(
    wecom, fake, monkeypatch
):
    use_test_charts(monkeypatch)
    channel = SimpleNamespace(
        external_id=CHAT, post_target=fake.webhook_url("k1"), post_target_refused_at=None
    )
    workspace = SimpleNamespace(platform="wecom", external_id="wwcorp")

    def save(progress: Progress) -> None:
        if progress.parts_sent == 2:  # the project's reply is out: its chart meets a 502
            fake.fail_next("webhook/send", status=502, errcode=-1)

    progress = Progress(save=save)
    with pytest.raises(Transient):
        wecom.poster.post(channel, workspace, digest(), progress)
    assert progress.parts_sent == 2
    wecom.poster.post(channel, workspace, digest(), progress)
    assert progress.parts_sent == 4
    wecom.poster.post(channel, workspace, digest(), progress)  # after a crash: nothing again
    sent = [c for c in fake.calls_to("webhook/send") if c.ok]
    kinds = [c.body["msgtype"] for c in sent]
    assert kinds == ["markdown", "markdown", "image", "markdown"]
    assert "双11" in sent[1].body["markdown"]["content"]
    assert "618" in sent[3].body["markdown"]["content"]
    [image] = fake.robot_images("k1")
    is_png(image)


def test_pictures_keep_the_robots_pace(wecom, fake, clock, monkeypatch):
    """20 messages a minute per robot, pictures counted with the words: 30 charts wait their
    turn (on the pinned clock) and the fake, enforcing the rate, refuses none."""
    fake.enforce_webhook_rate = True
    use_test_charts(monkeypatch)
    from handlers.reply import Reply

    reply = Reply("charts", pictures=[picture(f"c{i}") for i in range(30)])
    channel = SimpleNamespace(
        external_id=CHAT, post_target=fake.webhook_url("k1"), post_target_refused_at=None
    )
    workspace = SimpleNamespace(platform="wecom", external_id="wwcorp")
    before = clock.now()
    wecom.poster.post(channel, workspace, reply, Progress())
    assert len(fake.robot_images("k1")) == 30
    assert all(c.ok for c in fake.calls_to("webhook/send"))
    assert clock.now() - before >= 60  # 31 messages: the last 11 waited for the next minute
