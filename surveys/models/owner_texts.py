"""OwnerText: an owner's free text kept without opening a complaint (yet)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Text
from sqlmodel import Field, SQLModel

from surveys.core import clock
from surveys.models._columns import str_field, ts_field


class OwnerTextStatus(StrEnum):
    AWAITING = "awaiting"  # the owner was asked "register as a complaint?"
    OPENED = "opened"  # they said yes: `complaint_id` is the complaint opened
    JOINED = "joined"  # they said yes, and it joined their complaint in hand `complaint_id`
    DECLINED = "declined"  # they said no: nothing counts against anyone
    KEPT = "kept"  # over the owner's daily limit: kept and shown to managers, no points
    # Tapped after `complaints.owner_question_hours`: nothing registered, the owner was given
    # their words back (a question never tapped stays `awaiting`, lapsed by its age alone).
    EXPIRED = "expired"
    # The account holds several homes and the context names none: the owner was asked "which
    # home?" (`owner_id` holds the words meanwhile; the tap moves them to the home chosen).
    # A free text: joins that home's complaint in hand, else opens (after a "register" tap,
    # `decided_at` is that tap: the question's lifetime runs from it).
    HOME_TEXT = "home_text"
    HOME_COMPLAIN = "home_complain"  # a /complain: opens a complaint for that home
    # Tapped when the account that wrote the words no longer held any home (every one moved
    # to another account, or was unbound): nothing registered, the words given back.
    HOME_LEFT = "home_left"


class OwnerText(SQLModel, table=True):
    """A text from an owner outside a survey that is not (yet) a complaint.

    Neutral texts wait here for the owner's confirmation; texts over the daily limit of new
    complaints are kept here for managers (surveys.complaints.owner_text).
    """

    __tablename__ = "owner_text"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="owner.id", index=True)
    # The Telegram account that wrote the words. `owner_id` is a home, and a home can move to
    # another account (an invite) while its words wait: only this account may decide them.
    # None only for a text of a home no account held when revision 0024 filled it in: such
    # a text is nobody's to decide.
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger(), index=True)
    text: str = Field(sa_type=Text())
    classification: dict[str, Any] = Field(default_factory=dict, sa_type=JSON())
    status: str = str_field(16, default=OwnerTextStatus.AWAITING)
    created_at: datetime = ts_field(default_factory=clock.now)
    decided_at: datetime | None = ts_field(default=None)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    # Kept: the kept text whose alert to managers covers this one — its own id when it was
    # alerted at once and opened a 24-hour window, else that window's first text (told to
    # managers in the window's one summary). No foreign key: both are the same owner's and
    # `/forget` deletes them together.
    alert_id: int | None = None
