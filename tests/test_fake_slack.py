"""The fake Slack Web API and the signed-request builders, checked against the real slack_sdk
clients and a real slack-bolt App (nothing here leaves 127.0.0.1)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fakes.blockkit import assert_block_kit_limits
from tests.fakes.slack import (
    AUTH_TEST,
    Call,
    FakeSlack,
    app_home_opened,
    app_mention,
    block_action,
    event,
    pings,
    post,
    sign,
    slash_command,
    url_verification,
    view_submission,
)

SECRET = "test-signing-secret"
ALICE = {
    "id": "U1",
    "name": "alice",
    "real_name": "Alice Liu",
    "tz": "Asia/Shanghai",
    "is_admin": False,
    "profile": {"display_name": "alice", "real_name": "Alice Liu"},
}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(users={"U1": ALICE}) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def payload(body: bytes) -> dict:
    return json.loads(form(body)["payload"])


# --- lifecycle ---------------------------------------------------------------------------------


def test_base_url_is_loopback_with_trailing_slash(fake: FakeSlack) -> None:
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/api/"
    assert fake.response_url("x") == f"http://127.0.0.1:{fake.port}/respond/x"
    assert fake.response_url() == f"http://127.0.0.1:{fake.port}/respond/r"


def test_stop_joins_the_server_thread_and_frees_the_port() -> None:
    fake = FakeSlack().start()
    thread, url = fake._thread, fake.base_url
    assert thread is not None and thread.is_alive()
    fake.stop()
    assert not thread.is_alive()
    with pytest.raises(OSError):
        post(url + "auth.test", b"", {})
    fake.stop()  # a second stop is harmless


def test_context_manager_starts_and_stops() -> None:
    with FakeSlack() as fake:
        status, _, body = post(fake.base_url + "auth.test", b"", {})
        thread = fake._thread
    assert status == 200 and json.loads(body) == AUTH_TEST
    assert thread is not None and not thread.is_alive()


def test_unknown_path_is_404_and_recorded_nowhere(fake: FakeSlack) -> None:
    json_type = {"Content-Type": "application/json"}
    status, headers, body = post(fake.root_url + "nope", b"{}", json_type)
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["ok"] is False
    assert fake.calls == []


# --- the Web API through the real WebClient ----------------------------------------------------


def test_auth_test(fake: FakeSlack, client: WebClient) -> None:
    response = client.auth_test()
    assert response.data == AUTH_TEST
    assert response.headers["Content-Type"].startswith("application/json")
    (call,) = fake.calls_to("auth.test")
    assert call.method == "auth.test"
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert call.headers["authorization"] == "Bearer xoxb-test"  # header lookups ignore case
    assert "AUTHORIZATION" in call.headers


def test_users_info_known_and_unknown(fake: FakeSlack, client: WebClient) -> None:
    assert client.users_info(user="U1")["user"] == ALICE
    with pytest.raises(SlackApiError) as caught:
        client.users_info(user="U404")
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "user_not_found"
    assert [c.params["user"] for c in fake.calls_to("users.info")] == ["U1", "U404"]


def test_users_info_returns_a_copy(fake: FakeSlack, client: WebClient) -> None:
    client.users_info(user="U1")["user"]["profile"]["display_name"] = "mallory"
    assert client.users_info(user="U1")["user"]["profile"]["display_name"] == "alice"


def test_add_user(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U2", "bob", tz="America/New_York", is_admin=True, display_name="Bobby")
    fake.add_user("U3", "carol")
    bob = client.users_info(user="U2")["user"]
    assert bob["id"] == "U2" and bob["name"] == "bob"
    assert bob["tz"] == "America/New_York" and bob["is_admin"] is True
    assert bob["profile"]["display_name"] == "Bobby"
    carol = client.users_info(user="U3")["user"]
    assert "tz" not in carol and carol["is_admin"] is False
    assert carol["profile"]["display_name"] == "carol"
    assert [u["id"] for u in client.users_list()["members"]] == ["U1", "U2", "U3"]


def test_post_message_ts_increases_and_blocks_are_recorded_decoded(
    fake: FakeSlack, client: WebClient
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*#1* ship it"}}]
    first = client.chat_postMessage(channel="C1", text="one", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="two", thread_ts=first["ts"])
    assert first["ok"] and first["channel"] == "C1"
    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["text"] == "one" and first["message"]["blocks"] == blocks
    assert first["message"]["ts"] == first["ts"]

    calls = fake.calls_to("chat.postMessage")
    assert [c.params["text"] for c in calls] == ["one", "two"]
    assert calls[0].params["blocks"] == blocks
    assert calls[1].params["thread_ts"] == first["ts"]
    assert json.loads(calls[0].raw)["blocks"] == blocks


def test_form_encoded_json_fields_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "divider"}]
    client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks)})
    (call,) = fake.calls_to("chat.postMessage")
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert call.params == {"channel": "C1", "blocks": blocks}


def test_ephemeral_update_and_other_methods(fake: FakeSlack, client: WebClient) -> None:
    ephemeral = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert ephemeral["message_ts"] == "1700000000.000100"
    updated = client.chat_update(channel="C1", ts="1700000000.000100", text="edited")
    assert updated["channel"] == "C1" and updated["ts"] == "1700000000.000100"
    assert updated["text"] == "edited"
    assert client.reactions_add(channel="C1", timestamp="1.2", name="eyes").data == {"ok": True}
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    assert [c.method for c in fake.calls] == [
        "chat.postEphemeral",
        "chat.update",
        "reactions.add",
        "conversations.open",
    ]


def test_views(fake: FakeSlack, client: WebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "new_task",
        "title": {"type": "plain_text", "text": "New task"},
        "blocks": [],
    }
    opened = client.views_open(trigger_id="trig.1", view=modal)["view"]
    assert opened["id"] == "V1" and opened["callback_id"] == "new_task"
    assert opened["state"] == {"values": {}}
    home = client.views_publish(user_id="U1", view={"type": "home", "blocks": []})["view"]
    assert home["id"] == "V2" and home["type"] == "home"
    assert client.views_update(view_id="V1", view=modal)["view"]["id"] == "V1"
    assert client.views_push(trigger_id="trig.2", view=modal)["view"]["id"] == "V3"
    (call,) = fake.calls_to("views.open")
    assert call.params["view"] == modal and call.params["trigger_id"] == "trig.1"
    assert fake.calls_to("views.publish")[0].params["user_id"] == "U1"


def test_apps_connections_open(fake: FakeSlack) -> None:
    app_client = WebClient(token="xapp-test", base_url=fake.base_url)
    assert app_client.apps_connections_open(app_token="xapp-test")["url"] == (
        f"ws://127.0.0.1:{fake.port}/socket"
    )


# --- failures ----------------------------------------------------------------------------------


def test_rate_limit_surfaces_as_slack_api_error_then_succeeds(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.fail_next(
        "chat.postMessage",
        status=429,
        headers={"Retry-After": "1"},
        body={"ok": False, "error": "ratelimited"},
    )
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="hi")
    response = caught.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2  # the failed call is recorded too


def test_fail_next_ok_false_times_and_500(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, times=2)
    fake.fail_next("chat.postMessage", status=500)
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="C404", text="hi")
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "channel_not_found"
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="hi")
    assert caught.value.response.status_code == 500
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert client.auth_test()["ok"] is True  # other methods were never affected


def test_reset_forgets_calls_and_failures(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    fake.fail_next("auth.test", status=500)
    fake.reset()
    assert fake.calls == []
    assert client.auth_test()["ok"] is True


# --- response_url ------------------------------------------------------------------------------


def test_webhook_client_posts_to_response_url(fake: FakeSlack) -> None:
    response = WebhookClient(fake.response_url("x")).send(text="hi")
    assert response.status_code == 200
    assert fake.responses("x") == [{"text": "hi"}]
    assert fake.responses() == []
    (call,) = fake.calls_to("respond:x")
    assert json.loads(call.raw) == {"text": "hi"}


def test_response_url_can_fail(fake: FakeSlack) -> None:
    fake.fail_next("respond:x", status=404, body="no_active_hooks")
    response = WebhookClient(fake.response_url("x")).send(text="late")
    assert (response.status_code, response.body) == (404, "no_active_hooks")
    assert WebhookClient(fake.response_url("x")).send(text="again").status_code == 200
    assert [r["text"] for r in fake.responses("x")] == ["late", "again"]


# --- wait_for ----------------------------------------------------------------------------------


def test_wait_for_calls_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    worker = threading.Thread(
        target=lambda: [client.chat_postMessage(channel="C1", text=str(i)) for i in range(3)]
    )
    worker.start()
    calls = fake.wait_for("chat.postMessage", count=3)
    worker.join()
    assert [c.params["text"] for c in calls] == ["0", "1", "2"]
    assert all(isinstance(c, Call) for c in calls)


def test_wait_for_times_out_with_the_calls_seen(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"(?s)chat\.postMessage.*auth\.test"):
        fake.wait_for("chat.postMessage", timeout=0.05)


def test_concurrent_calls_are_all_recorded_with_unique_ts(
    fake: FakeSlack, client: WebClient
) -> None:
    results: list[str] = []
    lock = threading.Lock()

    def send(i: int) -> None:
        ts = client.chat_postMessage(channel="C1", text=str(i))["ts"]
        with lock:
            results.append(ts)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fake.wait_for("chat.postMessage", count=20)) == 20
    assert len(set(results)) == 20


# --- signing -----------------------------------------------------------------------------------


def test_sign_agrees_with_slack_sdk_verifier() -> None:
    body = b"token=x&text=hello+world"
    headers = sign(body, SECRET)
    ts, signature = headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    assert abs(int(ts) - time.time()) < 60
    assert signature.startswith("v0=")
    verifier = SignatureVerifier(SECRET)
    assert verifier.generate_signature(timestamp=ts, body=body) == signature
    assert verifier.is_valid(body, ts, signature)
    assert not verifier.is_valid(body + b"!", ts, signature)
    assert not SignatureVerifier("other-secret").is_valid(body, ts, signature)


def test_stale_timestamp_is_rejected() -> None:
    body = b'{"type":"event_callback"}'
    stale = int(time.time()) - 6 * 60
    headers = sign(body, SECRET, timestamp=stale)
    assert headers["X-Slack-Request-Timestamp"] == str(stale)
    verifier = SignatureVerifier(SECRET)
    ts, signature = headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    assert verifier.generate_signature(timestamp=ts, body=body) == signature
    assert not verifier.is_valid(body, ts, signature)


@pytest.mark.parametrize(
    "built",
    [
        slash_command(SECRET, "list"),
        event(SECRET, app_mention("<@UBOT> list")),
        block_action(SECRET, "done", "7"),
        view_submission(SECRET, "new_task", {}),
        url_verification(SECRET),
    ],
    ids=["slash_command", "event", "block_action", "view_submission", "url_verification"],
)
def test_every_builder_is_signed(built: tuple[bytes, dict[str, str]]) -> None:
    body, headers = built
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)


# --- request builders --------------------------------------------------------------------------


def test_slash_command_body() -> None:
    body, headers = slash_command(
        SECRET, "add ship it @bob", response_url="http://127.0.0.1:1/respond/r", timestamp=1
    )
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["X-Slack-Request-Timestamp"] == "1"
    fields = form(body)
    assert fields["command"] == "/task" and fields["text"] == "add ship it @bob"
    assert (fields["user_id"], fields["user_name"]) == ("U1", "alice")
    assert (fields["channel_id"], fields["channel_name"]) == ("C1", "general")
    assert fields["team_id"] == "T1"
    assert fields["response_url"] == "http://127.0.0.1:1/respond/r"
    again = form(slash_command(SECRET, "add ship it @bob")[0])
    assert fields["trigger_id"].startswith("trig.") and again["trigger_id"] != fields["trigger_id"]


def test_event_envelope_and_retry_headers() -> None:
    mention = app_mention("<@UBOT> list", thread_ts="1699999999.000100")
    body, headers = event(SECRET, mention, event_id="Ev9", timestamp=1_700_000_000)
    envelope = json.loads(body)
    assert headers["Content-Type"] == "application/json"
    assert "X-Slack-Retry-Num" not in headers
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev9"
    assert envelope["team_id"] == "T1" and envelope["api_app_id"] == "A1"
    assert envelope["event_time"] == 1_700_000_000
    assert envelope["authorizations"][0]["user_id"] == "UBOT"
    assert envelope["event"] == mention
    assert mention["type"] == "app_mention" and mention["thread_ts"] == "1699999999.000100"

    _, retried = event(SECRET, mention, retry_num=1)
    assert retried["X-Slack-Retry-Num"] == "1"
    assert retried["X-Slack-Retry-Reason"] == "http_timeout"
    home = app_home_opened("U2")
    assert (home["type"], home["user"], home["tab"]) == ("app_home_opened", "U2", "home")


def test_block_action_in_a_message_and_in_app_home() -> None:
    in_message = payload(block_action(SECRET, "done", "7", response_url="http://r")[0])
    assert in_message["type"] == "block_actions"
    assert in_message["actions"][0]["action_id"] == "done"
    assert in_message["actions"][0]["value"] == "7"
    assert in_message["container"]["type"] == "message"
    assert in_message["channel"]["id"] == "C1"
    assert in_message["message"]["ts"] == "1700000000.000200"
    assert in_message["response_url"] == "http://r"

    in_home = payload(block_action(SECRET, "done", "7", view={"id": "V9", "type": "home"})[0])
    assert in_home["container"] == {"type": "view", "view_id": "V9"}
    assert in_home["view"]["type"] == "home"
    assert "channel" not in in_home and "response_url" not in in_home


def test_view_submission_payload() -> None:
    values = {"title": {"input": {"type": "plain_text_input", "value": "ship it"}}}
    body, _ = view_submission(SECRET, "new_task", values, private_metadata='{"c": "C1"}')
    sent = payload(body)
    assert sent["type"] == "view_submission"
    assert sent["view"]["callback_id"] == "new_task"
    assert sent["view"]["state"]["values"] == values
    assert sent["view"]["private_metadata"] == '{"c": "C1"}'
    assert sent["user"]["id"] == "U1" and sent["view"]["id"] == "V1"


# --- a real slack-bolt App ---------------------------------------------------------------------


@pytest.fixture
def app(fake: FakeSlack) -> App:
    # Bolt takes the client's token when given both (and logs a warning): pass the client only.
    bolt = App(
        signing_secret=SECRET,
        client=WebClient(token="xoxb-test", base_url=fake.base_url),
    )

    @bolt.command("/task")
    def task_command(ack, body, respond, client) -> None:
        ack(f"got {body['text']}")
        respond(f"working on {body['text']}")
        client.chat_postMessage(channel=body["channel_id"], text="done")

    @bolt.action("done")
    def done(ack, body, client) -> None:
        ack()
        client.chat_postMessage(channel="C1", text=f"#{body['actions'][0]['value']} done")

    @bolt.view("new_task")
    def new_task(ack, view) -> None:
        title = view["state"]["values"]["title"]["input"]["value"]
        if not title:
            ack(response_action="errors", errors={"title": "required"})
        else:
            ack()

    @bolt.event("app_mention")
    def mention(event, say) -> None:
        say(f"heard {event['text']}", thread_ts=event.get("thread_ts") or event["ts"])

    @bolt.event("app_home_opened")
    def home(event, client) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    return bolt


def dispatch(app: App, built: tuple[bytes, dict[str, str]]):
    body, headers = built
    return app.dispatch(BoltRequest(body=body.decode(), headers=headers))


def test_bolt_verifies_its_token_against_the_fake(fake: FakeSlack, app: App) -> None:
    assert fake.calls_to("auth.test")[0].headers["Authorization"] == "Bearer xoxb-test"


def test_bolt_slash_command(fake: FakeSlack, app: App) -> None:
    built = slash_command(SECRET, "list", response_url=fake.response_url("cmd"))
    response = dispatch(app, built)
    assert response.status == 200
    assert response.body == "got list"  # Bolt answers a text-only ack as plain text
    assert fake.wait_for("respond:cmd")[0].params["text"] == "working on list"
    (posted,) = fake.wait_for("chat.postMessage")
    assert (posted.params["channel"], posted.params["text"]) == ("C1", "done")


def test_bolt_rejects_a_bad_signature(fake: FakeSlack, app: App) -> None:
    body, headers = slash_command("wrong-secret", "list")
    assert dispatch(app, (body, headers)).status == 401
    body, headers = slash_command(SECRET, "list", timestamp=int(time.time()) - 6 * 60)
    assert dispatch(app, (body, headers)).status == 401
    body, headers = slash_command(SECRET, "list")
    assert dispatch(app, (body.replace(b"list", b"drop"), headers)).status == 401
    assert fake.calls_to("chat.postMessage") == []


def test_bolt_block_action(fake: FakeSlack, app: App) -> None:
    assert dispatch(app, block_action(SECRET, "done", "7")).status == 200
    assert fake.wait_for("chat.postMessage")[0].params["text"] == "#7 done"


def test_bolt_view_submission(app: App) -> None:
    ok = dispatch(app, view_submission(SECRET, "new_task", {"title": {"input": {"value": "x"}}}))
    assert (ok.status, ok.body) == (200, "")
    bad = dispatch(app, view_submission(SECRET, "new_task", {"title": {"input": {"value": ""}}}))
    assert bad.status == 200
    assert json.loads(bad.body) == {"response_action": "errors", "errors": {"title": "required"}}


def test_bolt_events(fake: FakeSlack, app: App) -> None:
    mention = app_mention("<@UBOT> list", ts="1700000000.000500")
    assert dispatch(app, event(SECRET, mention)).status == 200
    (said,) = fake.wait_for("chat.postMessage")
    assert said.params["text"] == "heard <@UBOT> list"
    assert said.params["thread_ts"] == "1700000000.000500"

    assert dispatch(app, event(SECRET, app_home_opened("U1"), event_id="Ev2")).status == 200
    assert fake.wait_for("views.publish")[0].params["user_id"] == "U1"


def test_bolt_url_verification(app: App) -> None:
    response = dispatch(app, url_verification(SECRET, "xyz"))
    assert response.status == 200
    assert json.loads(response.body) == {"challenge": "xyz"}


# --- the Block Kit checker (tests/fakes/blockkit.py) -------------------------------------


def section(text: str, accessory: dict | None = None) -> dict:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    return {**block, "accessory": accessory} if accessory else block


def menu(n: int) -> dict:
    options = [
        {"text": {"type": "plain_text", "text": f"o{i}"}, "value": f"v{i}"} for i in range(n)
    ]
    return {"type": "overflow", "action_id": "m", "options": options}


def button(text: str = "Go") -> dict:
    return {"type": "button", "action_id": "b", "text": {"type": "plain_text", "text": text}}


BROKEN = {
    "51 blocks": {"text": "x", "blocks": [section("x")] * 51},
    "section text 3001": {"text": "x", "blocks": [section("x" * 3001)]},
    "empty section text": {"text": "x", "blocks": [section("")]},
    "header 151": {
        "text": "x",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
    },
    "header in mrkdwn": {
        "text": "x",
        "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}],
    },
    "11 fields": {
        "text": "x",
        "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
    },
    "field 2001": {
        "text": "x",
        "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
    },
    "button text 76": {
        "text": "x",
        "blocks": [{"type": "actions", "elements": [button("b" * 76)]}],
    },
    "button value 2001": {
        "text": "x",
        "blocks": [{"type": "actions", "elements": [{**button(), "value": "v" * 2001}]}],
    },
    "26 actions": {
        "text": "x",
        "blocks": [
            {
                "type": "actions",
                "elements": [{**button(), "action_id": f"b{i}"} for i in range(26)],
            }
        ],
    },
    "same action_id twice": {
        "text": "x",
        "blocks": [{"type": "actions", "elements": [button(), button()]}],
    },
    "overflow of 1": {"text": "x", "blocks": [section("x", menu(1))]},
    "overflow of 6": {"text": "x", "blocks": [section("x", menu(6))]},
    "option text 76": {
        "text": "x",
        "blocks": [
            section(
                "x",
                {
                    "type": "overflow",
                    "action_id": "m",
                    "options": [
                        {"text": {"type": "plain_text", "text": "o" * 76}, "value": "a"},
                        {"text": {"type": "plain_text", "text": "o"}, "value": "b"},
                    ],
                },
            )
        ],
    },
    "option value 151": {
        "text": "x",
        "blocks": [
            section(
                "x",
                {
                    "type": "overflow",
                    "action_id": "m",
                    "options": [
                        {"text": {"type": "plain_text", "text": "o"}, "value": "v" * 151},
                        {"text": {"type": "plain_text", "text": "o"}, "value": "b"},
                    ],
                },
            )
        ],
    },
    "nothing at all": {"text": "", "blocks": []},
    "101 blocks in Home": {"view": {"type": "home", "blocks": [section("x")] * 101}},
    "modal title 25": {
        "view": {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25}, "blocks": []}
    },
    "input in a message": {
        "text": "x",
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "l"},
                "element": {"type": "plain_text_input", "action_id": "v"},
            }
        ],
    },
}


@pytest.mark.parametrize("payload", BROKEN.values(), ids=BROKEN.keys())
def test_the_checker_catches_each_broken_limit(payload):
    with pytest.raises(AssertionError, match="Block Kit limits broken"):
        assert_block_kit_limits(payload)


def test_the_checker_passes_what_slack_takes():
    assert_block_kit_limits(
        {
            "text": "t" * 40000,
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
                section("s" * 3000, menu(5)),
                section("s", menu(2)),
                {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
                {
                    "type": "actions",
                    "elements": [
                        {**button("b" * 75), "action_id": f"b{i}", "value": "v" * 2000}
                        for i in range(25)
                    ],
                },
                *[{"type": "divider"}] * 44,
            ],
        }
    )
    assert_block_kit_limits({"view": {"type": "home", "blocks": [{"type": "divider"}] * 100}})


# --- whom a message would notify ---------------------------------------------------------------


def test_pings_reads_the_text_and_every_mrkdwn_object_as_slack_does() -> None:
    message = {
        "text": "Hi <@U1> and <!here|here>",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "<!channel> shown as is"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "<@U2|bob> <!subteam^S1|@team> <#C1>"},
                "fields": [{"type": "mrkdwn", "text": "<!everyone>"}],
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "&lt;!here&gt;"}]},
        ],
    }
    assert pings(message) == ["@U1", "!here", "@U2", "!subteam^S1", "!everyone"]
    assert pings({**message, "mrkdwn": False, "blocks": []}) == []  # the text is not parsed
    view = {"view": {"type": "home", "blocks": message["blocks"]}}
    assert pings(view) == ["@U2", "!subteam^S1", "!everyone"]


def test_a_recorded_call_says_whom_it_pinged(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="<!channel> <@U1>", blocks=[])
    [call] = fake.calls_to("chat.postMessage")
    assert call.pings == ["!channel", "@U1"]


# --- files: the external-upload flow, as Slack runs it ---------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def api(fake: FakeSlack, method: str, **fields: object) -> dict:
    from urllib.parse import urlencode

    from tests.fakes.server import post as raw_post

    body = urlencode({k: v for k, v in fields.items() if v is not None}).encode()
    _, _, raw = raw_post(
        fake.base_url + method, body, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    return json.loads(raw)


def test_files_upload_v2_runs_the_three_steps_and_the_fake_keeps_the_bytes(fake, client):
    client.files_upload_v2(
        channel="C1", file=PNG_BYTES, filename="g.png", title="G", alt_txt="a", thread_ts="1.1"
    )
    steps = [c.method for c in fake.calls]
    assert steps == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    [shared] = fake.shared_files()
    assert shared["data"] == PNG_BYTES and shared["channel_id"] == "C1"
    assert shared["thread_ts"] == "1.1" and shared["title"] == "G"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"length": 10}, "invalid_arguments"),  # no filename
        ({"filename": "a.png"}, "invalid_arguments"),  # no length
        ({"filename": "a.png", "length": 0}, "missing_argument"),
        ({"filename": "a.png", "length": 10, "alt_txt": "x" * 1001}, "alt_txt_too_large"),
    ],
)
def test_get_upload_url_refuses_what_slack_refuses(fake, fields, error):
    assert api(fake, "files.getUploadURLExternal", **fields) == {"ok": False, "error": error}


def test_the_upload_url_takes_the_declared_length_once_and_nothing_unknown(fake):
    from tests.fakes.server import post as raw_post

    got = api(fake, "files.getUploadURLExternal", filename="a.png", length=4)
    assert raw_post(got["upload_url"], b"12345")[0] == 400  # not the length declared
    assert raw_post(got["upload_url"], b"1234")[0] == 200
    assert raw_post(got["upload_url"], b"1234")[0] == 400  # once
    assert raw_post(fake.root_url + "upload/F404", b"1234")[0] == 404


def test_complete_upload_refuses_unknown_unuploaded_twice_completed_and_bad_channels(fake):
    from tests.fakes.server import post as raw_post

    def complete(file_id: str, **fields: object) -> dict:
        return api(
            fake,
            "files.completeUploadExternal",
            files=json.dumps([{"id": file_id, "title": "t"}]),
            **fields,
        )

    got = api(fake, "files.getUploadURLExternal", filename="a.png", length=4)
    assert complete("F999999999", channel_id="C1")["error"] == "file_not_found"
    assert complete(got["file_id"], channel_id="C1")["error"] == "file_not_found"  # no bytes yet
    raw_post(got["upload_url"], b"1234")
    assert complete(got["file_id"], channel_id="not a channel")["error"] == "channel_not_found"
    fake.refuse_channel("C9", "not_in_channel")
    assert complete(got["file_id"], channel_id="C9")["error"] == "not_in_channel"
    assert complete(got["file_id"], thread_ts="1.1")["error"] == "invalid_arguments"
    assert complete(got["file_id"], channel_id="C1", initial_comment="hi")["ok"] is True
    assert complete(got["file_id"], channel_id="C1")["error"] == "file_already_completed"
    [shared] = fake.shared_files()
    assert shared["initial_comment"] == "hi" and shared["data"] == b"1234"


def test_the_retired_files_upload_answers_method_deprecated(fake, client):
    with pytest.warns(UserWarning), pytest.raises(SlackApiError) as err:
        client.files_upload(channels="C1", content="x", filename="a.txt")
    assert err.value.response["error"] == "method_deprecated"
