"""Period parsing: ISO weeks, months, inclusive ranges and relative forms, in local time."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scoring.periods import parse_period

SH = "Asia/Shanghai"


def test_an_iso_week_runs_monday_to_monday_local_time_in_utc() -> None:
    p = parse_period("2026-W47", timezone=SH)
    assert (p.first_day, p.last_day) == (date(2026, 11, 16), date(2026, 11, 22))
    assert p.start == datetime(2026, 11, 15, 16, 0)
    assert p.end == datetime(2026, 11, 22, 16, 0)
    assert p.label == "2026-W47"


def test_week_one_may_start_in_the_previous_year() -> None:
    p = parse_period("2026-W01", timezone="UTC")
    assert p.first_day == date(2025, 12, 29)
    assert parse_period("2020-W53", timezone="UTC").last_day == date(2021, 1, 3)


def test_a_week_that_does_not_exist_says_so() -> None:
    with pytest.raises(ValueError, match="week 53 does not exist in 2025 \\(weeks run 1–52\\)"):
        parse_period("2025-W53")


def test_a_month_covers_its_days_and_the_previous_month_wraps_the_year() -> None:
    p = parse_period("2026-01", timezone=SH)
    assert p.start == datetime(2025, 12, 31, 16, 0)
    assert p.end == datetime(2026, 1, 31, 16, 0)
    assert p.previous().label == "2025-12"
    assert parse_period("2024-02", timezone="UTC").last_day == date(2024, 2, 29)


def test_a_date_range_includes_both_days() -> None:
    p = parse_period("2026-11-01..2026-11-15", timezone="UTC")
    assert p.start == datetime(2026, 11, 1)
    assert p.end == datetime(2026, 11, 16)
    assert p.previous().label == "2026-10-17..2026-10-31"


def test_the_previous_week_is_seven_days_earlier() -> None:
    assert parse_period("2026-W01").previous().label == "2025-W52"


def test_daylight_saving_zones_keep_local_midnights() -> None:
    p = parse_period("2026-03", timezone="Europe/London")
    assert p.start == datetime(2026, 3, 1, 0, 0)
    assert p.end == datetime(2026, 3, 31, 23, 0)  # BST began on 29 March


def test_relative_periods_use_the_local_date_of_now() -> None:
    # Sunday 2026-11-15 17:00 UTC is already Monday 01:00 in Shanghai.
    now = datetime(2026, 11, 15, 17, 0)
    assert parse_period("week", timezone=SH, now=now).label == "2026-W47"
    assert parse_period("week", timezone="UTC", now=now).label == "2026-W46"
    assert parse_period("last-week", timezone=SH, now=now).label == "2026-W46"
    assert parse_period("month", timezone=SH, now=now).label == "2026-11"
    assert parse_period("last-month", timezone=SH, now=now).label == "2026-10"


@pytest.mark.parametrize(("chinese", "english"), [
    ("本周", "week"), ("这周", "week"), ("上周", "last-week"), ("本月", "month"),
    ("这个月", "month"), ("上月", "last-month"), ("上个月", "last-month"),
    ("2026年11月", "2026-11"), ("2026年1月", "2026-01"), ("2026年第47周", "2026-W47"),
    ("2026年第4季度", "2026-Q4"), (" 本月 ", "month"),
])
def test_periods_written_in_chinese_mean_what_their_english_words_mean(chinese: str,
                                                                       english: str) -> None:
    now = datetime(2026, 11, 15, 17, 0)
    assert parse_period(chinese, timezone=SH, now=now) == parse_period(english, timezone=SH,
                                                                       now=now)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "month must be 01–12"),
        ("2026-11-15..2026-11-01", "ends before it starts"),
        ("2026-02-30..2026-03-01", "invalid date"),
        ("last-year", "unrecognised period"),
        ("2026年13月", "month must be 01–12"),
        ("去年", "unrecognised period"),
        ("", "unrecognised period"),
    ],
)
def test_bad_periods_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_period(text)


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_period("2026-11", timezone="Mars/Olympus")


def test_labels_parse_back_to_the_same_period() -> None:
    for text in ("2026-W47", "2026-11", "2026-11-01..2026-11-15"):
        assert parse_period(parse_period(text).label) == parse_period(text)
