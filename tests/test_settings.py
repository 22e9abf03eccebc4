"""Settings come from the environment and .env through one typed factory."""

from __future__ import annotations

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
    s = get_settings()
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert (s.timezone, s.lang, s.log_level) == ("Asia/Shanghai", "zh", "DEBUG")
    core = s.core()
    assert (core.default_tz, core.default_lang, core.thresholds.due_soon_days) == (
        "Asia/Shanghai",
        "zh",
        3,
    )


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
