"""Numbers for the reader's locale: decimals, percentages, signed changes (Babel, half up)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal, format_percent

from bot.i18n import Translator
from scoring.points.model import AgentPoints

DASH = "—"


def babel_locale(tr: Translator) -> str:
    """Return the Babel locale that formats numbers for the reader's language."""
    return "zh_Hans_CN" if tr.locale == "zh_CN" else "en"


def num(tr: Translator, value: float | None, digits: int = 1) -> str:
    """Format a number for the locale (— when undefined)."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    # Round half up (四舍五入) as readers expect; Babel alone would round half to even.
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format=pattern, locale=babel_locale(tr))


def pct(tr: Translator, value: float | None) -> str:
    """Format a 0–1 share as a whole percentage for the locale (— when undefined)."""
    if value is None:
        return DASH
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_percent(rounded, format="#,##0%", locale=babel_locale(tr))


def pct1(tr: Translator, value: float | None) -> str:
    """Format a 0–1 share as a percentage with one decimal (— when undefined)."""
    if value is None:
        return DASH
    rounded = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return format_percent(rounded, format="#,##0.0%", locale=babel_locale(tr))


def penalty(tr: Translator, value: float) -> str:
    """Format a deduction as −x (0 without a sign)."""
    return "−" + num(tr, value) if num(tr, value) != num(tr, 0) else num(tr, 0)


def rate(p: AgentPoints) -> float | None:
    """Return the agent's raw complaint rate (per closed order)."""
    return None if p.complaints_per_100 is None else p.complaints_per_100 / 100


def signed(tr: Translator, value: float | None) -> str:
    """Format a change with its sign (— when undefined)."""
    if value is None:
        return DASH
    text = num(tr, abs(value))
    # A fall that rounds to zero shows as +0.0, not −0.0.
    negative = value < 0 and text != num(tr, 0)
    return ("−" if negative else "+") + text
