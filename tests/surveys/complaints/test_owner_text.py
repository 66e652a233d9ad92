"""An owner's free text outside a survey opens a complaint only when it is one, and once.

Chatter opens nothing; a neutral text waits for the owner's "register as a complaint?"; a
negative one opens a complaint; later texts join the complaint still in hand; past the
daily limit a text is kept for managers and opens nothing.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import col, select

from surveys.complaints.handling import acknowledge, resolve
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
from surveys.models import AuditLog, Complaint, ComplaintMessage, OwnerText, OwnerTextStatus
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    OTHER_OWNER_TG,
    OWNER_TG,
    World,
    add_order,
    outbox,
    resolve_and_answer,
)

CONFIG = ComplaintConfig()
PROBLEM = "电梯又坏了，一直没人修"
NEUTRAL_PROBLEM = "地下车库有积水"  # a real problem the classifier reads as neutral


async def _complaints(db: SessionFactory) -> list[Complaint]:
    async with db() as s:
        return list((await s.exec(select(Complaint).order_by(col(Complaint.id)))).all())


async def _texts(db: SessionFactory) -> list[OwnerText]:
    async with db() as s:
        return list((await s.exec(select(OwnerText).order_by(col(OwnerText.id)))).all())


async def _audit(db: SessionFactory, action: str) -> list[AuditLog]:
    async with db() as s:
        return list((await s.exec(select(AuditLog).where(AuditLog.action == action))).all())


async def _say(db: SessionFactory, text: str, config: ComplaintConfig = CONFIG,
               user: int = OWNER_TG) -> tuple[Outcome, int | None, int | None]:
    result = await take_owner_text(db=db, telegram_user_id=user, text=text,
                                   complaint_config=config)
    return result.outcome, result.complaint_id, result.owner_text_id


@pytest.mark.parametrize("words", ["在吗", "你好！", "您好，在吗？", "?", "🤔", "好的", "ok"])
async def test_greetings_and_acknowledgements_open_nothing_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await _say(db, words))[0] == Outcome.CHATTER
    assert await _complaints(db) == [] and await _texts(db) == []
    assert await outbox(db) == []


@pytest.mark.parametrize("words", ["谢谢", "谢谢师傅！"])
async def test_thanks_is_thanked_and_opens_nothing(db: SessionFactory, world: World,
                                                   words: str) -> None:
    await add_order(db, world)
    assert (await _say(db, words))[0] == Outcome.THANKS
    assert await _complaints(db) == [] and await _texts(db) == []


@pytest.mark.parametrize("words", ["👍", "😊😊", "🌹🌹🌹", "👏🏻", "🙂👍"])
async def test_pleased_emoji_alone_get_a_short_thanks_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await _say(db, words))[0] == Outcome.GLAD
    assert await _complaints(db) == [] and await _texts(db) == []
    assert await outbox(db) == []


@pytest.mark.parametrize("words", ["😡", "👎", "😡😡", "🙂🙂🙂", "😤😤😤", "😭"])
async def test_angry_emoji_alone_ask_what_happened_and_store_nothing(
        db: SessionFactory, world: World, words: str) -> None:
    await add_order(db, world)
    assert (await _say(db, words))[0] == Outcome.UPSET
    assert await _complaints(db) == [] and await _texts(db) == []
    assert await outbox(db) == []


async def test_angry_emoji_join_the_complaint_in_hand_but_pleased_ones_do_not(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await _say(db, PROBLEM)
    assert (await _say(db, "😡😡"))[:2] == (Outcome.JOINED, complaint_id)
    assert (await _say(db, "👍"))[0] == Outcome.GLAD
    relayed = await outbox(db, "complaint_owner_message")
    assert [m.chat_id for m in relayed] == [AGENT_A_TG]


async def test_a_negative_text_opens_a_complaint_at_once(db: SessionFactory,
                                                         world: World) -> None:
    await add_order(db, world)
    outcome, complaint_id, _ = await _say(db, PROBLEM)
    assert outcome == Outcome.OPENED
    [complaint] = await _complaints(db)
    assert complaint.id == complaint_id and complaint.agent_id == world.agent_a
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG]


async def test_a_neutral_text_opens_a_complaint_only_when_the_owner_confirms(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    outcome, _, text_id = await _say(db, NEUTRAL_PROBLEM)
    assert outcome == Outcome.CONFIRM and text_id is not None
    assert await _complaints(db) == [] and await outbox(db) == []
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                       register=True, complaint_config=CONFIG)
    [complaint] = await _complaints(db)
    assert (result.outcome, result.complaint_id) == (Outcome.OPENED, complaint.id)
    assert complaint.text == NEUTRAL_PROBLEM and complaint.agent_id == world.agent_a
    [text] = await _texts(db)
    assert (text.status, text.complaint_id) == (OwnerTextStatus.OPENED, complaint.id)
    assert len(await _audit(db, "owner_text_confirmed")) == 1


async def test_a_second_tap_on_either_button_changes_nothing(db: SessionFactory,
                                                             world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await _say(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    first = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                      register=True, complaint_config=CONFIG)
    for register in (True, False):
        again = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                          owner_text_id=text_id, register=register,
                                          complaint_config=CONFIG)
        assert (again.outcome, again.complaint_id, again.changed) == (
            Outcome.OPENED, first.complaint_id, False)
    assert len(await _complaints(db)) == 1
    assert len(await outbox(db, "complaint_opened")) == 1


async def test_taps_at_once_on_the_confirmation_open_one_complaint(db: SessionFactory,
                                                                   world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await _say(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    results = await asyncio.gather(*(
        answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                            register=True, complaint_config=CONFIG) for _ in range(4)))
    assert len({r.complaint_id for r in results}) == 1
    assert [r.changed for r in results].count(True) == 1
    assert len(await _complaints(db)) == 1


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
    [text] = await _texts(db)
    assert text.text == f"{NEUTRAL_PROBLEM}\n三号门那边也有积水\n车库入口也是这样"
    assert first.owner_text_id is not None
    await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                              owner_text_id=first.owner_text_id, register=True,
                              complaint_config=CONFIG)
    [complaint] = await _complaints(db)
    assert complaint.text == text.text


async def test_an_unsure_text_an_hour_after_an_unanswered_question_is_asked_about_again(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    _, _, first = await _say(db, NEUTRAL_PROBLEM)
    clock.advance(timedelta(hours=1, minutes=1))
    outcome, _, second = await _say(db, "楼道灯晚上不亮")
    assert outcome == Outcome.CONFIRM and second not in (None, first)
    assert [t.text for t in await _texts(db)] == [NEUTRAL_PROBLEM, "楼道灯晚上不亮"]


async def test_declining_opens_nothing_and_a_later_yes_does_not_either(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await _say(db, "物业费怎么交")
    assert text_id is not None
    no = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                   register=False, complaint_config=CONFIG)
    yes = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                    register=True, complaint_config=CONFIG)
    assert (no.outcome, no.changed) == (Outcome.DECLINED, True)
    assert (yes.outcome, yes.changed) == (Outcome.DECLINED, False)
    assert await _complaints(db) == [] and await outbox(db) == []
    assert [t.status for t in await _texts(db)] == [OwnerTextStatus.DECLINED]


async def test_another_owners_question_cannot_be_answered(db: SessionFactory,
                                                          world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await _say(db, NEUTRAL_PROBLEM)
    assert text_id is not None
    with pytest.raises(NotFound) as refused:
        await answer_confirmation(db=db, telegram_user_id=OTHER_OWNER_TG,
                                  owner_text_id=text_id, register=True, complaint_config=CONFIG)
    assert refused.value.code == ErrorCode.OWNER_TEXT_NOT_FOUND
    assert await _complaints(db) == []


async def test_a_second_message_about_the_same_problem_joins_the_open_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await _say(db, PROBLEM)
    clock.advance(timedelta(hours=5))
    for words in ("今天还是没人来", "地下车库有积水", "太差劲了！！！"):
        outcome, joined, _ = await _say(db, words)
        assert (outcome, joined) == (Outcome.JOINED, complaint_id)
    assert len(await _complaints(db)) == 1 and await _texts(db) == []
    async with db() as s:
        messages = (await s.exec(select(ComplaintMessage.text).where(
            ComplaintMessage.complaint_id == complaint_id))).all()
    assert list(messages) == ["今天还是没人来", "地下车库有积水", "太差劲了！！！"]
    relayed = await outbox(db, "complaint_owner_message")
    assert [m.chat_id for m in relayed] == [AGENT_A_TG] * 3
    assert len(await _audit(db, "complaint_owner_follow_up")) == 3


async def test_a_text_while_the_owner_is_asked_satisfied_joins_and_points_to_the_answer(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await _say(db, PROBLEM)
    assert complaint_id is not None
    await resolve(db=db, complaint_id=complaint_id, agent_telegram_user_id=AGENT_A_TG)
    result = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text="还是在漏水",
                                   complaint_config=CONFIG)
    assert (result.outcome, result.complaint_id, result.awaits_answer) == (
        Outcome.JOINED, complaint_id, True)
    assert [c.status for c in await _complaints(db)] == ["follow_up"]  # the answer is a tap


async def test_a_yes_given_while_the_owner_is_asked_satisfied_points_to_the_answer(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await _say(db, NEUTRAL_PROBLEM)  # asked; meanwhile a complaint opens
    _, complaint_id, _ = await _say(db, PROBLEM)
    assert text_id is not None and complaint_id is not None
    await resolve(db=db, complaint_id=complaint_id, agent_telegram_user_id=AGENT_A_TG)
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                       register=True, complaint_config=CONFIG)
    assert (result.outcome, result.complaint_id, result.awaits_answer) == (
        Outcome.JOINED, complaint_id, True)
    assert [c.status for c in await _complaints(db)] == ["follow_up"]


async def test_the_same_words_again_reach_the_agent_once(db: SessionFactory,
                                                         world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await _say(db, PROBLEM)
    again = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=f" {PROBLEM} ",
                                  complaint_config=CONFIG)
    assert (again.outcome, again.complaint_id, again.changed) == (
        Outcome.JOINED, complaint_id, False)
    assert await outbox(db, "complaint_owner_message") == []
    assert len(await _complaints(db)) == 1


async def test_an_angry_flood_is_one_complaint(db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    flood = ["电梯又坏了", "一直没人修", "什么破物业", "投诉你们", "再不修我就不交物业费了"]
    outcomes = [await _say(db, words) for words in flood]
    assert {cid for _, cid, _ in outcomes} == {outcomes[0][1]}
    assert [o for o, _, _ in outcomes] == [Outcome.OPENED] + [Outcome.JOINED] * 4
    assert len(await _complaints(db)) == 1
    assert len(await outbox(db, "complaint_opened")) == 1


async def test_a_text_after_the_complaint_is_closed_opens_a_new_one(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, first, _ = await _say(db, PROBLEM)
    assert first is not None
    await acknowledge(db=db, complaint_id=first, agent_telegram_user_id=AGENT_A_TG)
    await resolve_and_answer(db, first, satisfied=True)
    outcome, second, _ = await _say(db, "楼道灯也坏了")
    assert outcome == Outcome.OPENED and second != first


async def test_an_old_complaint_about_another_order_and_agent_does_not_take_a_new_problem(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world, agent_id=world.agent_a)
    _, first, _ = await _say(db, PROBLEM)
    clock.advance(timedelta(hours=CONFIG.join_hours + 1))
    await add_order(db, world, agent_id=world.agent_b, title="楼道灯更换")
    outcome, second, _ = await _say(db, "楼道灯又不亮了，没人管")
    assert outcome == Outcome.OPENED and second != first
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG, AGENT_B_TG]


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
    assert len(await _complaints(db)) == 2
    [text] = await _texts(db)
    assert (text.id, text.status) == (kept.owner_text_id, OwnerTextStatus.KEPT)
    alerts = await outbox(db, "owner_text_kept")
    assert sorted(m.chat_id for m in alerts) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])
    payload = OwnerTextKeptPayload.of(alerts[0].payload or {})
    assert "13812345678" not in payload.text and payload.limit == 2
    assert len(await _audit(db, "owner_text_kept")) == 1
    clock.advance(timedelta(hours=24, minutes=1))
    again = await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="门禁也坏了",
                                      complaint_config=config)
    assert again.outcome == Outcome.OPENED


async def test_a_confirmation_past_the_daily_limit_keeps_the_text(
        db: SessionFactory, world: World) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    await add_order(db, world)
    _, _, text_id = await _say(db, NEUTRAL_PROBLEM, config)
    assert text_id is not None
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="楼道灯坏了",
                              complaint_config=config)
    [opened] = await _complaints(db)
    await acknowledge(db=db, complaint_id=opened.id or 0, agent_telegram_user_id=AGENT_A_TG)
    await resolve_and_answer(db, opened.id or 0, satisfied=True)  # nothing left in hand
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                       owner_text_id=text_id, register=True,
                                       complaint_config=config)
    assert result.outcome == Outcome.KEPT and len(await _complaints(db)) == 1


async def test_forgetting_the_owner_erases_their_kept_and_waiting_texts(
        db: SessionFactory, world: World) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    await add_order(db, world)
    await _say(db, NEUTRAL_PROBLEM, config)  # waits for an answer
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="电梯坏了",
                              complaint_config=config)
    await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text="门禁也坏了",
                              complaint_config=config)  # kept, managers told
    assert len(await _texts(db)) == 2 and len(await outbox(db, "owner_text_kept")) == 2
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    assert await _texts(db) == []
    for alert in await outbox(db, "owner_text_kept"):
        payload = OwnerTextKeptPayload.of(alert.payload or {})
        assert "门禁" not in payload.text and payload.owner_name is None
