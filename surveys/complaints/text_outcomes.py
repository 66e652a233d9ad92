"""What became of an owner's text outside a survey (`surveys.complaints.owner_text`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from surveys.core import clock
from surveys.models import Complaint, OwnerText, OwnerTextStatus
from surveys.people.homes import Home


class Outcome(StrEnum):
    """What became of an owner's text."""

    CHATTER = "chatter"  # nothing stored; tell them what the bot can do
    THANKS = "thanks"  # nothing stored; thank them
    GLAD = "glad"  # only pleased emoji (👍 😊): nothing stored; a short thank-you
    UPSET = "upset"  # only displeased emoji (😡 👎 🙂🙂🙂): nothing stored; ask what happened
    JOINED = "joined"  # added to complaint `complaint_id` as their follow-up
    OPENED = "opened"  # complaint `complaint_id` opened (or the same words' one found)
    CONFIRM = "confirm"  # kept as `owner_text_id`, waiting for "register as a complaint?"
    # (changed=False: added to the text of a question asked already and not yet answered)
    DECLINED = "declined"  # they answered "no": nothing counts
    KEPT = "kept"  # over the daily limit: kept as `owner_text_id`, managers told
    EXPIRED = "expired"  # the question lapsed before the tap: nothing registered, `words` back
    # Several homes and no context: kept as `owner_text_id` until the owner taps one of `homes`
    # (changed=False: that question was asked already; a free text's words were added to it)
    CHOOSE_HOME = "choose_home"
    # The home tapped (or every home) left the account since the words were written: nothing
    # registered; asked again among `homes` left, or, none left, the `words` given back.
    HOME_LEFT = "home_left"


@dataclass(frozen=True)
class OwnerTextResult:
    """The outcome, the record it concerns, and whether this call changed anything."""

    outcome: Outcome
    complaint_id: int | None = None
    owner_text_id: int | None = None
    urgent: bool = False
    changed: bool = True  # False: a repeat (a double tap, the same words again)
    # JOINED a complaint whose owner is being asked "satisfied?": the answer is a tap there.
    awaits_answer: bool = False
    words: str | None = None  # EXPIRED: the owner's words, for them to send again
    homes: tuple[Home, ...] = ()  # CHOOSE_HOME: the account's homes, one button each


def result_of(record: Complaint | OwnerText) -> OwnerTextResult:
    """Return the outcome of `open_or_keep`: a complaint opened, or the text kept."""
    if isinstance(record, Complaint):
        return OwnerTextResult(Outcome.OPENED, complaint_id=record.id, urgent=record.urgent)
    return OwnerTextResult(Outcome.KEPT, owner_text_id=record.id)


def expire(note: OwnerText) -> OwnerTextResult:
    """Say the question lapsed before the tap: nothing registered, the words given back."""
    note.status, note.decided_at = OwnerTextStatus.EXPIRED, clock.now()
    return OwnerTextResult(Outcome.EXPIRED, owner_text_id=note.id, words=note.text)


def home_left(note: OwnerText, homes: tuple[Home, ...]) -> OwnerTextResult:
    """Say the home tapped left the account: ask again among `homes`, or give words back."""
    if homes:
        return OwnerTextResult(Outcome.HOME_LEFT, owner_text_id=note.id, homes=homes)
    note.status, note.decided_at = OwnerTextStatus.HOME_LEFT, clock.now()
    return OwnerTextResult(Outcome.HOME_LEFT, owner_text_id=note.id, words=note.text)


def stands(note: OwnerText) -> OwnerTextResult:
    """Return the answer already given to this question, unchanged."""
    if note.status in (OwnerTextStatus.HOME_TEXT, OwnerTextStatus.HOME_COMPLAIN):
        return OwnerTextResult(Outcome.CHOOSE_HOME, owner_text_id=note.id, changed=False)
    if note.status == OwnerTextStatus.AWAITING:
        return OwnerTextResult(Outcome.CONFIRM, owner_text_id=note.id, changed=False)
    if note.status == OwnerTextStatus.DECLINED:
        return OwnerTextResult(Outcome.DECLINED, owner_text_id=note.id, changed=False)
    if note.status == OwnerTextStatus.KEPT:
        return OwnerTextResult(Outcome.KEPT, owner_text_id=note.id, changed=False)
    if note.status in (OwnerTextStatus.EXPIRED, OwnerTextStatus.HOME_LEFT):
        outcome = (Outcome.EXPIRED if note.status == OwnerTextStatus.EXPIRED
                   else Outcome.HOME_LEFT)
        return OwnerTextResult(outcome, owner_text_id=note.id, words=note.text, changed=False)
    outcome = Outcome.JOINED if note.status == OwnerTextStatus.JOINED else Outcome.OPENED
    return OwnerTextResult(outcome, complaint_id=note.complaint_id, owner_text_id=note.id,
                           changed=False)
