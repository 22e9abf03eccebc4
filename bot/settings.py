"""All runtime settings in one typed object, read from the environment and `.env`.

Build it with `get_settings()` and pass it on; nothing creates a Settings at import time.
Tokens, secrets and keys are `SecretStr`: shown as ********** in a repr, a log or an error; a
door reveals one (`revealed`) only where it hands it to an SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers import CoreConfig
from handlers.channel_settings import valid_zone
from handlers.context import host_zone
from handlers.rules import Thresholds


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PACELINE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = Field(
        default="sqlite:///paceline.db",
        validation_alias=AliasChoices("DATABASE_URL", "PACELINE_DATABASE_URL"),
    )
    # New channels' zone where the platform gives none; unset, the host's (never UTC only
    # because nothing was said). WeCom's channels take `wecom_timezone`.
    timezone: str = Field(default_factory=host_zone)
    lang: Literal["en", "zh"] = "en"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    yellow_due_days: int = Field(default=2, ge=0, le=30)
    yellow_min_progress: int = Field(default=50, ge=0, le=100)
    yellow_behind_points: int = Field(default=25, ge=0, le=100)
    short_task_days: int = Field(default=2, ge=0, le=30)
    list_limit: int = Field(default=50, ge=5, le=500)
    # The scheduler posts each channel's reminder and digest from inside `paceline serve`; a bot
    # that was down posts on start-up what it missed within the grace window.
    scheduler: bool = True
    grace_hours: float = Field(default=3, ge=0, le=48)
    post_workers: int = Field(default=32, ge=1, le=256)  # channels posted side by side
    # At SIGTERM or Ctrl-C, `paceline serve` stops taking requests and gives the work already
    # acknowledged this long to finish; what is left waits in the inbox for the next start.
    drain_seconds: float = Field(default=20, ge=0, le=600)
    # A request acknowledged by a process that then died is taken up by another (or the next
    # start) once this has passed since its ack: far longer than any command takes.
    inbox_lease_seconds: float = Field(default=120, ge=5, le=3600)
    # Where the console writes the charts it shows (PNG files, their paths printed under the
    # answer); unset, a `pictures` folder beside an SQLite database file, else in the current
    # directory.
    pictures_dir: str | None = None
    # Where `paceline serve` listens: HOST and PORT, as platforms that run it set them.
    # The address people reach `paceline serve` at (https://bot.example.com): the base of the
    # dashboard's links (`dashboard` / 仪表盘), which open their pages for this many days.
    public_url: str | None = None
    dashboard_days: int = Field(default=7, ge=1, le=90)
    host: str = Field(default="0.0.0.0", validation_alias=AliasChoices("HOST", "PACELINE_HOST"))
    port: int = Field(
        default=3000, ge=0, le=65535, validation_alias=AliasChoices("PORT", "PACELINE_PORT")
    )

    # Slack: the bot token and signing secret turn the Slack door on; an app-level token
    # switches it to Socket Mode (no public URL needed).
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(
        default=None, validation_alias="SLACK_SIGNING_SECRET"
    )
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    slack_command: str = Field(default="/task", validation_alias="SLACK_COMMAND")
    slack_profile_ttl_seconds: int = Field(default=3600, ge=0)
    slack_workers: int = Field(default=4, ge=1, le=64)

    # WeCom (企业微信): the self-built app (自建应用) and the intelligent robot (智能机器人).
    wecom_corp_id: str | None = Field(default=None, validation_alias="WECOM_CORP_ID")
    wecom_agent_id: int | None = Field(default=None, validation_alias="WECOM_AGENT_ID")
    wecom_secret: SecretStr | None = Field(default=None, validation_alias="WECOM_SECRET")
    wecom_token: SecretStr | None = Field(default=None, validation_alias="WECOM_TOKEN")
    wecom_encoding_aes_key: SecretStr | None = Field(
        default=None, validation_alias="WECOM_ENCODING_AES_KEY"
    )
    wecom_aibot_token: SecretStr | None = Field(default=None, validation_alias="WECOM_AIBOT_TOKEN")
    wecom_aibot_encoding_aes_key: SecretStr | None = Field(
        default=None, validation_alias="WECOM_AIBOT_ENCODING_AES_KEY"
    )
    wecom_api_url: str = Field(
        default="https://qyapi.weixin.qq.com/cgi-bin/", validation_alias="WECOM_API_URL"
    )
    wecom_admins: str = Field(default="", validation_alias="WECOM_ADMINS")
    wecom_lang: Literal["en", "zh"] = "zh"
    wecom_timezone: str = "Asia/Shanghai"
    wecom_directory_ttl_seconds: int = Field(default=600, ge=0)

    @property
    def wecom_app_enabled(self) -> bool:
        return bool(
            self.wecom_corp_id
            and revealed(self.wecom_token)
            and revealed(self.wecom_encoding_aes_key)
        )

    @property
    def wecom_aibot_enabled(self) -> bool:
        token, key = self.wecom_aibot_token, self.wecom_aibot_encoding_aes_key
        return bool(revealed(token) and revealed(key))

    @property
    def wecom_admin_ids(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.wecom_admins.split(",") if a.strip())

    @property
    def slack_enabled(self) -> bool:
        return bool(
            revealed(self.slack_bot_token)
            and (revealed(self.slack_signing_secret) or revealed(self.slack_app_token))
        )

    @field_validator("timezone", "wecom_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone = valid_zone(value)
        if zone is None:
            raise ValueError(f"unknown time zone {value!r}; use a name like Asia/Shanghai or UTC")
        return zone

    @field_validator("slack_api_url", "wecom_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("public_url", mode="before")
    @classmethod
    def _web_address(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/") or None
            if value is not None and not value.lower().startswith(("https://", "http://")):
                raise ValueError(
                    f"{value!r} is no web address; use one like https://bot.example.com"
                )
        return value

    @field_validator("slack_command")
    @classmethod
    def _slash(cls, value: str) -> str:
        return value if value.startswith("/") else "/" + value

    @field_validator("lang", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    def secret_values(self) -> list[str]:
        """Every secret's value (and a password in DATABASE_URL): what no log line may show
        (bot/logs.py)."""
        values = [
            revealed(value)
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), SecretStr)
        ]
        password = _url_password(self.database_url)
        return [v for v in [*values, password] if v]

    def pictures_path(self) -> Path:
        """The folder the console writes chart PNGs to (PACELINE_PICTURES_DIR)."""
        if self.pictures_dir:
            return Path(self.pictures_dir).expanduser()
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(self.database_url)
        except (ArgumentError, ValueError):
            return Path.cwd() / "pictures"
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(url.database).expanduser().resolve().parent / "pictures"
        return Path.cwd() / "pictures"

    def core(self, *, tz: str | None = None, lang: str | None = None) -> CoreConfig:
        """The core's settings; a door may give its new channels another zone and language."""
        return CoreConfig(
            default_tz=tz or self.timezone,
            default_lang=lang or self.lang,
            thresholds=Thresholds(
                due_soon_days=self.yellow_due_days,
                due_soon_min_progress=self.yellow_min_progress,
                behind_points=self.yellow_behind_points,
                short_task_days=self.short_task_days,
            ),
            list_limit=self.list_limit,
            public_url=self.public_url,
            dashboard_days=self.dashboard_days,
        )


def _url_password(url: str) -> str | None:
    """The password in a database URL, if it has one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password
    except (ArgumentError, ValueError):
        return None


def revealed(secret: SecretStr | None) -> str | None:
    """A secret's value, for the SDK a door hands it to; None when it is not set."""
    return secret.get_secret_value() if secret is not None else None


def get_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
