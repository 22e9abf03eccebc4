"""The WeCom door end to end: callbacks built with the real crypto, sent over HTTP to
`paceline serve` on port 0; the real wechatpy client and the robot webhook talk to a local fake
WeCom API that records every call."""

from __future__ import annotations

import threading
from urllib.parse import urlencode

import pytest

from bot.settings import get_settings
from bot.web import Doors, make_server
from tests.conftest import count, snapshot
from tests.fakes import wecom as fw

CORP, SECRET, AGENT = "wwcorp", "app-secret", 1000002
APP_TOKEN, AIBOT_TOKEN = "apptoken", "bottoken"
APP_KEY, AIBOT_KEY = fw.new_aes_key(), fw.new_aes_key()


@pytest.fixture
def fake():
    with fw.FakeWeCom(corp_id=CORP, secret=SECRET) as server:
        server.add_user("zhangsan", "张三")
        server.add_user("lisi", "李四")
        server.add_user("wangfang", "王芳")
        yield server


@pytest.fixture
def settings(fake):
    return get_settings(
        wecom_corp_id=CORP,
        wecom_secret=SECRET,
        wecom_agent_id=AGENT,
        wecom_token=APP_TOKEN,
        wecom_encoding_aes_key=APP_KEY,
        wecom_aibot_token=AIBOT_TOKEN,
        wecom_aibot_encoding_aes_key=AIBOT_KEY,
        wecom_api_url=fake.base_url,
        wecom_admins="wangfang",
    )


@pytest.fixture
def base(settings, db):
    server = make_server(settings, db, host="127.0.0.1", port=0, doors=Doors(settings, db))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


def robot(base, content, **kw):
    query, body = fw.aibot_text(AIBOT_TOKEN, AIBOT_KEY, content, **kw)
    return fw.post(f"{base}/wecom/aibot?{urlencode(query)}", body)


def test_a_group_adds_a_task_in_chinese(base, fake, db):
    status, _, _ = robot(
        base, "@Paceline 新建 写预热文案 @李四 周五前 +双11", response_url=fake.response_url("r")
    )
    assert status == 200
    [answer] = fake.wait_for("aibot/response:r")
    content = answer.body["markdown"]["content"]
    assert "已新建 #1" in content and "<@lisi>" in content
    assert count(db, "task") == 1


def test_forged_callback_is_refused_and_changes_nothing(base, fake, db):
    before = snapshot(db)
    query, body = fw.aibot_text("wrong-token", AIBOT_KEY, "新建 x")
    status, _, _ = fw.post(f"{base}/wecom/aibot?{urlencode(query)}", body)
    assert status == 403
    assert snapshot(db) == before
