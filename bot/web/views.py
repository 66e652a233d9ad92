"""The pages themselves: what each one says, in the owner's language, with which status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.survey import KIND_LABELS, QUESTION_LABELS
from bot.web.render import Page, Renderer
from bot.web.security import new_csrf
from scoring.questions import QUESTIONS
from surveys.survey.by_link import LinkedSurvey, LinkState

__all__ = ["QUESTIONS", "FormContext"]

CHANNEL_NAMES = {"chat": N_("in Telegram"), "web": N_("on this page"),
                 "phone": N_("by phone to our 回访 staff"),
                 "visit": N_("to our 回访 staff at a visit")}


@dataclass(frozen=True)
class FormContext:
    """What a form needs beyond the survey: CSRF material, time zone, comment limit."""

    key: bytes
    link_hash: str
    timezone: str
    max_chars: int


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    value: int | None
    missing: bool


def _local(value: datetime | None, timezone: str) -> str:
    if value is None:
        return "-"
    local = value.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return local.strftime("%Y-%m-%d %H:%M")


def _greeting(tr: Translator, linked: LinkedSurvey) -> str | None:
    unit = "-".join(part for part in (linked.building, linked.room) if part)
    if linked.surname and unit:
        return tr._("Hello, Mr/Ms {surname} ({unit})", surname=linked.surname, unit=unit)
    if linked.surname:
        return tr._("Hello, Mr/Ms {surname}", surname=linked.surname)
    if unit:
        return tr._("Hello, owner of {unit}", unit=unit)
    return None


def folded_lines(tr: Translator, linked: LinkedSurvey) -> list[str]:
    """Name the later orders the fatigue cap folded into this survey (the answer covers them)."""
    return [tr._("• {title} (No. {number}, {agent})", title=f.title or "-",
                 number=f.external_id, agent=f.agent_name or "-") for f in linked.view.folded]


def form(renderer: Renderer, locale: str, linked: LinkedSurvey, ctx: FormContext, *,
         ratings: Mapping[str, int] | None = None, comment: str | None = None,
         missing: tuple[str, ...] = (), error: str | None = None, status: int = 200) -> Page:
    """Render the survey form, with the answers so far (stored, or just posted)."""
    tr = Translator(locale)
    view = linked.view
    values = {**{q: v for q, v in view.ratings.items() if v is not None}, **(ratings or {})}
    nonce, csrf = new_csrf(ctx.key, ctx.link_hash)
    kind = tr._(KIND_LABELS[view.work_order_kind]) if view.work_order_kind in KIND_LABELS \
        else view.work_order_kind
    return renderer.render(
        "survey.html", locale=locale, status=status,
        title=tr._("Owner satisfaction survey"), greeting=_greeting(tr, linked), error=error,
        order_line=tr._("Work order: {title} ({kind}, No. {number})",
                        title=view.work_order_title or "-", kind=kind,
                        number=view.work_order_external_id),
        agent=view.agent_name, folded=folded_lines(tr, linked),
        questions=[Question(q, tr._(QUESTION_LABELS[q]), values.get(q), q in missing)
                   for q in QUESTIONS],
        stars_text={n: tr.n_("{n} star", "{n} stars", n) for n in range(1, 6)},
        comment=comment if comment is not None else (view.comment or ""),
        max_chars=ctx.max_chars, nonce=nonce, csrf=csrf,
        expires=_local(view.expires_at, ctx.timezone) if view.expires_at else "-",
    )


def _notice(renderer: Renderer, locale: str, status: int, title: str, lines: list[str],
            symbol: str | None = None) -> Page:
    return renderer.render("notice.html", locale=locale, status=status, title=title,
                           lines=lines, symbol=symbol)


def thanks(renderer: Renderer, locale: str, linked: LinkedSurvey) -> Page:
    """Render the thank-you page after a submission (sorry and a follow-up when rated low)."""
    tr = Translator(locale)
    if linked.low_rating:
        line = tr._("Thank you for your feedback. We are sorry the service fell short; "
                    "the property management team will follow up with you.")
    else:
        line = tr._("Thank you for your feedback! It helps us serve you better.")
    return _notice(renderer, locale, 200, tr._("Thank you"), [line], symbol="✓")


def closed(renderer: Renderer, locale: str, linked: LinkedSurvey) -> Page:
    """Render why a survey cannot be answered: already answered (409), expired or closed (410)."""
    tr = Translator(locale)
    if linked.state == LinkState.SUBMITTED:
        where = CHANNEL_NAMES.get(linked.channel or "")
        lines = [tr._("This survey was already answered {where}. Thank you!",
                      where=tr._(where)) if where
                 else tr._("This survey was already submitted. Thank you!")]
        return _notice(renderer, locale, 409, tr._("Already answered"), lines, symbol="✓")
    if linked.state == LinkState.EXPIRED:
        lines = [tr._("This survey has expired and can no longer be answered."),
                 tr._("If you still want to tell us something, please contact your property "
                      "management office.")]
        return _notice(renderer, locale, 410, tr._("Link expired"), lines)
    lines = [tr._("This survey is closed and can no longer be answered.")]
    return _notice(renderer, locale, 410, tr._("Survey closed"), lines)


# The fixed pages: status, title and paragraphs (msgids, translated when shown).
NOTICES: dict[str, tuple[int, str, tuple[str, ...]]] = {
    "not_found": (404, N_("Link not valid"), (
        N_("This survey link is not valid. Please check that the whole link was copied, "
           "or contact your property management office."),)),
    "stale_form": (403, N_("Please open the link again"), (
        N_("This form was open for too long or did not come from this page, so nothing "
           "was saved. Please open the survey link again and submit it from there."),)),
    "too_many": (429, N_("Please wait a moment"), (
        N_("Too many requests in a short time. Please wait a minute and try again."),)),
    "bad_form": (400, N_("Could not read the form"), (
        N_("Your answers could not be read. Please open the survey link again and submit "
           "it from there."),)),
    "unavailable": (503, N_("Please try again later"), (
        N_("Sorry, something went wrong on our side. Please try again later."),)),
    "failure": (500, N_("Please try again later"), (
        N_("Sorry, something went wrong on our side. Please try again later."),)),
}


def notice(renderer: Renderer, locale: str, name: str, status: int | None = None) -> Page:
    """Render one of the fixed pages (unknown link, stale form, rate limit, errors)."""
    tr = Translator(locale)
    default_status, title, lines = NOTICES[name]
    return _notice(renderer, locale, status or default_status, tr._(title),
                   [tr._(line) for line in lines])
