"""The fake WeCom server API and the encrypted-callback builders, checked against the real
wechatpy 1.8 clients and crypto (nothing here leaves 127.0.0.1)."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from wechatpy.enterprise import WeChatClient, create_reply, parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import (
    APILimitedException,
    InvalidSignatureException,
    WeChatClientException,
)

from tests.fakes.wecom import (
    CONTENT_LIMITS,
    RESPONSE_URL_USED,
    Call,
    FakeWeCom,
    aibot_text,
    aibot_url_check,
    app_text_message,
    app_url_check,
    decrypt_aibot_reply,
    decrypt_reply_xml,
    get,
    markup,
    msg_signature,
    new_aes_key,
    post,
)

CORP = "wwcorp"
SECRET = "app-secret"
AGENT = 1000002
TOKEN = "cb-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeCom issues
USERS = [
    {"userid": "zhangsan", "name": "张三", "department": [1]},
    {"userid": "lisi", "name": "李四", "department": [2]},
]


class LocalWeChatClient(WeChatClient):
    """wechatpy 1.8's WeChatClient hard-codes https://qyapi.weixin.qq.com/cgi-bin/gettoken in
    fetch_access_token; this one fetches from API_BASE_URL like every other call."""

    def fetch_access_token(self) -> dict:
        return self._fetch_access_token(
            url=self.API_BASE_URL + "gettoken",
            params={"corpid": self.corp_id, "corpsecret": self.secret},
        )


@pytest.fixture
def fake() -> Iterator[FakeWeCom]:
    with FakeWeCom(corp_id=CORP, secret=SECRET, users=USERS) as server:
        yield server


def make_client(fake: FakeWeCom, **kwargs: object) -> LocalWeChatClient:
    client = LocalWeChatClient(kwargs.pop("corp_id", CORP), kwargs.pop("secret", SECRET), **kwargs)
    client.API_BASE_URL = fake.base_url
    return client


@pytest.fixture
def client(fake: FakeWeCom) -> LocalWeChatClient:
    return make_client(fake)


def answer(raw: bytes) -> dict:
    return json.loads(raw.decode("utf-8"))


# --- lifecycle and recording --------------------------------------------------------------------


def test_base_url_is_local_cgi_bin_and_stop_is_idempotent() -> None:
    fake = FakeWeCom()
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake.base_url
    with fake:
        assert fake.base_url == f"http://127.0.0.1:{fake.port}/cgi-bin/"
        with pytest.raises(RuntimeError, match="already running"):
            fake.start()
    fake.stop()  # a second stop is harmless


def test_unknown_path_is_404_and_get_post_helpers_do_not_raise(fake: FakeWeCom) -> None:
    status, _, _ = get(fake.root_url + "nowhere")
    assert status == 404
    status, _, _ = post(fake.root_url + "nowhere", b"{}")
    assert status == 404
    assert fake.calls == []


def test_calls_record_query_body_headers_and_answer(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    client.message.send_text(AGENT, ["zhangsan", "lisi"], "进度 50%")
    [call] = fake.calls_to("message/send")
    assert isinstance(call, Call)
    assert call.params == {"access_token": "TOKEN1"}
    assert call.body == {
        "touser": "zhangsan|lisi",
        "toparty": "",
        "totag": "",
        "agentid": AGENT,
        "msgtype": "text",
        "text": {"content": "进度 50%"},
        "safe": 0,
    }
    assert json.loads(call.raw) == call.body
    assert "进度".encode() in call.raw  # wechatpy sends UTF-8, not \\u escapes
    assert call.headers["Content-Length"] == str(len(call.raw))
    assert call.http_method == "POST"
    assert call.status == 200 and call.ok
    assert call.answer == {"errcode": 0, "errmsg": "ok", "msgid": "m1", "invaliduser": ""}


def test_wait_for_blocks_until_the_call_arrives(fake: FakeWeCom) -> None:
    url = fake.webhook_url("k1")
    body = json.dumps({"msgtype": "text", "text": {"content": "hi"}}).encode()
    worker = threading.Thread(target=post, args=(url, body))
    worker.start()
    [call] = fake.wait_for("webhook/send")
    worker.join()
    assert call.ok
    with pytest.raises(AssertionError, match=r"2 call\(s\) to webhook/send"):
        fake.wait_for("webhook/send", count=2, timeout=0.05)


def test_reset_forgets_calls_and_failures_but_keeps_tokens(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    client.message.send_text(AGENT, "zhangsan", "a")
    fake.fail_next("message/send", errcode=-1)
    fake.reset()
    assert fake.calls == []
    client.message.send_text(AGENT, "zhangsan", "b")  # the queued failure is gone
    assert fake.tokens_issued == 1
    assert [c.method for c in fake.calls] == ["message/send"]


# --- access tokens ------------------------------------------------------------------------------


def test_overridden_fetch_access_token_reaches_the_fake_and_the_token_is_cached(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    client.message.send_text(AGENT, "zhangsan", "one")
    client.message.send_markdown(AGENT, "zhangsan", "**two**")
    client.appchat.send_text("wrk-chat-1", "three")
    client.user.list(1, fetch_child=True)
    [gettoken] = fake.calls_to("gettoken")
    assert gettoken.params == {"corpid": CORP, "corpsecret": SECRET}
    assert gettoken.answer == {
        "errcode": 0,
        "errmsg": "ok",
        "access_token": "TOKEN1",
        "expires_in": 7200,
    }
    assert fake.tokens_issued == 1
    assert all(c.params["access_token"] == "TOKEN1" for c in fake.calls if c.method != "gettoken")


def test_stock_fetch_access_token_ignores_api_base_url(fake: FakeWeCom) -> None:
    stock = WeChatClient(CORP, SECRET)
    stock.API_BASE_URL = fake.base_url
    seen: list[str] = []
    stock._fetch_access_token = lambda url, params: seen.append(url)  # never goes out
    stock.fetch_access_token()
    assert seen == ["https://qyapi.weixin.qq.com/cgi-bin/gettoken"]


def test_gettoken_returns_the_same_token_while_valid_and_a_new_one_after_expiry(
    fake: FakeWeCom,
) -> None:
    url = f"{fake.base_url}gettoken?corpid={CORP}&corpsecret={SECRET}"
    first = answer(get(url)[2])["access_token"]
    second = answer(get(url)[2])["access_token"]
    assert first == second == "TOKEN1" == fake.current_token
    assert fake.tokens_issued == 1
    fake.expire_tokens()
    assert fake.current_token is None
    assert answer(get(url)[2])["access_token"] == "TOKEN2"
    assert fake.tokens_issued == 2


@pytest.mark.parametrize(
    ("corp_id", "secret", "errcode"), [("wrong", SECRET, 40013), (CORP, "wrong", 40001)]
)
def test_wrong_corp_or_secret_raises_from_fetch_without_retry(
    fake: FakeWeCom, corp_id: str, secret: str, errcode: int
) -> None:
    client = make_client(fake, corp_id=corp_id, secret=secret)
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(AGENT, "zhangsan", "hi")
    assert caught.value.errcode == errcode
    assert len(fake.calls_to("gettoken")) == 1
    assert fake.calls_to("message/send") == []
    assert fake.tokens_issued == 0


def test_api_calls_need_the_current_token(fake: FakeWeCom) -> None:
    def errcode(query: str) -> int:
        return answer(get(f"{fake.base_url}user/get?userid=zhangsan{query}")[2])["errcode"]

    assert errcode("") == 41001  # access_token missing
    assert errcode("&access_token=bogus") == 40014
    get(f"{fake.base_url}gettoken?corpid={CORP}&corpsecret={SECRET}")
    assert errcode("&access_token=TOKEN1") == 0
    fake.expire_tokens()
    assert errcode("&access_token=TOKEN1") == 42001
    fake.expire_tokens(errcode=40014)  # revoked early rather than expired
    assert errcode("&access_token=TOKEN1") == 40014


def test_errmsg_carries_wecom_hint_suffix(fake: FakeWeCom) -> None:
    errmsg = answer(get(f"{fake.base_url}user/get?access_token=x")[2])["errmsg"]
    assert errmsg.startswith("invalid access_token, hint: [")
    assert errmsg.endswith("more info at https://open.work.weixin.qq.com/devtool/query?e=40014")


def test_expired_token_42001_is_refetched_and_retried_by_wechatpy(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    client.message.send_text(AGENT, "zhangsan", "before")
    fake.expire_tokens()
    result = client.message.send_text(AGENT, "zhangsan", "after")
    assert result["errcode"] == 0
    sends = fake.calls_to("message/send")
    assert [(c.params["access_token"], c.answer["errcode"]) for c in sends] == [
        ("TOKEN1", 0),
        ("TOKEN1", 42001),
        ("TOKEN2", 0),
    ]
    assert sends[1].body == sends[2].body  # the same message, sent again
    assert len(fake.calls_to("gettoken")) == 2
    assert fake.tokens_issued == 2


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_wechatpy_retries_token_errors_without_any_cap(
    fake: FakeWeCom, client: LocalWeChatClient, errcode: int
) -> None:
    fake.fail_next("message/send", errcode=errcode, times=4)
    assert client.message.send_text(AGENT, "zhangsan", "hi")["errcode"] == 0
    # one try plus one refetch-and-retry per failure: 5 sends, 1 + 4 gettoken calls
    assert [c.answer["errcode"] for c in fake.calls_to("message/send")] == [errcode] * 4 + [0]
    assert len(fake.calls_to("gettoken")) == 5
    assert fake.tokens_issued == 1  # WeCom hands back the still-valid token each time


def test_auto_retry_false_raises_the_token_error(fake: FakeWeCom) -> None:
    client = make_client(fake, auto_retry=False)
    client.message.send_text(AGENT, "zhangsan", "first")
    fake.expire_tokens()
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(AGENT, "zhangsan", "second")
    assert caught.value.errcode == 42001
    assert len(fake.calls_to("message/send")) == 2
    assert len(fake.calls_to("gettoken")) == 1


def test_failing_refetch_raises_the_gettoken_error(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    client.message.send_text(AGENT, "zhangsan", "first")
    fake.expire_tokens()
    fake.fail_next("gettoken", errcode=-1)
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(AGENT, "zhangsan", "second")
    assert caught.value.errcode == -1
    assert len(fake.calls_to("message/send")) == 2  # no third try


def test_gettoken_45009_is_a_plain_client_exception(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    fake.fail_next("gettoken", errcode=45009)
    with pytest.raises(WeChatClientException) as caught:
        client.message.send_text(AGENT, "zhangsan", "hi")
    assert type(caught.value) is WeChatClientException  # _fetch_access_token never raises
    assert caught.value.errcode == 45009  # APILimitedException
    assert fake.calls_to("message/send") == []


@pytest.mark.parametrize(
    ("errcode", "exception"),
    [
        (45009, APILimitedException),
        (45033, WeChatClientException),
        (-1, WeChatClientException),
        (40058, WeChatClientException),
    ],
)
def test_limits_and_busy_raise_at_once_without_retry(
    fake: FakeWeCom, client: LocalWeChatClient, errcode: int, exception: type
) -> None:
    fake.fail_next("message/send", errcode=errcode, errmsg="nope")
    with pytest.raises(exception) as caught:
        client.message.send_text(AGENT, "zhangsan", "hi")
    assert type(caught.value) is exception
    assert (caught.value.errcode, caught.value.errmsg) == (errcode, "nope")
    assert len(fake.calls_to("message/send")) == 1
    assert len(fake.calls_to("gettoken")) == 1
    client.message.send_text(AGENT, "zhangsan", "hi")  # the failure was used up
    assert fake.calls_to("message/send")[-1].ok


def test_http_status_failure_raises_with_no_errcode(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    fake.fail_next("appchat/send", errcode=-1, status=502)
    with pytest.raises(WeChatClientException) as caught:
        client.appchat.send_text("wrk-chat-1", "hi")
    assert caught.value.errcode is None
    assert caught.value.response.status_code == 502
    [call] = fake.calls_to("appchat/send")
    assert (call.status, call.answer["errcode"], call.ok) == (502, -1, False)


def test_fail_next_default_errmsg_and_times(fake: FakeWeCom) -> None:
    url = fake.webhook_url("k1")
    body = json.dumps({"msgtype": "text", "text": {"content": "hi"}}).encode()
    fake.fail_next("webhook/send", errcode=-1, times=2)
    answers = [answer(post(url, body)[2]) for _ in range(3)]
    assert [a["errcode"] for a in answers] == [-1, -1, 0]
    assert answers[0]["errmsg"].startswith("system busy, hint: [")
    assert len(fake.webhook_posts("k1")) == 1


# --- sending ------------------------------------------------------------------------------------


def test_send_text_and_markdown(fake: FakeWeCom, client: LocalWeChatClient) -> None:
    first = client.message.send_text(AGENT, ["zhangsan"], "hello")
    second = client.message.send_markdown(AGENT, "lisi", "# 周报\n> **done**")
    assert (first["msgid"], second["msgid"]) == ("m1", "m2")
    assert first["invaliduser"] == ""
    text, markdown = (c.body for c in fake.calls_to("message/send"))
    assert (text["msgtype"], text["touser"]) == ("text", "zhangsan")
    assert text["text"] == {"content": "hello"}
    assert markdown["msgtype"] == "markdown"
    assert markdown["markdown"] == {"content": "# 周报\n> **done**"}
    assert markdown["agentid"] == AGENT


def test_appchat_send_text(fake: FakeWeCom, client: LocalWeChatClient) -> None:
    assert client.appchat.send_text("wrk-chat-1", "群消息")["errcode"] == 0
    [call] = fake.calls_to("appchat/send")
    assert call.body == {
        "chatid": "wrk-chat-1",
        "safe": 0,
        "msgtype": "text",
        "text": {"content": "群消息"},
    }


@pytest.mark.parametrize(
    ("msgtype", "unit", "limit"),
    [("text", "a", 2048), ("text", "字", 2048), ("markdown", "a", 4096), ("markdown", "字", 4096)],
)
def test_content_over_the_byte_limit_answers_40058(
    fake: FakeWeCom, client: LocalWeChatClient, msgtype: str, unit: str, limit: int
) -> None:
    assert CONTENT_LIMITS[msgtype] == limit
    send = client.message.send_text if msgtype == "text" else client.message.send_markdown
    fits = unit * (limit // len(unit.encode()))
    send(AGENT, "zhangsan", fits)
    with pytest.raises(WeChatClientException) as caught:
        send(AGENT, "zhangsan", fits + unit)  # bytes, not characters: 683 × 字 is 2049 bytes
    assert caught.value.errcode == 40058
    assert caught.value.errmsg.startswith(f"{msgtype}.content exceed max length {limit}.")
    assert [c.ok for c in fake.calls_to("message/send")] == [True, False]


def test_appchat_content_limit_and_empty_content(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    with pytest.raises(WeChatClientException) as too_long:
        client.appchat.send_text("wrk-chat-1", "x" * 2049)
    with pytest.raises(WeChatClientException) as empty:
        client.appchat.send_text("wrk-chat-1", "")
    assert (too_long.value.errcode, empty.value.errcode) == (40058, 44004)


def test_bad_bodies_and_wrong_http_methods(fake: FakeWeCom) -> None:
    get(f"{fake.base_url}gettoken?corpid={CORP}&corpsecret={SECRET}")
    send = f"{fake.base_url}message/send?access_token=TOKEN1"
    assert answer(post(send, b"not json")[2])["errcode"] == 47001
    assert answer(post(send, json.dumps({"touser": "x"}).encode())[2])["errcode"] == 40008
    image = {"touser": "x", "msgtype": "image", "image": {"media_id": "M"}}
    # an image's media_id must be one media/upload gave (WeCom: 40007 invalid media_id)
    assert answer(post(send, json.dumps(image).encode())[2])["errcode"] == 40007
    assert answer(get(send)[2])["errcode"] == 43002
    user_list = f"{fake.base_url}user/list?access_token=TOKEN1&department_id=1"
    assert answer(post(user_list, b"{}")[2])["errcode"] == 43001


# --- users --------------------------------------------------------------------------------------


def test_user_list_and_get(fake: FakeWeCom, client: LocalWeChatClient) -> None:
    fake.add_user("wangwu", "王五", department=(2, 3), position="运营")
    everyone = client.user.list(1, fetch_child=True)
    assert [u["userid"] for u in everyone] == ["zhangsan", "lisi", "wangwu"]
    assert everyone[0] == {"userid": "zhangsan", "name": "张三", "department": [1]}
    assert [u["userid"] for u in client.user.list(1)] == ["zhangsan"]
    assert [u["userid"] for u in client.user.list(2)] == ["lisi", "wangwu"]
    assert client.user.list(2, simple=True)[1] == {
        "userid": "wangwu",
        "name": "王五",
        "department": [2, 3],
    }
    wangwu = client.user.get("wangwu")
    assert (wangwu["name"], wangwu["position"], wangwu["department"]) == ("王五", "运营", [2, 3])
    with pytest.raises(WeChatClientException) as caught:
        client.user.get("nobody")
    assert caught.value.errcode == 60111
    [call] = fake.calls_to("user/list")[:1]
    assert call.params["department_id"] == "1" and call.params["fetch_child"] == "1"


def test_users_are_copied_in_and_out(fake: FakeWeCom, client: LocalWeChatClient) -> None:
    client.user.list(1, fetch_child=True)[0]["name"] = "changed"
    assert client.user.get("zhangsan")["name"] == "张三"
    assert USERS[0] == {"userid": "zhangsan", "name": "张三", "department": [1]}


# --- group robot webhooks -----------------------------------------------------------------------


def test_webhook_posts_need_no_token_and_are_recorded(fake: FakeWeCom) -> None:
    url = fake.webhook_url("k1")
    assert url == f"{fake.base_url}webhook/send?key=k1"
    markdown = {"msgtype": "markdown", "markdown": {"content": "**日报**"}}
    status, _, raw = post(url, json.dumps(markdown).encode(), {"Content-Type": "application/json"})
    assert (status, answer(raw)) == (200, {"errcode": 0, "errmsg": "ok"})
    assert fake.webhook_posts("k1") == [markdown]
    assert fake.webhook_posts("k2") == []
    assert fake.tokens_issued == 0


def test_unknown_or_revoked_webhook_key_answers_93000(fake: FakeWeCom) -> None:
    body = json.dumps({"msgtype": "text", "text": {"content": "hi"}}).encode()
    assert answer(post(f"{fake.base_url}webhook/send?key=nope", body)[2])["errcode"] == 93000
    url = fake.webhook_url("k1")
    assert answer(post(url, body)[2])["errcode"] == 0
    fake.revoke_webhook("k1")
    reply = answer(post(url, body)[2])
    assert reply["errcode"] == 93000
    assert reply["errmsg"].startswith("invalid webhook url")
    assert len(fake.webhook_posts("k1")) == 1
    assert len(fake.calls_to("webhook/send")) == 3


def test_webhook_content_limits(fake: FakeWeCom) -> None:
    url = fake.webhook_url("k1")

    def send(msgtype: str, content: str) -> int:
        body = json.dumps({"msgtype": msgtype, msgtype: {"content": content}}).encode()
        return answer(post(url, body)[2])["errcode"]

    assert send("markdown", "字" * 1365) == 0  # 4095 bytes
    assert send("markdown", "字" * 1366) == 40058  # 4098 bytes
    assert send("text", "a" * 2048) == 0
    assert send("text", "a" * 2049) == 40058
    assert len(fake.webhook_posts("k1")) == 2


def test_webhook_rate_is_20_a_minute_per_key_when_enforced() -> None:
    now = [1000.0]
    with FakeWeCom(enforce_webhook_rate=True, clock=lambda: now[0]) as fake:
        k1, k2 = fake.webhook_url("k1"), fake.webhook_url("k2")
        body = json.dumps({"msgtype": "text", "text": {"content": "hi"}}).encode()
        assert [answer(post(k1, body)[2])["errcode"] for _ in range(21)] == [0] * 20 + [45009]
        assert answer(post(k2, body)[2])["errcode"] == 0  # counted per key
        now[0] += 59.9
        assert answer(post(k1, body)[2])["errcode"] == 45009
        now[0] += 0.1  # the first 20 are a minute old
        assert answer(post(k1, body)[2])["errcode"] == 0
        assert len(fake.webhook_posts("k1")) == 21


def test_webhook_rate_is_not_enforced_by_default(fake: FakeWeCom) -> None:
    url = fake.webhook_url("k1")
    body = json.dumps({"msgtype": "text", "text": {"content": "hi"}}).encode()
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda _: answer(post(url, body)[2])["errcode"], range(30)))
    assert codes == [0] * 30
    assert len(fake.wait_for("webhook/send", count=30)) == 30


# --- intelligent robot response_url -------------------------------------------------------------


def test_response_url_posts_are_recorded(fake: FakeWeCom) -> None:
    url = fake.response_url("r1")
    assert url.startswith(fake.base_url)
    assert urlsplit(url).query == "response_code=r1"
    reply = {"msgtype": "markdown", "markdown": {"content": "收到"}}
    assert answer(post(url, json.dumps(reply).encode())[2]) == {"errcode": 0, "errmsg": "ok"}
    assert fake.responses("r1") == [reply]
    assert fake.calls_to("aibot/response:r1")[0].params == {"response_code": "r1"}
    assert fake.responses("r2") == []
    assert fake.tokens_issued == 0


def test_a_response_url_takes_one_message(fake: FakeWeCom) -> None:
    url = fake.response_url("r1")
    first = {"msgtype": "markdown", "markdown": {"content": "第一条"}}
    second = {"msgtype": "markdown", "markdown": {"content": "第二条"}}
    assert answer(post(url, json.dumps(first).encode())[2])["errcode"] == 0
    refused = answer(post(url, json.dumps(second).encode())[2])
    assert refused["errcode"] == RESPONSE_URL_USED and "already used" in refused["errmsg"]
    assert fake.responses("r1") == [first]  # what the chat shows
    assert len(fake.calls_to("aibot/response:r1")) == 2
    other = fake.response_url("r2")  # each message its own response_url
    assert answer(post(other, json.dumps(second).encode())[2])["errcode"] == 0


def test_a_refused_post_does_not_use_up_the_response_url(fake: FakeWeCom) -> None:
    url = fake.response_url("r1")
    fake.fail_next("aibot/response:r1", errcode=-1)
    too_long = {"msgtype": "markdown", "markdown": {"content": "字" * 6827}}  # 20481 bytes
    as_text = {"msgtype": "text", "text": {"content": "收到"}}
    fits = {"msgtype": "markdown", "markdown": {"content": "字" * 6826 + "ab"}}  # 20480 bytes
    body = json.dumps(fits).encode()
    assert answer(post(url, body)[2])["errcode"] == -1  # busy: try again
    assert answer(post(url, json.dumps(too_long).encode())[2])["errcode"] == 40058
    assert answer(post(url, json.dumps(as_text).encode())[2])["errcode"] == 40008
    assert answer(post(url, b"{not json")[2])["errcode"] == 47001
    assert answer(post(url, body)[2])["errcode"] == 0
    assert fake.responses("r1") == [fits]
    fake.reset()  # a new test phase: the response code is fresh again
    assert answer(post(url, body)[2])["errcode"] == 0


# --- what a markdown content shows ---------------------------------------------------------------


def test_markup_reads_what_wecom_markdown_pings_links_and_emphasises() -> None:
    content = (
        '**#1 标题** <font color="warning">🔴</font> <@lisi> <@all> @all 和 a@ALL\n'
        "> 引用 [链接](http://x.example) ![图](http://y.example/p.png) *斜* 5 * 3\n"
        "# 标题行\n#1 不是标题"
    )
    seen = markup(content)
    assert seen.mentions == ["lisi", "all", "all"]  # `a@ALL` is glued to a word: no mention
    assert seen.links == ["http://x.example", "http://y.example/p.png"]
    assert seen.emphasis == ["#1 标题", "斜"]
    assert seen.colours == ["🔴"]
    assert seen.line_starts == [
        "> 引用 [链接](http://x.example) ![图](http://y.example/p.png) *斜* 5 * 3",
        "# 标题行",
    ]


def test_markup_reads_nothing_in_text_whose_pieces_are_broken_apart() -> None:
    z = "\u200b"
    seen = markup(f"<{z}@{z}all> @{z}all [x]{z}(http://x.example) ∗∗b∗∗ ∗i∗ <{z}font>c</font>")
    assert (seen.mentions, seen.links, seen.emphasis, seen.colours) == ([], [], [], [])


# --- encrypted callbacks ------------------------------------------------------------------------


def test_new_aes_key_is_a_valid_encoding_aes_key() -> None:
    keys = {new_aes_key() for _ in range(5)}
    assert len(keys) == 5
    for key in keys:
        assert len(key) == 43 and key.isalnum()
        assert len(base64.b64decode(key + "=")) == 32
        WeChatCrypto(TOKEN, key, CORP)  # wechatpy accepts it


def test_app_url_check_verifies_with_wechatpy() -> None:
    params = app_url_check(TOKEN, AES_KEY, CORP, "echo-123", timestamp=1700000000, nonce="42")
    assert set(params) == {"msg_signature", "timestamp", "nonce", "echostr"}
    assert (params["timestamp"], params["nonce"]) == ("1700000000", "42")
    expected = hashlib.sha1(
        "".join(sorted([TOKEN, "1700000000", "42", params["echostr"]])).encode()
    ).hexdigest()
    assert params["msg_signature"] == expected
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP)
    plain = crypto.check_signature(
        params["msg_signature"], params["timestamp"], params["nonce"], params["echostr"]
    )
    assert plain == "echo-123"
    assert "%2B" in urlencode({"e": "+"})  # reminder: the echostr must be URL-encoded


def test_app_text_message_decrypts_and_parses_with_wechatpy() -> None:
    content = "进度 <50%> & ]]> 完成"
    params, body = app_text_message(
        TOKEN, AES_KEY, CORP, content, from_user="lisi", msg_id="4242", nonce="n1"
    )
    outer = ElementTree.fromstring(body)
    assert outer.findtext("ToUserName") == CORP
    assert outer.findtext("AgentID") == str(AGENT)
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP)
    inner = crypto.decrypt_message(body, params["msg_signature"], params["timestamp"], "n1")
    message = parse_message(inner)
    assert message.type == "text"
    assert message.content == content
    assert (message.source, message.target) == ("lisi", CORP)
    assert message.id == 4242
    assert message.agent == AGENT
    assert message.time == int(params["timestamp"])


def test_app_text_message_rejects_wrong_token_signature_or_corp() -> None:
    params, body = app_text_message(TOKEN, AES_KEY, CORP, "hi")
    sig, ts, nonce = params["msg_signature"], params["timestamp"], params["nonce"]
    with pytest.raises(InvalidSignatureException):
        WeChatCrypto("other-token", AES_KEY, CORP).decrypt_message(body, sig, ts, nonce)
    with pytest.raises(InvalidSignatureException):
        WeChatCrypto(TOKEN, AES_KEY, CORP).decrypt_message(body, sig, ts, nonce + "0")
    with pytest.raises(InvalidCorpIdException):
        WeChatCrypto(TOKEN, AES_KEY, "wwother").decrypt_message(body, sig, ts, nonce)


def test_callback_plaintext_layout_is_wecoms() -> None:
    """random(16) + big-endian length + message + receive id, PKCS#7 to 32, IV = key[:16]."""
    params, body = app_text_message(TOKEN, AES_KEY, CORP, "hi")
    encrypt = ElementTree.fromstring(body).findtext("Encrypt")
    assert params["msg_signature"] == msg_signature(
        TOKEN, params["timestamp"], params["nonce"], encrypt
    )
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
    pad = plain[-1]
    assert 1 <= pad <= 32 and plain[-pad:] == bytes([pad]) * pad and len(plain) % 32 == 0
    plain = plain[:-pad]
    (length,) = struct.unpack(">I", plain[16:20])  # network byte order
    message, receive_id = plain[20 : 20 + length], plain[20 + length :]
    assert message.startswith(b"<xml><ToUserName><![CDATA[wwcorp]]></ToUserName>")
    assert receive_id == CORP.encode()


def test_aibot_text_decrypts_with_empty_receive_id() -> None:
    params, body = aibot_text(
        TOKEN,
        AES_KEY,
        "@bot 进度",
        msgid="m9",
        response_url="http://127.0.0.1:1/cgi-bin/aibot/response?response_code=r",
    )
    envelope = json.loads(body)
    assert set(envelope) == {"encrypt"}
    sig, ts, nonce = params["msg_signature"], params["timestamp"], params["nonce"]
    plain = WeChatCrypto(TOKEN, AES_KEY, "").decrypt_message(
        {"Encrypt": envelope["encrypt"]}, sig, ts, nonce
    )
    assert json.loads(plain) == {
        "msgid": "m9",
        "aibotid": "bot1",
        "chatid": "wrk-chat-1",
        "chattype": "group",
        "from": {"userid": "zhangsan"},
        "response_url": "http://127.0.0.1:1/cgi-bin/aibot/response?response_code=r",
        "msgtype": "text",
        "text": {"content": "@bot 进度"},
    }
    with pytest.raises(InvalidCorpIdException):
        WeChatCrypto(TOKEN, AES_KEY, CORP).decrypt_message(
            {"Encrypt": envelope["encrypt"]}, sig, ts, nonce
        )


def test_aibot_single_chat_has_no_chatid() -> None:
    params, body = aibot_text(TOKEN, AES_KEY, "hi", chattype="single")
    plain = WeChatCrypto(TOKEN, AES_KEY, "").check_signature(
        params["msg_signature"], params["timestamp"], params["nonce"], json.loads(body)["encrypt"]
    )
    payload = json.loads(plain)
    assert payload["chattype"] == "single" and "chatid" not in payload


def test_aibot_url_check_uses_empty_receive_id() -> None:
    params = aibot_url_check(TOKEN, AES_KEY, "echo-9")
    sig, ts, nonce = params["msg_signature"], params["timestamp"], params["nonce"]
    echostr = params["echostr"]
    assert WeChatCrypto(TOKEN, AES_KEY, "").check_signature(sig, ts, nonce, echostr) == "echo-9"
    with pytest.raises(InvalidCorpIdException):
        WeChatCrypto(TOKEN, AES_KEY, CORP).check_signature(sig, ts, nonce, echostr)


def test_decrypt_reply_xml_reads_a_wechatpy_passive_reply() -> None:
    params, body = app_text_message(TOKEN, AES_KEY, CORP, "ping")
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP)
    message = parse_message(
        crypto.decrypt_message(body, params["msg_signature"], params["timestamp"], params["nonce"])
    )
    reply = crypto.encrypt_message(create_reply("pong 完成", message), "n2", "1700000001")
    inner = decrypt_reply_xml(TOKEN, AES_KEY, CORP, reply.encode())
    parsed = ElementTree.fromstring(inner)
    assert parsed.findtext("Content") == "pong 完成"
    assert (parsed.findtext("ToUserName"), parsed.findtext("FromUserName")) == ("zhangsan", CORP)
    with pytest.raises(InvalidSignatureException):
        decrypt_reply_xml("other-token", AES_KEY, CORP, reply)
    with pytest.raises(ValueError, match="not an encrypted reply"):
        decrypt_reply_xml(TOKEN, AES_KEY, CORP, b"<xml><Content>plain</Content></xml>")


def test_decrypt_aibot_reply_reads_a_json_passive_reply() -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, "")
    payload = {"msgtype": "stream", "stream": {"id": "s1", "finish": True, "content": "好"}}
    xml = crypto.encrypt_message(json.dumps(payload, ensure_ascii=False), "n3", "1700000002")
    root = ElementTree.fromstring(xml)
    reply = {
        "encrypt": root.findtext("Encrypt"),
        "msgsignature": root.findtext("MsgSignature"),
        "timestamp": 1700000002,
        "nonce": "n3",
    }
    assert decrypt_aibot_reply(TOKEN, AES_KEY, json.dumps(reply)) == payload
    reply["nonce"] = "n4"
    with pytest.raises(InvalidSignatureException):
        decrypt_aibot_reply(TOKEN, AES_KEY, json.dumps(reply))


# --- images: a group robot's, and the app's media upload ------------------------------------------

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def robot_image(fake: FakeWeCom, data: bytes, **image: str) -> dict:
    body = {"base64": base64.b64encode(data).decode(), "md5": hashlib.md5(data).hexdigest()}
    body.update(image)
    _, _, raw = post(
        fake.webhook_url("k1"), json.dumps({"msgtype": "image", "image": body}).encode()
    )
    return answer(raw)


def test_a_robot_image_needs_base64_and_md5_of_the_raw_png_within_2_mb(fake: FakeWeCom) -> None:
    assert robot_image(fake, PNG_BYTES)["errcode"] == 0
    assert fake.robot_images("k1") == [PNG_BYTES]
    b64_md5 = hashlib.md5(b"not the image").hexdigest()
    assert robot_image(fake, PNG_BYTES, md5=b64_md5)["errcode"] == 47001
    assert robot_image(fake, PNG_BYTES, base64="%%%not base64")["errcode"] == 47001
    assert robot_image(fake, b"GIF89a" + bytes(100))["errcode"] == 40005
    big = PNG_BYTES + bytes(2 * 1024 * 1024)
    assert robot_image(fake, big)["errcode"] == 40009
    assert fake.robot_images("k1") == [PNG_BYTES]  # only the one WeCom took


def test_media_upload_takes_a_multipart_image_and_message_send_its_media_id(
    fake: FakeWeCom, client: LocalWeChatClient
) -> None:
    from wechatpy.exceptions import WeChatClientException

    uploaded = client.media.upload("image", ("c.png", PNG_BYTES, "image/png"))
    client.message.send_image(1000002, "zhangsan", uploaded["media_id"])
    assert fake.app_images() == [("zhangsan", PNG_BYTES)]
    with pytest.raises(WeChatClientException) as err:
        client.message.send_image(1000002, "zhangsan", "MEDIA-unknown")
    assert err.value.errcode == 40007
    with pytest.raises(WeChatClientException) as err:
        client.media.upload("image", ("c.gif", b"GIF89a" + bytes(100), "image/gif"))
    assert err.value.errcode == 40005
    with pytest.raises(WeChatClientException) as err:
        client.media.upload("sticker", ("c.png", PNG_BYTES, "image/png"))
    assert err.value.errcode == 40004


def test_an_aibot_response_url_takes_no_image(fake: FakeWeCom) -> None:
    body = {"msgtype": "image", "image": {"base64": "eA==", "md5": "x"}}
    _, _, raw = post(fake.response_url("r"), json.dumps(body).encode())
    assert answer(raw)["errcode"] == 40008
