"""A closed work order as the intake takes it, with the rules its times must keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from surveys.core import clock
from surveys.core.text import Name, Title
from surveys.people.directory import OwnerIn

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/\-]*$"


# No work order was opened or closed outside these years; the bounds also keep every later
# date computation (time zones, deadlines, periods) clear of datetime's year 1 and 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return value
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError("year_out_of_range",
                                  "must be between the years {first} and {last}",
                                  {"first": FIRST_YEAR, "last": LAST_YEAR})
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


# An order without closed_at closes now; the sender's clock may run this much ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _closing(closed_at: datetime | None) -> datetime:
    return closed_at if closed_at is not None else clock.now() + CLOCK_SKEW


class WorkOrderIn(BaseModel):
    """A closed work order as the property system reports it (API, CSV or CLI)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    external_id: str = Field(min_length=1, max_length=128, pattern=_ID_PATTERN)
    community_code: Name = Field(min_length=1, max_length=64)
    owner: OwnerIn
    agent_external_id: Name = Field(min_length=1, max_length=64)
    agent_name: Name | None = Field(None, min_length=1, max_length=200)
    kind: Literal["repair", "complaint", "enquiry"] = "repair"
    urgency: Literal["normal", "urgent"] = "normal"
    title: Title = Field("", max_length=500)
    # A category's code or name (水电, elevator, ...); none: inferred from the title.
    category: Name | None = Field(None, max_length=64)
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    # The first action on the order (response time); checked against the two times above,
    # so it is declared after them.
    first_action_at: datetime | None = None

    @field_validator("opened_at", "closed_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return _naive_utc(value)

    @field_validator("first_action_at")
    @classmethod
    def _first_action(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        value = _naive_utc(value)
        opened, closed = info.data.get("opened_at"), _closing(info.data.get("closed_at"))
        if value is not None and opened is not None and value < opened:
            raise PydanticCustomError("first_action_before_opened",
                                      "first_action_at is before opened_at")
        if value is not None and closed is not None and value > closed:
            raise PydanticCustomError("first_action_after_closed",
                                      "first_action_at is after closed_at")
        return value

    @model_validator(mode="after")
    def _times(self) -> WorkOrderIn:
        if self.opened_at and _closing(self.closed_at) < self.opened_at:
            raise PydanticCustomError("closed_before_opened", "closed_at is before opened_at")
        return self
