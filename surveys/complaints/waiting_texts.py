"""An owner's text waiting for their answer: "register as a complaint?" and "which home?".

Which home a complaint is for, when the account holds several homes, is decided by the
context when it can (docs/complaints.md, "Which home?"):

1. one home only: that one (no question, ever);
2. for a free text, the one home with a complaint in hand the text would join
   (`joinable_complaint`): the text joins it, as it would for an owner of one home. A home
   that moved away from the account counts here while the account's own complaint on it is
   in hand (`left_in_hand`): an owner with one home left and a complaint in hand on the
   home that moved is asked which one, as with two homes;
3. the home of the survey the owner rated last, within `SURVEYED_WITHIN`;
4. otherwise only the owner can tell: they are asked with one button per home (a home that
   moved away, by its name, while its complaint in hand could take a free text), and the words
   wait in `owner_text` (status `home_text` for a free text, `home_complain` for /complain)
   until the tap (`choose_home`), which lapses like the other question.

Every step runs inside the caller's transaction, the account locked (`lock_owner`).

The words belong to the account that wrote them (`owner_text.telegram_user_id`), not to the
home holding them: a home can move to another account (an invite) while they wait. Only the
writer may add to them, register or withdraw them; the new account never finds them. A "which
home?" tap on a home that left the account asks again among the homes left (`home_left`),
and a writer left with no home gets the words back (docs/complaints.md, "A home moves").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import DIRECT_TEXT_MAX_CHARS, NEUTRAL_CLASSIFICATION, lock_owner
from surveys.complaints.owner_steps import (
    joinable_complaint,
    left_in_hand,
    open_or_keep,
    register_text,
)
from surveys.complaints.text_outcomes import (
    Outcome,
    OwnerTextResult,
    expire,
    home_left,
    result_of,
    stands,
)
from surveys.core import audit, clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotBound, NotFound
from surveys.models import Complaint, Owner, OwnerText, OwnerTextStatus, Response, Role, Survey
from surveys.people.homes import Home, homes_of, name_home

# An unsure text within this time of an unanswered question joins that question's text.
ASK_ONCE_WITHIN = timedelta(hours=1)
# The owner rated a survey this recently: a complaint now is most likely about that home.
SURVEYED_WITHIN = timedelta(hours=1)
ASKING_HOME = (OwnerTextStatus.HOME_TEXT, OwnerTextStatus.HOME_COMPLAIN)


@dataclass(frozen=True)
class HomeInContext:
    """The home the context names (None: ask), how many homes have a complaint in hand, and
    (joining) the named home's complaint in hand. A home that moved away from the account is
    named only with the account's complaint there, to join: nothing opens on it."""

    home: Owner | None
    in_hand: int = 0
    complaint: Complaint | None = None


def lapsed(note: OwnerText, config: ComplaintConfig) -> bool:
    """Tell whether a question about an owner's text is past its lifetime (unanswered)."""
    lifetime = timedelta(hours=config.owner_question_hours)
    # "Which home?" asked after a "register" tap lives from that tap (`decided_at`), not
    # from the words: a yes in the question's last hour is not lost minutes later.
    asked = note.decided_at or note.created_at
    return (note.status in (OwnerTextStatus.AWAITING, *ASKING_HOME)
            and clock.now() - asked >= lifetime)


async def unanswered_question(s: AsyncSession, telegram_user_id: int, config: ComplaintConfig,
                              *, status: str = OwnerTextStatus.AWAITING) -> OwnerText | None:
    """Return the account's newest text still waiting for an answer (`status`), if recent."""
    # A lapsed question takes no new words, even with a lifetime set below the hour.
    since = clock.now() - min(ASK_ONCE_WITHIN, timedelta(hours=config.owner_question_hours))
    stmt = (select(OwnerText)
            .where(col(OwnerText.telegram_user_id) == telegram_user_id,
                   OwnerText.status == status,
                   col(OwnerText.created_at) > since)
            .order_by(col(OwnerText.created_at).desc(), col(OwnerText.id).desc())
            .limit(1))
    return (await s.exec(stmt)).first()


def add_words(note: OwnerText, words: str) -> bool:
    """Add an owner's further words to a waiting text, once; False when they do not fit."""
    if words in note.text.split("\n"):
        return True
    merged = f"{note.text}\n{words}"
    if len(merged) > DIRECT_TEXT_MAX_CHARS:
        # A complaint holds no more: the caller asks about these words on their own rather
        # than tell the owner they were added and drop them.
        return False
    note.text = merged
    # Registered, it becomes a complaint tagged from all its words: classified again.
    note.classification = classify_comment(merged) or dict(NEUTRAL_CLASSIFICATION)
    return True


async def account_rows(s: AsyncSession, telegram_user_id: int) -> list[Owner]:
    """Return the owner rows (homes) bound to an account, in the order they were registered."""
    return list((await s.exec(
        select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
        .order_by(col(Owner.id)))).all())


async def home_in_context(s: AsyncSession, homes: list[Owner], config: ComplaintConfig, *,
                          joining: bool) -> HomeInContext:
    """Return the home the context names for a complaint (rules 1-3 of the module doc)."""
    if not joining:
        return HomeInContext(homes[0] if len(homes) == 1 else await _surveyed_lately(s, homes))
    account = homes[0].telegram_user_id
    assert account is not None
    in_hand = [(home, complaint) for home in homes
               if (complaint := await joinable_complaint(s, home, config)) is not None]
    in_hand += await left_in_hand(s, account, config)
    if len(in_hand) == 1 or (len(homes) == 1 and not in_hand):
        home, complaint = in_hand[0] if in_hand else (homes[0], None)
        return HomeInContext(home, in_hand=len(in_hand), complaint=complaint)
    named = await _surveyed_lately(s, homes)
    return HomeInContext(named, in_hand=len(in_hand),
                         complaint=next((c for home, c in in_hand if home is named), None))


async def _surveyed_lately(s: AsyncSession, homes: list[Owner]) -> Owner | None:
    """The home of the survey the owner rated last, if within `SURVEYED_WITHIN`."""
    # A rating from before a home moved to this account was the earlier account's.
    since_moved = [or_(col(Survey.owner_id) != home.id, col(Response.updated_at) >= home.moved_at)
                   for home in homes if home.moved_at is not None]
    owner_id = (await s.exec(
        select(Survey.owner_id).join(Response, col(Response.survey_id) == col(Survey.id))
        .where(col(Survey.owner_id).in_([home.id for home in homes]),
               col(Response.entered_by_role).is_(None),  # a 回访 entered by staff is not theirs
               col(Response.updated_at) >= clock.now() - SURVEYED_WITHIN, *since_moved)
        .order_by(col(Response.updated_at).desc(), col(Response.id).desc()).limit(1)
    )).first()
    return next((home for home in homes if home.id == owner_id), None)


async def ask_which_home(s: AsyncSession, *, owner: Owner, homes: list[Owner], words: str,
                         classification: dict[str, Any], config: ComplaintConfig,
                         explicit: bool) -> OwnerTextResult:
    """Ask "which home?" once; `owner` holds the words until the tap.

    A free text while one waits is added to it (if it fits), and the same /complain again is
    the same question.
    """
    status = OwnerTextStatus.HOME_COMPLAIN if explicit else OwnerTextStatus.HOME_TEXT
    assert owner.id is not None and owner.telegram_user_id is not None
    account = owner.telegram_user_id
    waiting = await unanswered_question(s, account, config, status=status)
    if waiting is not None and (waiting.text == words if explicit
                                else add_words(waiting, words)):
        return await home_question(s, waiting, account, config, changed=False)
    note = OwnerText(owner_id=owner.id, telegram_user_id=account, text=words,
                     classification=classification, status=status)
    s.add(note)
    await s.flush()
    return await home_question(s, note, account, config)


async def home_question(s: AsyncSession, note: OwnerText, telegram_user_id: int,
                        config: ComplaintConfig, *, changed: bool = True) -> OwnerTextResult:
    """Return the "which home?" outcome for a waiting text, with the homes it may be about."""
    return OwnerTextResult(Outcome.CHOOSE_HOME, owner_text_id=note.id, changed=changed,
                           homes=await homes_to_ask(s, note, telegram_user_id, config))


async def homes_to_ask(s: AsyncSession, note: OwnerText, telegram_user_id: int,
                       config: ComplaintConfig) -> tuple[Home, ...]:
    """Return the account's homes, then (a free text) those that moved away.

    Only those with its complaint in hand there: the words may be about it (rule 2).
    """
    homes = await homes_of(s, telegram_user_id)
    if note.status != OwnerTextStatus.HOME_TEXT:  # /complain: a new matter, never joined
        return tuple(homes)
    left = [Home(owner_id=home.id, label=await name_home(s, home))  # type: ignore[arg-type]
            for home, _complaint in await left_in_hand(s, telegram_user_id, config)]
    return (*homes, *left)


async def own_text(s: AsyncSession, owner_text_id: int, telegram_user_id: int) -> OwnerText:
    """Return the waiting text this account wrote (another's, or none: not found)."""
    note = await s.get(OwnerText, owner_text_id)
    # A text with no writer (its home was unbound at revision 0024) is nobody's to decide:
    # not the home's later account's either.
    if note is None or note.telegram_user_id != telegram_user_id:
        raise NotFound(f"owner text {owner_text_id}", code=ErrorCode.OWNER_TEXT_NOT_FOUND,
                       id=owner_text_id)
    return note


async def locked_text(s: AsyncSession, owner_text_id: int, telegram_user_id: int
                      ) -> tuple[Owner | None, OwnerText]:
    """Lock the account and then its waiting text; return the account's home and the text.

    The home is None when every home of the account has left it since the words: the text's
    own row lock then makes a double tap wait, and the writer may still decide the words.
    """
    try:
        owner: Owner | None = await lock_owner(s, telegram_user_id)
    except NotBound:
        owner = None
    # Always after the account (the order `take_owner_text` takes them in): no deadlock.
    await s.exec(update(OwnerText).where(col(OwnerText.id) == owner_text_id)
                 .values(status=col(OwnerText.status)))
    return owner, await own_text(s, owner_text_id, telegram_user_id)


async def choose_home(*, db: SessionFactory, telegram_user_id: int, owner_text_id: int,
                      owner_id: int, complaint_config: ComplaintConfig) -> OwnerTextResult:
    """Go on with a text or /complain for the home the owner tapped; the first tap stands."""
    async with db() as s, s.begin():
        # A double tap waits here, then repeats.
        _home, note = await locked_text(s, owner_text_id, telegram_user_id)
        if note.status not in ASKING_HOME:
            return stands(note)
        home = await s.get(Owner, owner_id)
        if lapsed(note, complaint_config):
            result = expire(note)
        elif home is not None and home.telegram_user_id == telegram_user_id:
            result = await _chosen(s, home, note, complaint_config)
        elif home is not None and note.status == OwnerTextStatus.HOME_TEXT and (
                left := await left_in_hand(s, telegram_user_id, complaint_config,
                                           home_id=owner_id)):
            # A home that moved away, tapped for the account's complaint in hand there.
            result = await register_text(s, home, note, complaint_config, left[0][1])
        else:
            # The home left this account since the buttons were sent (or its complaint
            # there closed meanwhile): nothing registered.
            result = home_left(note, await homes_to_ask(s, note, telegram_user_id,
                                                        complaint_config))
        audit.record(s, actor_role=Role.OWNER, actor_id=note.owner_id,
                     action="owner_text_home_chosen", subject_kind="owner_text",
                     subject_id=note.id,
                     detail={"outcome": result.outcome.value,
                             "complaint_id": result.complaint_id})
        return result


async def _chosen(s: AsyncSession, home: Owner, note: OwnerText, config: ComplaintConfig
                  ) -> OwnerTextResult:
    """Go on with the words for a home the account holds, as its question asked."""
    if note.status == OwnerTextStatus.HOME_COMPLAIN:  # /complain: a new matter, no join
        assert home.id is not None
        note.owner_id = home.id
        return result_of(await open_or_keep(s, owner=home, words=note.text,
                                            classification=note.classification,
                                            config=config, note=note))
    return await register_text(s, home, note, config, await joinable_complaint(s, home, config))


async def asked_homes(*, db: SessionFactory, telegram_user_id: int, owner_text_id: int,
                      complaint_config: ComplaintConfig) -> OwnerTextResult:
    """Return the "which home?" of a waiting text again, with its homes (another page of them).

    Read only: a text decided since says how it stands (no homes); a lapsed one is still
    shown, and its next home tap says it lapsed, as before.
    """
    async with db() as s:
        note = await own_text(s, owner_text_id, telegram_user_id)
        if note.status not in ASKING_HOME:
            return stands(note)
        return await home_question(s, note, telegram_user_id, complaint_config, changed=False)
