"""Periods typed near the ends of the calendar are refused with ValueError, not overflow."""

from __future__ import annotations

import pytest

from scoring.periods import parse_period


@pytest.mark.parametrize("text", ["9999-12", "9999-W52", "9999-12-31..9999-12-31", "0001-01",
                                  "0001-W01", "0000-01", "1899-12", "2026-01-01..9999-12-31"])
def test_year_beyond_the_supported_span_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="year must be"):
        parse_period(text, timezone="Asia/Shanghai")


@pytest.mark.parametrize("text", ["1900-01", "1900-W01", "9998-12", "9998-W52"])
def test_edge_years_give_a_period_whose_neighbours_exist(text: str) -> None:
    period = parse_period(text, timezone="Asia/Shanghai")
    earlier = period.previous().previous().previous()
    assert earlier.start < period.start < period.end
