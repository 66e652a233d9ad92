"""Further words for a question still waiting are added to its text only when they fit in
one complaint; words that do not fit are asked about on their own, never dropped while the
owner is told they were added."""

from __future__ import annotations

from sqlmodel import col, select

from surveys.complaints.opening import DIRECT_TEXT_MAX_CHARS
from surveys.complaints.owner_text import Outcome, OwnerTextResult, take_owner_text
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import Owner, OwnerText, OwnerTextStatus
from tests.fixtures.complaint_world import OWNER_PHONE, OWNER_TG, World, add_order
from tests.fixtures.owner_texts import NEUTRAL_PROBLEM

CONFIG = ComplaintConfig()
LONG_UNSURE = "车库" * 999  # 1,998 characters read as neutral: no room beside another text
PROBLEM = "电梯又坏了，一直没人修"  # read as a complaint
LONG_PROBLEM = PROBLEM * 181  # 1,991 characters read as a complaint


async def _say(db: SessionFactory, text: str) -> OwnerTextResult:
    return await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=text,
                                 complaint_config=CONFIG)


async def _waiting(db: SessionFactory) -> list[tuple[str, str]]:
    async with db() as s:
        notes = (await s.exec(select(OwnerText).order_by(col(OwnerText.id)))).all()
    return [(note.status, note.text) for note in notes]


async def test_unsure_words_too_long_to_join_the_question_asked_are_asked_about_on_their_own(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    first = await _say(db, NEUTRAL_PROBLEM)
    assert len(f"{NEUTRAL_PROBLEM}\n{LONG_UNSURE}") > DIRECT_TEXT_MAX_CHARS
    second = await _say(db, LONG_UNSURE)
    assert (second.outcome, second.changed) == (Outcome.CONFIRM, True)
    assert second.owner_text_id not in (None, first.owner_text_id)
    assert await _waiting(db) == [(OwnerTextStatus.AWAITING, NEUTRAL_PROBLEM),
                                  (OwnerTextStatus.AWAITING, LONG_UNSURE)]


async def test_complaint_words_too_long_to_join_the_which_home_question_get_their_own(
        db: SessionFactory, world: World) -> None:
    async with db() as s, s.begin():
        s.add(Owner(community_id=world.other_community_id, name="陈女士", phone=OWNER_PHONE,
                    building="5", room="502", telegram_user_id=OWNER_TG, chat_id=OWNER_TG))
    first = await _say(db, PROBLEM)
    assert first.outcome == Outcome.CHOOSE_HOME
    assert len(f"{PROBLEM}\n{LONG_PROBLEM}") > DIRECT_TEXT_MAX_CHARS
    second = await _say(db, LONG_PROBLEM)
    assert (second.outcome, second.changed) == (Outcome.CHOOSE_HOME, True)
    assert second.owner_text_id not in (None, first.owner_text_id)
    assert len(second.homes) == 2
    assert await _waiting(db) == [(OwnerTextStatus.HOME_TEXT, PROBLEM),
                                  (OwnerTextStatus.HOME_TEXT, LONG_PROBLEM)]
