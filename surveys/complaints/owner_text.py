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

An account with several homes: each rule counts per home (a text joins only its home's
complaint; the daily limit is each home's), and when the context names no home the owner is
asked "which home?" (`surveys.complaints.waiting_texts.choose_home`). Waiting words are the
writing account's, wherever their home moves meanwhile (`waiting_texts`), and a complaint the
account filed on a home that moved away since stays in hand for its words (rule 2:
`surveys.complaints.owner_steps.left_in_hand`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.classifier.chatter import EmojiMood, emoji_mood, has_words, is_chatter
from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import NEUTRAL_CLASSIFICATION, clean_direct_text, lock_owner
from surveys.complaints.owner_steps import join, left_in_hand, open_or_keep, register_text
from surveys.complaints.risk import find_risk_words
from surveys.complaints.text_outcomes import Outcome as Outcome
from surveys.complaints.text_outcomes import OwnerTextResult as OwnerTextResult
from surveys.complaints.text_outcomes import expire, home_left, result_of, stands
from surveys.complaints.waiting_texts import (
    HomeInContext,
    account_rows,
    add_words,
    ask_which_home,
    home_in_context,
    home_question,
    lapsed,
    locked_text,
    unanswered_question,
)
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import ComplaintStatus, OwnerText, OwnerTextStatus, Role


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
        homes = await account_rows(s, telegram_user_id)
        context = await home_in_context(s, homes, complaint_config, joining=True)
        complaint = context.complaint  # perhaps on a home that moved away: only joined
        if complaint is not None:
            changed = await join(s, complaint, words, complaint_config)
            return OwnerTextResult(Outcome.JOINED, complaint_id=complaint.id, changed=changed,
                                   awaits_answer=complaint.status == ComplaintStatus.FOLLOW_UP)
        owner = context.home or owner
        if reading == Reading.THANKS and not context.in_hand:
            return OwnerTextResult(Outcome.THANKS)
        if context.home is None and (reading == Reading.COMPLAINT or context.in_hand):
            # It opens or joins a complaint, and only the owner knows which home's.
            return await ask_which_home(s, owner=owner, homes=homes, words=words,
                                        classification=classification,
                                        config=complaint_config, explicit=False)
        if reading == Reading.UPSET:
            return OwnerTextResult(Outcome.UPSET)
        if reading == Reading.COMPLAINT:
            return result_of(await open_or_keep(s, owner=owner, words=words,
                                                classification=classification,
                                                config=complaint_config))
        assert owner.id is not None
        # An unsure text needs no home until it is registered (`_answer` asks then).
        waiting = await unanswered_question(s, telegram_user_id, complaint_config)
        if waiting is not None and add_words(waiting, words):
            return OwnerTextResult(Outcome.CONFIRM, owner_text_id=waiting.id, changed=False)
        note = OwnerText(owner_id=owner.id, telegram_user_id=telegram_user_id, text=words,
                         classification=classification)
        s.add(note)
        await s.flush()
        return OwnerTextResult(Outcome.CONFIRM, owner_text_id=note.id)


async def complain_explicitly(*, db: SessionFactory, telegram_user_id: int, text: str,
                              complaint_config: ComplaintConfig) -> OwnerTextResult:
    """Open the complaint an owner asked for with /complain, within their daily limit."""
    words = clean_direct_text(text)
    classification = classify_comment(words) or dict(NEUTRAL_CLASSIFICATION)
    async with db() as s, s.begin():
        owner = await lock_owner(s, telegram_user_id)
        homes = await account_rows(s, telegram_user_id)
        context = await home_in_context(s, homes, complaint_config, joining=False)
        if context.home is None:
            return await ask_which_home(s, owner=owner, homes=homes, words=words,
                                        classification=classification,
                                        config=complaint_config, explicit=True)
        return result_of(await open_or_keep(s, owner=context.home, words=words,
                                            classification=classification,
                                            config=complaint_config))


async def answer_confirmation(*, db: SessionFactory, telegram_user_id: int, owner_text_id: int,
                              register: bool, complaint_config: ComplaintConfig
                              ) -> OwnerTextResult:
    """Register a waiting text as a complaint, or let it go; the first answer stands."""
    async with db() as s, s.begin():
        # A double tap waits here, then repeats.
        _home, note = await locked_text(s, owner_text_id, telegram_user_id)
        if note.status != OwnerTextStatus.AWAITING:
            return stands(note)
        holder = note.owner_id  # the home holding the words (the actor, as before the answer)
        result = await _answer(s, telegram_user_id, note, register, complaint_config)
        action = ("owner_text_expired" if result.outcome == Outcome.EXPIRED
                  else "owner_text_confirmed" if register else "owner_text_declined")
        audit.record(s, actor_role=Role.OWNER, actor_id=holder, action=action,
                     subject_kind="owner_text", subject_id=note.id,
                     detail={"outcome": result.outcome.value,
                             "complaint_id": result.complaint_id})
        return result


async def _answer(s: AsyncSession, telegram_user_id: int, note: OwnerText, register: bool,
                  config: ComplaintConfig) -> OwnerTextResult:
    """Apply the writer's first answer to a waiting text (lapsed: nothing registered)."""
    if lapsed(note, config):
        return expire(note)
    if not register:  # withdrawn: the writer may, whatever became of the home
        note.status, note.decided_at = OwnerTextStatus.DECLINED, clock.now()
        return OwnerTextResult(Outcome.DECLINED, owner_text_id=note.id)
    homes = await account_rows(s, telegram_user_id)
    if not homes:  # every home left the account since the words: none to register them for
        return home_left(note, ())
    if note.owner_id not in {home.id for home in homes}:
        # The home holding the words moved to another account meanwhile: the writer's own
        # complaint in hand there takes them; which of the homes left they are about is not
        # guessed, even when one is left.
        left = await left_in_hand(s, telegram_user_id, config, home_id=note.owner_id)
        context = (HomeInContext(left[0][0], in_hand=1, complaint=left[0][1]) if left
                   else HomeInContext(None))
    else:
        context = await home_in_context(s, homes, config, joining=True)
    if context.home is None:  # several homes, and only the owner knows which one
        note.status, note.decided_at = OwnerTextStatus.HOME_TEXT, clock.now()  # the yes
        return await home_question(s, note, telegram_user_id, config)
    return await register_text(s, context.home, note, config, context.complaint)
