"""Courtesy to owners: the quiet hours a survey waits out, and the fatigue cap's settings.

A quiet-hours window is local wall-clock time in the community's time zone, written
"HH:MM-HH:MM"; a start later than the end is an overnight window (21:00-08:00, the default).
A survey or reminder due inside the window is deferred to its end, never dropped: the
survey's expiry counts from when it is sent (`surveys.core.expiry`), so waiting costs it
nothing. Datetimes in and out are naive UTC, like everything in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_QUIET_HOURS = "21:00-08:00"
OFF = ("", "off", "none")  # how a window is switched off (config or CLI)
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class BadQuietHours(ValueError):
    """A quiet-hours window or time zone that makes no sense; `reason` says which part."""

    def __init__(self, reason: Literal["format", "empty", "timezone"], value: str) -> None:
        super().__init__(f"quiet hours: {reason} {value!r}")
        self.reason, self.value = reason, value


def check_timezone(name: str) -> str:
    """Return the IANA time zone name if it is known, else raise BadQuietHours."""
    name = (name or "").strip()
    try:
        if not name or ("/" not in name and name != "UTC"):
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadQuietHours("timezone", name) from exc
    return name


def check_window(window: str) -> str:
    """Return the window normalised ("" when off), or raise BadQuietHours."""
    text = (window or "").strip().replace(" ", "").replace("–", "-")
    if text.lower() in OFF:
        return ""
    m = _WINDOW.match(text)
    if m is None:
        raise BadQuietHours("format", window)
    if m.group(1, 2) == m.group(3, 4):
        raise BadQuietHours("empty", window)  # start == end: all day or never, say which
    return text


@dataclass(frozen=True)
class QuietHours:
    """A daily window of local time in which owners get no survey messages."""

    start: time
    end: time
    timezone: str

    @classmethod
    def parse(cls, window: str, timezone: str) -> QuietHours | None:
        """Return the window ("21:00-08:00" in `timezone`), None when off; raise if bad."""
        text = check_window(window)
        zone = check_timezone(timezone)
        if not text:
            return None
        start, end = text.split("-")
        return cls(time.fromisoformat(start), time.fromisoformat(end), zone)

    @property
    def text(self) -> str:
        """Return the window as written ("21:00-08:00")."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def _local(self, at: datetime) -> datetime:
        return at.replace(tzinfo=UTC).astimezone(ZoneInfo(self.timezone))

    def contains(self, at: datetime) -> bool:
        """Tell whether the naive-UTC instant `at` falls inside the window."""
        now = self._local(at).time()
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end  # overnight

    def release(self, at: datetime) -> datetime:
        """Return when a message due at `at` may go: `at` itself, or the window's end."""
        if not self.contains(at):
            return at
        local = self._local(at)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)  # evening part of an overnight window: ends tomorrow
        end = datetime.combine(day, self.end, tzinfo=ZoneInfo(self.timezone))
        return end.astimezone(UTC).replace(tzinfo=None)


def quiet_hours_for(*, window: str | None, timezone: str | None,
                    default_window: str) -> QuietHours | None:
    """Return a community's window: its own (`window`), else the company's default."""
    chosen = default_window if window is None else window
    return QuietHours.parse(chosen, timezone or DEFAULT_TIMEZONE)


class CourtesyConfig(BaseModel):
    """Company-wide courtesy rules; a community may set its own quiet hours and time zone."""

    # Local time of each community; "" (or "off") sends at any hour.
    quiet_hours: str = DEFAULT_QUIET_HOURS
    # At most one survey per owner in this many days; 0 turns the cap off.
    fatigue_days: float = Field(3, ge=0, le=60)
    # What happens to later orders in the window: "fold" them into one survey that names
    # them (sent when the window ends), or "skip" them (counted, never sent).
    fatigue: Literal["fold", "skip"] = "fold"

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str) -> str:
        try:
            return check_window(value)
        except BadQuietHours as exc:
            raise ValueError(f"quiet_hours must be HH:MM-HH:MM with start != end, or "
                             f"\"off\" (got {value!r})") from exc

    @classmethod
    def off(cls) -> CourtesyConfig:
        """Return rules that never defer, fold or skip (tests, tools)."""
        return cls(quiet_hours="", fatigue_days=0)
