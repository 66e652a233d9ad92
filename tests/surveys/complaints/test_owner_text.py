"""An owner's free text outside a survey opens a complaint only when it is one, and once.

Chatter opens nothing; a neutral text waits for the owner's "register as a complaint?"; a
negative one opens a complaint; past the daily limit a text is kept for managers and opens
nothing. Later texts joining the complaint in hand: test_owner_text_joining.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from surveys.complaints.handling import acknowledge
from surveys.complaints.owner_text import (
    Outcome,
    answer_confirmation,
    complain_explicitly,
    take_owner_text,
)
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, NotFound
from surveys.models import OwnerTextStatus
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    OTHER_OWNER_TG,
    OWNER_TG,
    World,
    add_order,
    all_complaints,
    all_owner_texts,
    audit_rows,
    outbox,
    resolve_and_answer,
)
from tests.fixtures.owner_texts import CONFIG, NEUTRAL_PROBLEM, PROBLEM, said


@pytest.mark.parametrize("words", ["在吗", "你好！", "您好，在吗？", "?", "🤔", "好的", "ok"])
async def test_greetings_and_acknowledgements_open_nothing_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await said(db, words))[0] == Outcome.CHATTER
    assert await all_complaints(db) == [] and await all_owner_texts(db) == []
    assert await outbox(db) == []


@pytest.mark.parametrize("words", ["谢谢", "谢谢师傅！"])
async def test_thanks_is_thanked_and_opens_nothing(db: SessionFactory, world: World,
                                                   words: str) -> None:
    await add_order(db, world)
    assert (await said(db, words))[0] == Outcome.THANKS
    assert await all_complaints(db) == [] and await all_owner_texts(db) == []


@pytest.mark.parametrize("words", ["👍", "😊😊", "🌹🌹🌹", "👏🏻", "🙂👍"])
async def test_pleased_emoji_alone_get_a_short_thanks_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await said(db, words))[0] == Outcome.GLAD
    assert await all_complaints(db) == [] and await all_owner_texts(db) == []
    assert await outbox(db) == []


@pytest.mark.parametrize("words", ["😡", "👎", "😡😡", "🙂🙂🙂", "😤😤😤", "😭"])
async def test_angry_emoji_alone_ask_what_happened_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await said(db, words))[0] == Outcome.UPSET
    assert await all_complaints(db) == [] and await all_owner_texts(db) == []
    assert await outbox(db) == []


async def test_angry_emoji_join_the_complaint_in_hand_but_pleased_ones_do_not(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await said(db, PROBLEM)
    assert (await said(db, "😡😡"))[:2] == (Outcome.JOINED, complaint_id)
    assert (await said(db, "👍"))[0] == Outcome.GLAD
    relayed = await outbox(db, "complaint_owner_message")
    assert [m.chat_id for m in relayed] == [AGENT_A_TG]


async def test_a_negative_text_opens_a_complaint_at_once(db: SessionFactory,
                                                         world: World) -> None:
    await add_order(db, world)
    outcome, complaint_id, _ = await said(db, PROBLEM)
    assert outcome == Outcome.OPENED
    [complaint] = await all_complaints(db)
    assert complaint.id == complaint_id and complaint.agent_id == world.agent_a
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG]


async def test_a_neutral_text_opens_a_complaint_only_when_the_owner_confirms(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    outcome, _, text_id = await said(db, NEUTRAL_PROBLEM)
    assert outcome == Outcome.CONFIRM and text_id is not None
    assert await all_complaints(db) == [] and await outbox(db) == []
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                       register=True, complaint_config=CONFIG)
    [complaint] = await all_complaints(db)
    assert (result.outcome, result.complaint_id) == (Outcome.OPENED, complaint.id)
    assert complaint.text == NEUTRAL_PROBLEM and complaint.agent_id == world.agent_a
    [text] = await all_owner_texts(db)
    assert (text.status, text.complaint_id) == (OwnerTextStatus.OPENED, complaint.id)
    assert len(await audit_rows(db, "owner_text_confirmed")) == 1


async def test_a_second_tap_on_either_button_changes_nothing(db: SessionFactory,
                                                             world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await said(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    first = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                      register=True, complaint_config=CONFIG)
    for register in (True, False):
        again = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                          owner_text_id=text_id, register=register,
                                          complaint_config=CONFIG)
        assert (again.outcome, again.complaint_id, again.changed) == (
            Outcome.OPENED, first.complaint_id, False)
    assert len(await all_complaints(db)) == 1
    assert len(await outbox(db, "complaint_opened")) == 1


async def test_taps_at_once_on_the_confirmation_open_one_complaint(db: SessionFactory,
                                                                   world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await said(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    results = await asyncio.gather(*(
        answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                            register=True, complaint_config=CONFIG) for _ in range(4)))
    assert len({r.complaint_id for r in results}) == 1
    assert [r.changed for r in results].count(True) == 1
    assert len(await all_complaints(db)) == 1


async def test_further_unsure_texts_join_the_question_already_asked(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    first = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=NEUTRAL_PROBLEM,
                                  complaint_config=CONFIG)
    further = [await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=words,
                                     complaint_config=CONFIG)
               for words in ("三号门那边也有积水", "车库入口也是这样", "三号门那边也有积水")]
    assert first.changed and first.outcome == Outcome.CONFIRM
    assert [(r.outcome, r.owner_text_id, r.changed) for r in further] == [
        (Outcome.CONFIRM, first.owner_text_id, False)] * 3
    [text] = await all_owner_texts(db)
    assert text.text == f"{NEUTRAL_PROBLEM}\n三号门那边也有积水\n车库入口也是这样"
    assert first.owner_text_id is not None
    await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                              owner_text_id=first.owner_text_id, register=True,
                              complaint_config=CONFIG)
    [complaint] = await all_complaints(db)
    assert complaint.text == text.text


async def test_an_unsure_text_an_hour_after_an_unanswered_question_is_asked_about_again(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    _, _, first = await said(db, NEUTRAL_PROBLEM)
    clock.advance(timedelta(hours=1, minutes=1))
    outcome, _, second = await said(db, "楼道灯晚上不亮")
    assert outcome == Outcome.CONFIRM and second not in (None, first)
    assert [t.text for t in await all_owner_texts(db)] == [NEUTRAL_PROBLEM, "楼道灯晚上不亮"]


async def test_declining_opens_nothing_and_a_later_yes_does_not_either(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await said(db, "物业费怎么交")
    assert text_id is not None
    no = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                   register=False, complaint_config=CONFIG)
    yes = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                    register=True, complaint_config=CONFIG)
    assert (no.outcome, no.changed) == (Outcome.DECLINED, True)
    assert (yes.outcome, yes.changed) == (Outcome.DECLINED, False)
    assert await all_complaints(db) == [] and await outbox(db) == []
    assert [t.status for t in await all_owner_texts(db)] == [OwnerTextStatus.DECLINED]


async def test_another_owners_question_cannot_be_answered(db: SessionFactory,
                                                          world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await said(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    with pytest.raises(NotFound) as refused:
        await answer_confirmation(db=db, telegram_user_id=OTHER_OWNER_TG,
                                  owner_text_id=text_id, register=True, complaint_config=CONFIG)
    assert refused.value.code == ErrorCode.OWNER_TEXT_NOT_FOUND
    assert await all_complaints(db) == []


async def test_past_the_daily_limit_a_text_is_kept_for_managers_and_opens_nothing(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    config = ComplaintConfig(owner_daily_complaints=2)
    await add_order(db, world)
    for words in ("电梯坏了", "楼道灯坏了"):
        opened = await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text=words,
                                           complaint_config=config)
        assert opened.outcome == Outcome.OPENED
    kept = await complain_explicitly(db=db, telegram_user_id=OWNER_TG,
                                     text="门禁也坏了，电话13812345678", complaint_config=config)
    assert kept.outcome == Outcome.KEPT and kept.complaint_id is None
    assert len(await all_complaints(db)) == 2
    [text] = await all_owner_texts(db)
    assert (text.id, text.status) == (kept.owner_text_id, OwnerTextStatus.KEPT)
    alerts = await outbox(db, "owner_text_kept")
    assert sorted(m.chat_id for m in alerts) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])
    payload = OwnerTextKeptPayload.of(alerts[0].payload or {})
    assert "13812345678" not in payload.text and payload.limit == 2
    assert len(await audit_rows(db, "owner_text_kept")) == 1
    clock.advance(timedelta(hours=24, minutes=1))
    again = await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="门禁也坏了",
                                      complaint_config=config)
    assert again.outcome == Outcome.OPENED


async def test_a_confirmation_past_the_daily_limit_keeps_the_text(
        db: SessionFactory, world: World) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    await add_order(db, world)
    _, _, text_id = await said(db, NEUTRAL_PROBLEM, config)
    assert text_id is not None
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="楼道灯坏了",
                              complaint_config=config)
    [opened] = await all_complaints(db)
    await acknowledge(db=db, complaint_id=opened.id or 0, agent_telegram_user_id=AGENT_A_TG)
    await resolve_and_answer(db, opened.id or 0, satisfied=True)  # nothing left in hand
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                       owner_text_id=text_id, register=True,
                                       complaint_config=config)
    assert result.outcome == Outcome.KEPT and len(await all_complaints(db)) == 1


async def test_forgetting_the_owner_erases_their_kept_and_waiting_texts(
        db: SessionFactory, world: World) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    await add_order(db, world)
    await said(db, NEUTRAL_PROBLEM, config)  # waits for an answer
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="电梯坏了",
                              complaint_config=config)
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="门禁也坏了",
                              complaint_config=config)  # kept, managers told
    assert len(await all_owner_texts(db)) == 2 and len(await outbox(db, "owner_text_kept")) == 2
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    assert await all_owner_texts(db) == []
    for alert in await outbox(db, "owner_text_kept"):
        payload = OwnerTextKeptPayload.of(alert.payload or {})
        assert "门禁" not in payload.text and payload.owner_name is None
