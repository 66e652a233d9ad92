"""An owner's free text outside a survey: chatter, a follow-up, a complaint, or a question.

Points from complaints feed agents' bonuses, so a text counts against an agent only when it
is a real complaint, and once. `read_owner_text` reads the text (pure), then, in order
(docs/complaints.md, "Free text outside a survey"):

1. chatter (greetings, acknowledgements, punctuation, emoji: `scoring.classifier.chatter`)
   the classifier does not read as negative opens nothing and joins nothing (thanks among it
   are thanked; a message of pleased emoji only, 👍 😊, gets a short thank-you);
2. any other text of an owner whose complaint is still in hand (same work order or agent,
   or opened within `join_hours`) joins that complaint as the owner's follow-up;
3. thanks or praise opens nothing;
4. a text the classifier reads as a complaint or negative, or with risk words, opens a
   complaint within the owner's daily limit (`owner_daily_complaints`); past it the text is
   kept and shown to managers, and no complaint is opened;
5. a message of displeased emoji only (😡, 👎, the sarcastic 🙂🙂🙂) says the owner is
   unhappy but not about what: they are asked to say what happened, nothing is stored;
6. anything else (neutral, mixed, 呵呵) waits for the owner's answer to "register
   as a complaint?" (`answer_confirmation`), which then joins, opens or keeps as above; while
   such a question is still unanswered (asked within `ASK_ONCE_WITHIN`), further unsure texts
   are added to its text instead of asking again, so a stream of messages is one question.
   The question lapses after `owner_question_hours` (read at the tap, no job): a late tap
   registers nothing and gives the owner their words back, and a lapsed question takes no
   new words.

`/complain` (`complain_explicitly`) is the owner's own choice: it skips 1-3, 5 and 6, and keeps
the daily limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.classifier.chatter import EmojiMood, emoji_mood, has_words, is_chatter
from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import (
    DIRECT_TEXT_MAX_CHARS,
    NEUTRAL_CLASSIFICATION,
    clean_direct_text,
    lock_owner,
)
from surveys.complaints.owner_steps import join, joinable_complaint, open_or_keep
from surveys.complaints.risk import find_risk_words
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.models import Complaint, ComplaintStatus, Owner, OwnerText, OwnerTextStatus, Role
from surveys.people.homes import owns_row

# An unsure text within this time of an unanswered question joins that question's text.
ASK_ONCE_WITHIN = timedelta(hours=1)


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


class Reading(StrEnum):
    """What a text says before the owner's history is looked at."""

    CHATTER = "chatter"  # greetings, acknowledgements: answered, never filed nor joined
    CHATTER_THANKS = "chatter_thanks"  # "谢谢", "好的谢谢": thanked, never filed nor joined
    GLAD = "glad"  # only pleased emoji (👍 🌹): a short thank-you, never filed nor joined
    UPSET = "upset"  # only displeased emoji (😡 🙂🙂🙂): joins, else asked what happened
    THANKS = "thanks"  # praise with substance: joins a complaint in hand, else thanked
    COMPLAINT = "complaint"  # negative or a complaint or risk words: joins, else opens
    UNSURE = "unsure"  # neutral, mixed, 呵呵: joins, else the owner is asked


def read_owner_text(words: str, classification: dict[str, Any],
                    config: ComplaintConfig) -> Reading:
    """Read a text from its words and the classifier's verdict (pure)."""
    negative = (bool(classification.get("complaint"))
                or classification.get("polarity") == "negative"
                or bool(find_risk_words(words, config.risk_words, config.risk_word_exceptions)))
    thanks = classification.get("polarity") == "positive" and not negative
    mood = emoji_mood(words)
    if mood is not None:  # only emoji: the lexicon's mood, or the classifier's reading
        if mood == EmojiMood.DISPLEASED or negative:
            return Reading.UPSET
        return Reading.GLAD if mood == EmojiMood.PLEASED or thanks else Reading.CHATTER
    if is_chatter(words):  # never 😡: the chatter lexicon marks displeasure
        return Reading.UNSURE if negative else (
            Reading.CHATTER_THANKS if thanks else Reading.CHATTER)
    if thanks:
        return Reading.THANKS
    # Negative punctuation alone ("？？？！") names no problem: asked, not filed.
    return Reading.COMPLAINT if negative and has_words(words) else Reading.UNSURE


def _result(record: Complaint | OwnerText) -> OwnerTextResult:
    if isinstance(record, Complaint):
        return OwnerTextResult(Outcome.OPENED, complaint_id=record.id, urgent=record.urgent)
    return OwnerTextResult(Outcome.KEPT, owner_text_id=record.id)


async def take_owner_text(*, db: SessionFactory, telegram_user_id: int, text: str,
                          complaint_config: ComplaintConfig) -> OwnerTextResult:
    """Decide what an owner's free text outside a survey becomes (rules in the module doc)."""
    words = clean_direct_text(text)
    # CPU work stays outside the write transaction.
    classification = classify_comment(words) or dict(NEUTRAL_CLASSIFICATION)
    reading = read_owner_text(words, classification, complaint_config)
    if reading == Reading.CHATTER:
        return OwnerTextResult(Outcome.CHATTER)
    if reading == Reading.CHATTER_THANKS:
        return OwnerTextResult(Outcome.THANKS)
    if reading == Reading.GLAD:
        return OwnerTextResult(Outcome.GLAD)
    async with db() as s, s.begin():
        owner = await lock_owner(s, telegram_user_id)
        complaint = await joinable_complaint(s, owner, complaint_config)
        if complaint is not None:
            changed = await join(s, complaint, words, complaint_config)
            return OwnerTextResult(Outcome.JOINED, complaint_id=complaint.id, changed=changed,
                                   awaits_answer=complaint.status == ComplaintStatus.FOLLOW_UP)
        if reading == Reading.THANKS:
            return OwnerTextResult(Outcome.THANKS)
        if reading == Reading.UPSET:
            return OwnerTextResult(Outcome.UPSET)
        if reading == Reading.COMPLAINT:
            return _result(await open_or_keep(s, owner=owner, words=words,
                                              classification=classification,
                                              config=complaint_config))
        assert owner.id is not None
        waiting = await _unanswered_question(s, owner.id, complaint_config)
        if waiting is not None:
            _add_words(waiting, words)
            return OwnerTextResult(Outcome.CONFIRM, owner_text_id=waiting.id, changed=False)
        note = OwnerText(owner_id=owner.id, text=words, classification=classification)
        s.add(note)
        await s.flush()
        return OwnerTextResult(Outcome.CONFIRM, owner_text_id=note.id)


def lapsed(note: OwnerText, config: ComplaintConfig) -> bool:
    """Tell whether a question about an owner's text is past its lifetime (unanswered)."""
    lifetime = timedelta(hours=config.owner_question_hours)
    return note.status == OwnerTextStatus.AWAITING and clock.now() - note.created_at >= lifetime


async def _unanswered_question(s: AsyncSession, owner_id: int, config: ComplaintConfig
                               ) -> OwnerText | None:
    """The owner's newest text still waiting for "register as a complaint?", if recent."""
    # A lapsed question takes no new words, even with a lifetime set below the hour.
    since = clock.now() - min(ASK_ONCE_WITHIN, timedelta(hours=config.owner_question_hours))
    stmt = (select(OwnerText)
            .where(OwnerText.owner_id == owner_id,
                   OwnerText.status == OwnerTextStatus.AWAITING,
                   col(OwnerText.created_at) > since)
            .order_by(col(OwnerText.created_at).desc(), col(OwnerText.id).desc())
            .limit(1))
    return (await s.exec(stmt)).first()


def _add_words(note: OwnerText, words: str) -> None:
    """Add an owner's further words to a waiting text, once, within the complaint's length."""
    if words in note.text.split("\n"):
        return
    merged = f"{note.text}\n{words}"
    if len(merged) > DIRECT_TEXT_MAX_CHARS:
        return  # the question still stands for the words already there
    note.text = merged
    # Registered, it becomes a complaint tagged from all its words: classified again.
    note.classification = classify_comment(merged) or dict(NEUTRAL_CLASSIFICATION)


async def complain_explicitly(*, db: SessionFactory, telegram_user_id: int, text: str,
                              complaint_config: ComplaintConfig) -> OwnerTextResult:
    """Open the complaint an owner asked for with /complain, within their daily limit."""
    words = clean_direct_text(text)
    classification = classify_comment(words) or dict(NEUTRAL_CLASSIFICATION)
    async with db() as s, s.begin():
        owner = await lock_owner(s, telegram_user_id)
        return _result(await open_or_keep(s, owner=owner, words=words,
                                          classification=classification,
                                          config=complaint_config))


async def answer_confirmation(*, db: SessionFactory, telegram_user_id: int, owner_text_id: int,
                              register: bool, complaint_config: ComplaintConfig
                              ) -> OwnerTextResult:
    """Register a waiting text as a complaint, or let it go; the first answer stands."""
    async with db() as s, s.begin():
        owner = await lock_owner(s, telegram_user_id)  # a double tap waits here, then repeats
        note = await s.get(OwnerText, owner_text_id)
        if note is None or not await owns_row(s, note.owner_id, telegram_user_id):
            raise NotFound(f"owner text {owner_text_id}", code=ErrorCode.OWNER_TEXT_NOT_FOUND,
                           id=owner_text_id)
        if note.owner_id != owner.id:  # another of the account's homes: the text's stands
            owner = await s.get(Owner, note.owner_id) or owner
        if note.status != OwnerTextStatus.AWAITING:
            return _stands(note)
        result = await _answer(s, owner, note, register, complaint_config)
        action = ("owner_text_expired" if result.outcome == Outcome.EXPIRED
                  else "owner_text_confirmed" if register else "owner_text_declined")
        audit.record(s, actor_role=Role.OWNER, actor_id=owner.id, action=action,
                     subject_kind="owner_text", subject_id=note.id,
                     detail={"outcome": result.outcome.value,
                             "complaint_id": result.complaint_id})
        return result


async def _answer(s: AsyncSession, owner: Owner, note: OwnerText, register: bool,
                  config: ComplaintConfig) -> OwnerTextResult:
    """Apply the owner's first answer to a waiting text (lapsed: nothing registered)."""
    if lapsed(note, config):
        note.status, note.decided_at = OwnerTextStatus.EXPIRED, clock.now()
        return OwnerTextResult(Outcome.EXPIRED, owner_text_id=note.id, words=note.text)
    if not register:
        note.status, note.decided_at = OwnerTextStatus.DECLINED, clock.now()
        return OwnerTextResult(Outcome.DECLINED, owner_text_id=note.id)
    complaint = await joinable_complaint(s, owner, config)
    if complaint is not None:
        await join(s, complaint, note.text, config)
        note.status, note.complaint_id = OwnerTextStatus.JOINED, complaint.id
        note.decided_at = clock.now()
        return OwnerTextResult(Outcome.JOINED, complaint_id=complaint.id,
                               awaits_answer=complaint.status == ComplaintStatus.FOLLOW_UP)
    return _result(await open_or_keep(s, owner=owner, words=note.text,
                                      classification=note.classification, config=config,
                                      note=note))


def _stands(note: OwnerText) -> OwnerTextResult:
    """The answer already given to this question, unchanged."""
    if note.status == OwnerTextStatus.DECLINED:
        return OwnerTextResult(Outcome.DECLINED, owner_text_id=note.id, changed=False)
    if note.status == OwnerTextStatus.KEPT:
        return OwnerTextResult(Outcome.KEPT, owner_text_id=note.id, changed=False)
    if note.status == OwnerTextStatus.EXPIRED:
        return OwnerTextResult(Outcome.EXPIRED, owner_text_id=note.id, words=note.text,
                               changed=False)
    outcome = Outcome.JOINED if note.status == OwnerTextStatus.JOINED else Outcome.OPENED
    return OwnerTextResult(outcome, complaint_id=note.complaint_id, owner_text_id=note.id,
                           changed=False)
