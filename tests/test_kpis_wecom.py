"""KPIs through WeCom (issue 12): in a group, a plan's KPI defined by an admin and a number
reported by a member through encrypted robot callbacks against the local fake WeCom; an API token
never goes into a group: it is sent to the admin through the app, or shown in a single chat."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from handlers.messages import t
from storage.models import KpiActual
from tests.conftest import count, member
from tests.test_wecom import (  # noqa: F401  (fixtures)
    clock,
    errors,
    every_payload_within_limits,
    fake,
    overrides,
    settings,
    wecom,
)


def test_a_kpi_defined_and_reported_in_a_group(wecom, db):  # noqa: F811
    assert "已建立计划" in wecom.say("项目 新建 双11大促 2026-11-01..2026-12-10", user="wangfang")
    said = wecom.say("指标 +双11大促 GMV 目标:500万 渠道:电商", user="wangfang")
    assert "已为 +双11大促 定义指标 GMV 电商" in said
    said = wecom.say("指标 GMV 50万 渠道:电商", user="lisi")  # a member reports
    assert "已记录 +双11大促 的 GMV 电商：50万" in said and "进度" in said
    with Session(db.engine) as s:
        [row] = s.exec(select(KpiActual)).all()
    assert row.member_id == member(db, "lisi", workspace="wwcorp").id
    refused = wecom.say("指标 +双11大促 GMV 目标:1 渠道:电商", user="lisi")
    assert t("zh", "plan_not_allowed", verb="指标") in refused


def test_an_api_token_never_goes_into_a_group(wecom, db, fake):  # noqa: F811
    said = wecom.say("设置 api-token", user="wangfang")
    assert "pl_" not in said and t("zh", "secret_sent_by_app") in said
    [sent] = fake.wait_for("message/send")
    assert sent.body["touser"] == "wangfang" and "pl_" in sent.body["markdown"]["content"]
    said = wecom.say("设置 api-token", user="wangfang", chattype="single")
    assert "pl_" in said  # a single chat is the admin's own
    assert count(db, "api_token") == 2


@pytest.mark.parametrize("overrides", [{"wecom_secret": None}], ids=["no app"])
def test_without_the_app_a_group_is_told_to_ask_in_a_single_chat(wecom, fake):  # noqa: F811
    said = wecom.say("设置 api-token", user="wangfang")
    assert "pl_" not in said and t("zh", "secret_not_in_group") in said
    assert fake.calls_to("message/send") == []
