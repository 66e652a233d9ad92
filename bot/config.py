"""Process configuration: `ownervoice.toml` plus `OWNERVOICE_*` environment variables.

Environment variables win over the file; nested keys use a double underscore, e.g.
`OWNERVOICE_TELEGRAM__TOKEN`, `OWNERVOICE_DATABASE__URL`.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from scoring.categories import CategoryConfig
from scoring.points.config import PointsConfig
from surveys.core.config import (
    ComplaintConfig,
    DispatchConfig,
    RevisitConfig,
    SurveyConfig,
    WebConfig,
)
from surveys.core.courtesy import CourtesyConfig, check_timezone
from surveys.core.db import DEFAULT_URL

CONFIG_ENV = "OWNERVOICE_CONFIG"
DEFAULT_CONFIG_FILE = "ownervoice.toml"
# Read when nothing is named and the working folder has no ownervoice.toml: where the
# container image and the systemd unit keep it. Optional, as the working folder's file is.
SYSTEM_CONFIG_FILE = Path("/etc/ownervoice/ownervoice.toml")


# What @BotFather gives: the bot's id, a colon, the secret. Anything else fails every call.
_BOT_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")


def is_bot_token(token: str) -> bool:
    """Tell whether a text is shaped like a bot token (123456789:AAH…)."""
    return _BOT_TOKEN.fullmatch(token) is not None


def _stripped(value: object) -> object:
    """A secret without the spaces or line break its file left around it (Docker secrets,
    EnvironmentFile): the Bot API and the intake API compare it byte for byte."""
    return value.strip() if isinstance(value, str) else value


# A secret read from settings, stripped as `_stripped` says.
Secret = Annotated[SecretStr, BeforeValidator(_stripped)]


class TelegramConfig(BaseModel):
    token: Secret = SecretStr("")
    api_base: str = "https://api.telegram.org"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # At start-up the Bot API is asked who the bot is; while it cannot be reached the bot
    # tries again this many times in all, waiting 2, 4, 8 ... (at most 60) seconds between.
    startup_attempts: int = Field(6, ge=1, le=100)
    startup_backoff_seconds: float = Field(2.0, gt=0, le=60)

    @field_validator("api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        # A typo here fails every Bot API call with the URL, token included, in the error.
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL, e.g. https://api.telegram.org")
        return value.strip()


class DatabaseConfig(BaseModel):
    url: str = DEFAULT_URL


class ApiConfig(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    token: Secret = SecretStr("")  # bearer token for the intake API
    max_body_bytes: int = Field(1_000_000, ge=1024)


class ScheduleConfig(BaseModel):
    timezone: str = "Asia/Shanghai"
    weekly_summary_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    weekly_summary_time: str = Field("09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    # Every morning the 回访 staff get the list of surveys waiting for a phone or visit 回访.
    revisit_list_time: str = Field("08:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_timezone(value)  # raises a ValueError naming the zone


class InviteConfig(BaseModel):
    secret: Secret = SecretStr("")  # signs invite deep links, callback data and web links
    ttl_hours: float = Field(72, gt=0)


class ClassifierConfig(BaseModel):
    # Where `ownervoice classify learn` writes the model refreshed from corrections, and
    # where the bot loads it from (never inside the installed package).
    data_dir: str = "classifier-data"
    # Refresh it every night from the stored corrections (off by default).
    learn_nightly: bool = False
    learn_hour: int = Field(3, ge=0, le=23)  # company time (schedule.timezone)
    # A complaint nobody corrected within this many days counts as confirmed.
    confirm_after_days: float = Field(7, gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="OWNERVOICE_", env_nested_delimiter="__", extra="forbid"
    )

    runtime: Literal["aiogram", "ptb"] = "aiogram"
    default_language: Literal["zh_CN", "en"] = "zh_CN"
    log_level: str = "INFO"
    # DEBUG logs may show SQL parameters and rows and Bot API payloads (owners' words).
    log_personal_data: bool = False
    telegram: TelegramConfig = TelegramConfig()
    database: DatabaseConfig = DatabaseConfig()
    api: ApiConfig = ApiConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    invites: InviteConfig = InviteConfig()
    survey: SurveyConfig = SurveyConfig()
    dispatch: DispatchConfig = DispatchConfig()
    complaints: ComplaintConfig = ComplaintConfig()
    points: PointsConfig = PointsConfig()
    classifier: ClassifierConfig = ClassifierConfig()
    web: WebConfig = WebConfig()
    revisit: RevisitConfig = RevisitConfig()
    categories: CategoryConfig = CategoryConfig()
    courtesy: CourtesyConfig = CourtesyConfig()

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if not isinstance(logging.getLevelName(level), int):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_path()
        if path.is_dir():  # pydantic-settings would read it as no file: defaults
            raise ConfigIsFolder(path)
        if config_named() and not path.exists():  # a typo must not start a bot on defaults
            raise ConfigMissing(path)
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=path),
        )


class ConfigIsFolder(Exception):
    """The configuration file's path names a folder (bot.cli.errors says so in one line)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is a folder, not a configuration file")
        self.path = path


class ConfigMissing(Exception):
    """OWNERVOICE_CONFIG names a file that does not exist (bot.cli.errors says so)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} does not exist")
        self.path = path


def config_named() -> bool:
    """Tell whether OWNERVOICE_CONFIG (or --config, which sets it) names the file."""
    return bool(os.environ.get(CONFIG_ENV))


def config_path() -> Path:
    """Return the configuration file settings are read from (unless named, it may not exist)."""
    if config_named():
        return Path(os.environ[CONFIG_ENV])
    local = Path(DEFAULT_CONFIG_FILE)
    if not local.exists() and SYSTEM_CONFIG_FILE.exists():
        return SYSTEM_CONFIG_FILE
    return local


def load_settings(config_file: str | Path | None = None, **overrides: object) -> Settings:
    """Load settings from the config file and environment; raise ValidationError if invalid."""
    if config_file is None:
        return Settings(**overrides)  # type: ignore[arg-type]
    previous = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = str(config_file)
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    finally:
        if previous is None:
            os.environ.pop(CONFIG_ENV, None)
        else:
            os.environ[CONFIG_ENV] = previous
