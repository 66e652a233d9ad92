"""Report figures are formatted for the reader's locale: grouping, half-up rounding, signs."""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.render.reports import DASH, num, pct, signed

LOCALES = ("zh_CN", "en")


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_group_thousands_and_keep_the_given_decimals(locale: str) -> None:
    tr = translator(locale)
    assert num(tr, 1234567.25) == "1,234,567.3"
    assert num(tr, -1234.5) == "-1,234.5"
    assert num(tr, 0.125, 2) == "0.13"
    assert num(tr, 3, 0) == "3"
    assert num(tr, 1.2, 2) == "1.20"


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers_round_half_up_not_half_to_even(locale: str) -> None:
    tr = translator(locale)
    # Babel alone (banker's rounding) would give 2.2 and 0.12; 2.675 is 2.67499… as a float.
    assert num(tr, 2.25) == "2.3"
    assert num(tr, 2.35) == "2.4"
    assert num(tr, 0.125, 2) == "0.13"
    assert num(tr, 2.675, 2) == "2.68"


@pytest.mark.parametrize("locale", LOCALES)
def test_undefined_figures_show_a_dash(locale: str) -> None:
    tr = translator(locale)
    assert num(tr, None) == DASH and signed(tr, None) == DASH and pct(tr, None) == DASH


@pytest.mark.parametrize("locale", LOCALES)
def test_changes_carry_a_plus_or_a_true_minus_sign(locale: str) -> None:
    tr = translator(locale)
    assert signed(tr, 1.25) == "+1.3"
    assert signed(tr, -2.25) == "−2.3"  # U+2212, as wide as the plus sign in a table
    assert signed(tr, 0) == "+0.0"
    assert signed(tr, 1234.5) == "+1,234.5"


@pytest.mark.parametrize("locale", LOCALES)
def test_a_fall_that_rounds_to_zero_shows_no_minus(locale: str) -> None:
    tr = translator(locale)
    assert signed(tr, -0.04) == "+0.0"
    assert signed(tr, -0.05) == "−0.1"


@pytest.mark.parametrize("locale", LOCALES)
def test_shares_are_whole_percentages_rounded_half_up(locale: str) -> None:
    tr = translator(locale)
    assert pct(tr, 0.125) == "13%"
    assert pct(tr, 1) == "100%"
    assert pct(tr, 0.005) == "1%"
    assert pct(tr, 0) == "0%"
