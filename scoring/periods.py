"""Assessment periods: `2026-W47`, `2026-11`, `2026-11-01..2026-11-15`, `week`, `month`,
`last-week`, `last-month`, read in the company time zone and turned into naive-UTC bounds.

A period is [start, end): local midnight of its first day up to local midnight after its last
day, converted to naive UTC (the database convention, see `surveys.core.clock`). Date ranges are
inclusive of both dates a person types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"

PeriodKind = Literal["week", "month", "quarter", "range"]

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
# The same periods as Chinese staff write them: /report 上月, /agent 王晓梅 2026年11月.
_CHINESE_WORDS = {"本周": "week", "这周": "week", "上周": "last-week", "本月": "month",
                  "这个月": "month", "上月": "last-month", "上个月": "last-month"}
_CHINESE_FORMS = (
    (re.compile(r"^(\d{4})年第(\d{1,2})周$"), "{}-W{}"),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "{}-{}"),
    (re.compile(r"^(\d{4})年第([1-4])季度$"), "{}-Q{}"),
)

FORMS = ("2026-W47, 2026-11, 2026-Q4, 2026-11-01..2026-11-15, week, month, last-week, "
         "last-month")
# Typed years outside this span are refused: near year 1 or 9999 the bounds, the next
# period and a report's trend (earlier periods) fall off the calendar (OverflowError).
YEARS = range(1900, 9999)


@dataclass(frozen=True)
class Period:
    """An assessment period: local first/last day and the naive-UTC [start, end) bounds."""

    kind: PeriodKind
    first_day: date
    last_day: date  # inclusive
    timezone: str
    start: datetime  # naive UTC, inclusive
    end: datetime  # naive UTC, exclusive

    @property
    def label(self) -> str:
        """Return the canonical text of the period (parses back to the same period)."""
        if self.kind == "week":
            year, week, _ = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.first_day.year}-{self.first_day.month:02d}"
        if self.kind == "quarter":
            return f"{self.first_day.year}-Q{(self.first_day.month - 1) // 3 + 1}"
        return f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"

    def next(self) -> Period:
        """Return the period just after a month or a quarter (others: the same length)."""
        day = self.last_day + timedelta(days=1)
        if self.kind == "month":
            return month_period(day, self.timezone)
        if self.kind == "quarter":
            return quarter_period(day, self.timezone)
        if self.kind == "week":
            return week_period(day, self.timezone)
        return range_period(day, day + (self.last_day - self.first_day), self.timezone)

    def previous(self) -> Period:
        """Return the period just before: last week, last month, or the same-length range."""
        if self.kind == "week":
            return week_period(self.first_day - timedelta(days=7), self.timezone)
        if self.kind == "month":
            return month_period(self.first_day - timedelta(days=1), self.timezone)
        if self.kind == "quarter":
            return quarter_period(self.first_day - timedelta(days=1), self.timezone)
        days = (self.last_day - self.first_day).days + 1
        return range_period(
            self.first_day - timedelta(days=days),
            self.first_day - timedelta(days=1),
            self.timezone,
        )


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r}") from exc


def _utc_midnight(day: date, timezone: str) -> datetime:
    local = datetime(day.year, day.month, day.day, tzinfo=_zone(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def range_period(first_day: date, last_day: date, timezone: str = DEFAULT_TIMEZONE) -> Period:
    """Return the period of the days first_day..last_day inclusive."""
    if last_day < first_day:
        raise ValueError(
            f"period ends before it starts: {first_day.isoformat()}..{last_day.isoformat()}"
        )
    return Period(
        kind="range",
        first_day=first_day,
        last_day=last_day,
        timezone=timezone,
        start=_utc_midnight(first_day, timezone),
        end=_utc_midnight(last_day + timedelta(days=1), timezone),
    )


def week_period(day: date, timezone: str = DEFAULT_TIMEZONE) -> Period:
    """Return the ISO week (Monday to Sunday) containing a day."""
    monday = day - timedelta(days=day.weekday())
    p = range_period(monday, monday + timedelta(days=6), timezone)
    return Period("week", p.first_day, p.last_day, timezone, p.start, p.end)


def month_period(day: date, timezone: str = DEFAULT_TIMEZONE) -> Period:
    """Return the calendar month containing a day."""
    first = day.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    p = range_period(first, next_first - timedelta(days=1), timezone)
    return Period("month", p.first_day, p.last_day, timezone, p.start, p.end)


def quarter_period(day: date, timezone: str = DEFAULT_TIMEZONE) -> Period:
    """Return the calendar quarter containing a day."""
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    last = month_period(date(first.year, first.month + 2, 1), timezone).last_day
    p = range_period(first, last, timezone)
    return Period("quarter", p.first_day, p.last_day, timezone, p.start, p.end)


def local_today(now_utc: datetime, timezone: str = DEFAULT_TIMEZONE) -> date:
    """Return the company-local date at a naive-UTC instant."""
    return now_utc.replace(tzinfo=UTC).astimezone(_zone(timezone)).date()


def _from_chinese(value: str) -> str:
    """Write a period given in Chinese (上月, 2026年11月) as its English form."""
    if value in _CHINESE_WORDS:
        return _CHINESE_WORDS[value]
    for pattern, form in _CHINESE_FORMS:
        if m := pattern.match(value):
            return form.format(*m.groups())
    return value


def parse_period(
    text: str, *, timezone: str = DEFAULT_TIMEZONE, now: datetime | None = None
) -> Period:
    """Parse a period; relative forms (week, last-month...) count from `now` (naive UTC).

    Callers in the domain pass the domain clock's time; without `now` the system clock is used.
    """
    _zone(timezone)
    value = _from_chinese(text.strip())
    lowered = value.lower()
    if lowered in {"week", "this-week", "month", "this-month", "last-week", "last-month"}:
        if now is None:
            now = datetime.now(UTC).replace(tzinfo=None)
        today = local_today(now, timezone)
        if lowered in {"week", "this-week"}:
            return week_period(today, timezone)
        if lowered == "last-week":
            return week_period(today - timedelta(days=7), timezone)
        current = month_period(today, timezone)
        return current if lowered in {"month", "this-month"} else current.previous()
    if m := _WEEK.match(value):
        year, week = _year(m.group(1), value), int(m.group(2))
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            last = date(year, 12, 28).isocalendar()[1]
            raise ValueError(
                f"week {week} does not exist in {year} (weeks run 1–{last}): {value!r}"
            ) from None
        return week_period(monday, timezone)
    if m := _MONTH.match(value):
        year, month = _year(m.group(1), value), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 01–12: {value!r}")
        return month_period(date(year, month, 1), timezone)
    if m := _QUARTER.match(value):
        year = _year(m.group(1), value)
        return quarter_period(date(year, int(m.group(2)) * 3 - 2, 1), timezone)
    if m := _RANGE.match(value):
        try:
            first_day = date.fromisoformat(m.group(1))
            last_day = date.fromisoformat(m.group(2))
        except ValueError as exc:
            raise ValueError(f"invalid date in period {value!r}: {exc}") from None
        _year(m.group(1)[:4], value), _year(m.group(2)[:4], value)
        return range_period(first_day, last_day, timezone)
    raise ValueError(f"unrecognised period {value!r}; use one of: {FORMS}")


def _year(text: str, value: str) -> int:
    year = int(text)
    if year not in YEARS:
        raise ValueError(f"year must be {YEARS.start}–{YEARS.stop - 1}: {value!r}")
    return year
