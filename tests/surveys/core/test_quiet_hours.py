"""Quiet hours: local wall-clock windows, overnight by default, deferral to the window's end."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from surveys.core.courtesy import BadQuietHours, CourtesyConfig, QuietHours, quiet_hours_for

SHANGHAI = "Asia/Shanghai"  # UTC+8 all year: no daylight saving time


def _window(text: str = "21:00-08:00", zone: str = SHANGHAI) -> QuietHours:
    window = QuietHours.parse(text, zone)
    assert window is not None
    return window


@pytest.mark.parametrize(("utc", "inside"), [
    (datetime(2026, 12, 5, 12, 59), False),  # 20:59 in Shanghai
    (datetime(2026, 12, 5, 13, 0), True),  # 21:00: the window starts
    (datetime(2026, 12, 5, 18, 30), True),  # 02:30 the next morning
    (datetime(2026, 12, 5, 23, 59), True),  # 07:59
    (datetime(2026, 12, 6, 0, 0), False),  # 08:00: the window has ended
    (datetime(2026, 12, 6, 4, 0), False),  # noon
])
def test_an_overnight_window_in_shanghai_covers_the_evening_and_the_early_morning(
        utc: datetime, inside: bool) -> None:
    assert _window().contains(utc) is inside


def test_a_survey_closed_late_in_the_evening_waits_for_eight_the_next_morning() -> None:
    # 22:30 on 5 December in Shanghai is 14:30 UTC; 08:00 on the 6th is 00:00 UTC.
    assert _window().release(datetime(2026, 12, 5, 14, 30)) == datetime(2026, 12, 6, 0, 0)


def test_a_survey_closed_after_midnight_waits_for_eight_the_same_morning() -> None:
    # 03:15 on 6 December in Shanghai is 19:15 UTC on the 5th.
    assert _window().release(datetime(2026, 12, 5, 19, 15)) == datetime(2026, 12, 6, 0, 0)


def test_a_survey_closed_in_the_day_goes_at_once() -> None:
    noon = datetime(2026, 12, 6, 4, 0)
    assert _window().release(noon) == noon


def test_a_daytime_window_defers_to_its_end_on_the_same_day() -> None:
    lunch = _window("12:00-13:30")
    assert lunch.release(datetime(2026, 12, 6, 4, 15)) == datetime(2026, 12, 6, 5, 30)
    assert not lunch.contains(datetime(2026, 12, 6, 5, 30))


def test_the_window_follows_daylight_saving_time_where_there_is_one() -> None:
    # Berlin: UTC+1 in winter, UTC+2 in summer; the window is wall-clock time in both.
    berlin = _window("22:00-07:00", "Europe/Berlin")
    assert berlin.release(datetime(2026, 1, 10, 22, 0)) == datetime(2026, 1, 11, 6, 0)
    assert berlin.release(datetime(2026, 7, 10, 21, 0)) == datetime(2026, 7, 11, 5, 0)


@pytest.mark.parametrize("text", ["off", "", " OFF ", "none"])
def test_a_window_switched_off_defers_nothing(text: str) -> None:
    assert QuietHours.parse(text, SHANGHAI) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("21:00-21:00", "empty"), ("25:00-08:00", "format"), ("9pm-8am", "format"),
    ("21:00", "format"), ("21:00-08:00-09:00", "format"),
])
def test_a_window_that_makes_no_sense_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(BadQuietHours) as caught:
        QuietHours.parse(text, SHANGHAI)
    assert caught.value.reason == reason


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "CST", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(zone: str) -> None:
    with pytest.raises(BadQuietHours) as caught:
        QuietHours.parse("21:00-08:00", zone)
    assert caught.value.reason == "timezone"


def test_a_community_without_its_own_window_gets_the_company_default() -> None:
    own = quiet_hours_for(window="22:30-07:00", timezone=SHANGHAI, default_window="21:00-08:00")
    default = quiet_hours_for(window=None, timezone=SHANGHAI, default_window="21:00-08:00")
    none = quiet_hours_for(window="", timezone=SHANGHAI, default_window="21:00-08:00")
    assert own is not None and own.text == "22:30-07:00"
    assert default is not None and default.text == "21:00-08:00"
    assert none is None


def test_the_company_settings_refuse_a_window_that_makes_no_sense() -> None:
    assert CourtesyConfig().quiet_hours == "21:00-08:00"
    assert CourtesyConfig(quiet_hours="off").quiet_hours == ""
    with pytest.raises(ValidationError):
        CourtesyConfig(quiet_hours="08:00-08:00")
    with pytest.raises(ValidationError):
        CourtesyConfig(fatigue="drop")  # type: ignore[arg-type]
