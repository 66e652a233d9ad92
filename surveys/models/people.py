"""People tables: Community, Owner, Agent, Manager, and the invites that bind them to Telegram."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.core.courtesy import DEFAULT_TIMEZONE
from surveys.models._columns import str_field, ts_field


class Role(StrEnum):
    OWNER = "owner"
    AGENT = "agent"
    MANAGER = "manager"
    REVISITOR = "revisitor"  # 回访 staff: record phone and visit 回访 of their communities


class TelegramBinding(SQLModel):
    """The columns binding a row to one Telegram account (owners, agents and managers).

    Not a table: each table class that inherits it gets its own copies of these columns.
    """

    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger(), unique=True, index=True
    )
    chat_id: int | None = Field(default=None, sa_type=BigInteger())
    language: str | None = str_field(16, default=None)  # "zh_CN" | "en"; None = from Telegram
    bound_at: datetime | None = ts_field(default=None)


class Community(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = str_field(64, unique=True, index=True)
    name: str = str_field(200)
    duty_agent_id: int | None = Field(default=None, foreign_key="agent.id")
    # IANA zone of the community's wall clock (quiet hours); checked on the way in.
    timezone: str = str_field(64, default=DEFAULT_TIMEZONE,
                              sa_column_kwargs={"server_default": DEFAULT_TIMEZONE})
    # Its own quiet hours ("21:00-08:00", "" for none); None follows courtesy.quiet_hours.
    quiet_hours: str | None = str_field(16, default=None)
    created_at: datetime = ts_field(default_factory=clock.now)


class Owner(TelegramBinding, table=True):
    # One row per person and community: the intake finds or creates it by phone, race-free
    # (surveys/people/directory.py). A forgotten owner's phone is NULL, which never clashes.
    # A unique index, not a constraint: SQLite adds it without rebuilding the table.
    __table_args__ = (
        Index("uq_owner_community_phone", "community_id", "phone", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # One Telegram account may hold several homes (several flats, the same phone in several
    # communities): not unique here, unlike the staff tables (surveys/people/binding.py).
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger(), index=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    name: str = str_field(200)
    phone: str | None = str_field(32, default=None, index=True)
    building: str | None = str_field(32, default=None)
    room: str | None = str_field(32, default=None)
    opted_out: bool = False
    # Telegram refused this chat for good (bot blocked, account deleted, chat not found):
    # messages are not tried again until the owner writes /start or the recheck comes.
    unreachable_since: datetime | None = ts_field(default=None)
    forgotten_at: datetime | None = ts_field(default=None)  # personal data erased on request
    # When an invite last moved this home from another account to the one holding it now:
    # what the earlier account did here (complaints in hand, the daily count) is not this
    # one's (surveys.complaints.owner_steps).
    moved_at: datetime | None = ts_field(default=None)
    created_at: datetime = ts_field(default_factory=clock.now)


class Agent(TelegramBinding, table=True):
    id: int | None = Field(default=None, primary_key=True)
    external_id: str = str_field(64, unique=True, index=True)  # the property system's staff id
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    name: str = str_field(200)
    phone: str | None = str_field(32, default=None)
    active: bool = True
    created_at: datetime = ts_field(default_factory=clock.now)


class Manager(TelegramBinding, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = str_field(200)
    phone: str | None = str_field(32, default=None)
    community_id: int | None = Field(default=None, foreign_key="community.id")  # None = all
    active: bool = True
    created_at: datetime = ts_field(default_factory=clock.now)


class Revisitor(TelegramBinding, table=True):
    """回访 staff: call or visit owners the bot could not reach and record their answers."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = str_field(200)
    phone: str | None = str_field(32, default=None)
    community_id: int | None = Field(default=None, foreign_key="community.id")  # None = all
    active: bool = True
    created_at: datetime = ts_field(default_factory=clock.now)


class Invite(SQLModel, table=True):
    """A one-time, expiring deep-link invite binding a Telegram account to a role."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = str_field(128, unique=True, index=True)  # never store the token itself
    role: str = str_field(16)  # Role
    subject_id: int  # owner/agent/manager id
    expires_at: datetime = ts_field()
    used_at: datetime | None = ts_field(default=None)
    used_by_telegram_user_id: int | None = Field(default=None, sa_type=BigInteger())
    created_at: datetime = ts_field(default_factory=clock.now)
