"""An owner's later texts join the complaint still in hand, and reach the agent once.

A text while the owner is asked "satisfied?" joins and points to the answer; a text after the
complaint closed, or about another order and agent, opens a new one.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from surveys.complaints.handling import acknowledge, resolve
from surveys.complaints.owner_text import (
    Outcome,
    answer_confirmation,
    take_owner_text,
)
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import ComplaintMessage
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
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


async def test_a_second_message_about_the_same_problem_joins_the_open_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await said(db, PROBLEM)
    clock.advance(timedelta(hours=5))
    for words in ("今天还是没人来", "地下车库有积水", "太差劲了！！！"):
        outcome, joined, _ = await said(db, words)
        assert (outcome, joined) == (Outcome.JOINED, complaint_id)
    assert len(await all_complaints(db)) == 1 and await all_owner_texts(db) == []
    async with db() as s:
        messages = (await s.exec(select(ComplaintMessage.text).where(
            ComplaintMessage.complaint_id == complaint_id))).all()
    assert list(messages) == ["今天还是没人来", "地下车库有积水", "太差劲了！！！"]
    relayed = await outbox(db, "complaint_owner_message")
    assert [m.chat_id for m in relayed] == [AGENT_A_TG] * 3
    assert len(await audit_rows(db, "complaint_owner_follow_up")) == 3


async def test_a_text_while_the_owner_is_asked_satisfied_joins_and_points_to_the_answer(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await said(db, PROBLEM)
    assert complaint_id is not None
    await resolve(db=db, complaint_id=complaint_id, agent_telegram_user_id=AGENT_A_TG)
    result = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text="还是在漏水",
                                   complaint_config=CONFIG)
    assert (result.outcome, result.complaint_id, result.awaits_answer) == (
        Outcome.JOINED, complaint_id, True)
    assert [c.status for c in await all_complaints(db)] == ["follow_up"]  # the answer is a tap


async def test_a_yes_given_while_the_owner_is_asked_satisfied_points_to_the_answer(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, _, text_id = await said(db, NEUTRAL_PROBLEM)  # asked; meanwhile a complaint opens
    _, complaint_id, _ = await said(db, PROBLEM)
    assert text_id is not None and complaint_id is not None
    await resolve(db=db, complaint_id=complaint_id, agent_telegram_user_id=AGENT_A_TG)
    result = await answer_confirmation(db=db, telegram_user_id=OWNER_TG, owner_text_id=text_id,
                                       register=True, complaint_config=CONFIG)
    assert (result.outcome, result.complaint_id, result.awaits_answer) == (
        Outcome.JOINED, complaint_id, True)
    assert [c.status for c in await all_complaints(db)] == ["follow_up"]


async def test_the_same_words_again_reach_the_agent_once(db: SessionFactory,
                                                         world: World) -> None:
    await add_order(db, world)
    _, complaint_id, _ = await said(db, PROBLEM)
    again = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text=f" {PROBLEM} ",
                                  complaint_config=CONFIG)
    assert (again.outcome, again.complaint_id, again.changed) == (
        Outcome.JOINED, complaint_id, False)
    assert await outbox(db, "complaint_owner_message") == []
    assert len(await all_complaints(db)) == 1


async def test_an_angry_flood_is_one_complaint(db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    flood = ["电梯又坏了", "一直没人修", "什么破物业", "投诉你们", "再不修我就不交物业费了"]
    outcomes = [await said(db, words) for words in flood]
    assert {cid for _, cid, _ in outcomes} == {outcomes[0][1]}
    assert [o for o, _, _ in outcomes] == [Outcome.OPENED] + [Outcome.JOINED] * 4
    assert len(await all_complaints(db)) == 1
    assert len(await outbox(db, "complaint_opened")) == 1


async def test_a_text_after_the_complaint_is_closed_opens_a_new_one(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    _, first, _ = await said(db, PROBLEM)
    assert first is not None
    await acknowledge(db=db, complaint_id=first, agent_telegram_user_id=AGENT_A_TG)
    await resolve_and_answer(db, first, satisfied=True)
    outcome, second, _ = await said(db, "楼道灯也坏了")
    assert outcome == Outcome.OPENED and second != first


async def test_an_old_complaint_about_another_order_and_agent_does_not_take_a_new_problem(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world, agent_id=world.agent_a)
    _, first, _ = await said(db, PROBLEM)
    clock.advance(timedelta(hours=CONFIG.join_hours + 1))
    await add_order(db, world, agent_id=world.agent_b, title="楼道灯更换")
    outcome, second, _ = await said(db, "楼道灯又不亮了，没人管")
    assert outcome == Outcome.OPENED and second != first
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG, AGENT_B_TG]
