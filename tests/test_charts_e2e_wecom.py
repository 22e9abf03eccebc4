# ruff: noqa: F811 (the fixtures of tests/test_wecom.py are parameters)
"""The real KPI chart through WeCom, end to end: a plan and a number reported in a group by
encrypted robot callbacks, then `指标图 +双11大促`: the group robot posts the chart as an image
message whose base64 and md5 are the PNG's, within 2 MB, a real chart (not blank)."""

from __future__ import annotations

import base64
import hashlib

from tests.test_charts_e2e import inked, pixels
from tests.test_pictures_wecom import every_payload_within_limits, set_webhook  # noqa: F401
from tests.test_wecom import (  # noqa: F401 (fixtures)
    clock,
    errors,
    fake,
    overrides,
    settings,
    wecom,
)


def test_kpi_chart_in_a_wecom_group_comes_as_the_robots_image(wecom, fake):
    set_webhook(wecom, fake)
    assert "已建立计划" in wecom.say("项目 新建 双11大促 2026-11-01..2026-12-10", user="wangfang")
    wecom.say("指标 +双11大促 GMV 目标:500万 渠道:电商", user="wangfang")
    wecom.say("指标 GMV 10万 渠道:电商", user="wangfang")
    said = wecom.say("指标图 +双11大促")
    assert "图表见下方" in said
    [image] = fake.robot_images("k1")
    [sent] = [c for c in fake.calls_to("webhook/send") if c.body["msgtype"] == "image"]
    assert hashlib.md5(image).hexdigest() == sent.body["image"]["md5"]
    assert base64.b64decode(sent.body["image"]["base64"]) == image
    assert len(image) <= 2 * 1024 * 1024
    drawn = pixels(image)
    assert inked(drawn) > 0.02


def test_a_gantt_with_another_groups_tasks_goes_by_the_app_not_the_robot(wecom, fake):
    set_webhook(wecom, fake)
    wecom.say("项目 新建 双11大促 2026-11-01..2026-12-10", user="wangfang")
    wecom.say("新建 写文案 +双11大促 截止:2026-12-05", user="wangfang")
    wecom.say("新建 法务审核 +双11大促 截止:2026-12-06", user="wangfang", chatid="wrk-chat-2")
    said = wecom.say("甘特图 +双11大促", user="wangfang")  # an admin: both groups' tasks
    assert fake.robot_images("k1") == []  # never into the group
    [image] = [c for c in fake.calls_to("message/send") if c.body.get("msgtype") == "image"]
    assert image.body["touser"] == "wangfang"
    assert "甘特图" in said
    said = wecom.say("甘特图 +双11大促", user="lisi")  # a member: this group's tasks only
    [shared] = fake.robot_images("k1")
    assert pixels(shared).shape[1] >= 700
