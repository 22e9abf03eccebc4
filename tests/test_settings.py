"""Settings come from the environment and .env through one typed factory."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from bot.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (
        "DATABASE_URL",
        "PACELINE_TIMEZONE",
        "PACELINE_LANG",
        "PACELINE_LOG_LEVEL",
        "PACELINE_DATABASE_URL",
        "PACELINE_YELLOW_DUE_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults():
    s = get_settings()
    assert s.database_url == "sqlite:///paceline.db"
    assert (s.timezone, s.lang, s.log_level) == ("UTC", "en", "INFO")


def test_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("PACELINE_TIMEZONE", "asia/shanghai")
    monkeypatch.setenv("PACELINE_LANG", "ZH")
    monkeypatch.setenv("PACELINE_LOG_LEVEL", "debug")
    monkeypatch.setenv("PACELINE_YELLOW_DUE_DAYS", "3")
    monkeypatch.setenv("PACELINE_SHORT_TASK_DAYS", "1")
    s = get_settings()
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert (s.timezone, s.lang, s.log_level) == ("Asia/Shanghai", "zh", "DEBUG")
    core = s.core()
    assert (core.default_tz, core.default_lang, core.thresholds.due_soon_days) == (
        "Asia/Shanghai",
        "zh",
        3,
    )
    assert core.thresholds.short_task_days == 1


def test_post_workers(monkeypatch):
    assert get_settings().post_workers == 32
    monkeypatch.setenv("PACELINE_POST_WORKERS", "64")
    assert get_settings().post_workers == 64


def test_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("PACELINE_LANG=zh\nPACELINE_TIMEZONE=Europe/London\n")
    s = get_settings()
    assert (s.lang, s.timezone) == ("zh", "Europe/London")


@pytest.mark.parametrize(
    "name,value",
    [
        ("PACELINE_TIMEZONE", "Mars/Olympus"),
        ("PACELINE_LANG", "fr"),
        ("PACELINE_YELLOW_DUE_DAYS", "-1"),
        ("PACELINE_POST_WORKERS", "0"),
    ],
)
def test_bad_values_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        get_settings()


def test_nothing_is_built_at_import_time():
    import bot.settings as module

    assert not any(isinstance(v, Settings) for v in vars(module).values())


SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-never-shown-bot-token",
    "SLACK_SIGNING_SECRET": "never-shown-signing-secret",
    "SLACK_APP_TOKEN": "xapp-never-shown-app-token",
    "WECOM_SECRET": "never-shown-app-secret",
    "WECOM_TOKEN": "nevershownapptoken",
    "WECOM_ENCODING_AES_KEY": "NeverShownAppKey" + "a" * 27,
    "WECOM_AIBOT_TOKEN": "nevershownbottoken",
    "WECOM_AIBOT_ENCODING_AES_KEY": "NeverShownBotKey" + "b" * 27,
}


def test_secrets_are_never_shown(monkeypatch, caplog, tmp_path):
    """Every token, secret and key is a SecretStr: a repr, a dump, an error about another
    setting and the log of building every door show none of them; the doors still get them."""
    from bot.door import Request
    from bot.doors import configured_doors, posters
    from bot.settings import revealed
    from bot.web import route_table
    from storage.db import Database

    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WECOM_CORP_ID", "wwcorp")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("WECOM_API_URL", "http://127.0.0.1:9/cgi-bin/")
    settings = get_settings(database_url=f"sqlite:///{tmp_path / 'secrets.db'}")
    assert settings.slack_enabled and settings.wecom_app_enabled and settings.wecom_aibot_enabled
    assert revealed(settings.slack_signing_secret) == SECRETS["SLACK_SIGNING_SECRET"]

    monkeypatch.setenv("PACELINE_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError) as refused:
        get_settings()
    with caplog.at_level(logging.DEBUG):
        db = Database.open(settings.database_url)
        try:
            doors = configured_doors(settings, db)
            assert sorted(door.platform for door in doors) == ["slack", "wecom"]
            routes = route_table(doors)
            posters(doors)
            answer = routes["/wecom/aibot"]["GET"](Request("GET", {"echostr": "x"}))
            assert answer.status == 400  # the door got its keys: it checks, and refuses
        finally:
            db.dispose()
    shown = "\n".join(
        [
            repr(settings),
            str(settings),
            str(settings.model_dump()),
            settings.model_dump_json(),
            str(refused.value),
            caplog.text,
        ]
    )
    assert "**********" in shown
    for name, value in SECRETS.items():
        assert value not in shown, name
