"""Handling a complaint: acknowledge, reply, resolve, follow-up, deadlines, who may act."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.complaints.handling import (
    acknowledge,
    check_deadlines,
    owner_message,
    record_follow_up,
    reply_to_owner,
    resolve,
)
from surveys.complaints.queries import get_complaint, list_complaints
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from surveys.models import Agent
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
    MANAGER_ALL_TG,
    MANAGER_ELSEWHERE_TG,
    MANAGER_HERE_TG,
    OTHER_OWNER_TG,
    OWNER_TG,
    World,
    complaint,
    open_complaint,
    outbox,
)


async def test_acknowledging_in_time_tells_the_owner_once(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    clock.advance(timedelta(hours=23))
    first = await acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    again = await acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert first.changed and not again.changed
    assert first.view.status == "acknowledged"
    assert first.view.acknowledged_on_time is True
    assert again.view.acknowledged_at == first.view.acknowledged_at
    acks = await outbox(db, "complaint_acknowledged")
    assert [m.chat_id for m in acks] == [OWNER_TG]
    assert acks[0].payload["agent_name"] == "王强"
    clock.advance(timedelta(hours=5))
    assert await check_deadlines(db=db) == []


async def test_late_acknowledgement_fires_the_overdue_alert_exactly_once(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    clock.advance(timedelta(hours=23, minutes=59))
    assert await check_deadlines(db=db) == []
    clock.advance(timedelta(minutes=2))
    assert await check_deadlines(db=db) == [cid]
    assert await check_deadlines(db=db) == []
    overdue = await outbox(db, "complaint_overdue")
    assert sorted(m.chat_id for m in overdue) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG,
                                                         AGENT_A_TG])
    assert (await complaint(db, cid)).overdue_alerted_at == clock.current
    late = await acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert late.changed
    assert late.view.acknowledged_on_time is False
    clock.advance(timedelta(days=1))
    assert await check_deadlines(db=db) == []
    assert len(await outbox(db, "complaint_overdue")) == 3


async def test_urgent_complaint_is_overdue_after_two_hours(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    urgent = await open_complaint(db, world, urgent=True)
    normal = await open_complaint(db, world)
    clock.advance(timedelta(hours=2, seconds=1))
    assert await check_deadlines(db=db) == [urgent]
    listed = await list_complaints(db=db, viewer_telegram_user_id=AGENT_A_TG, overdue_only=True)
    assert [v.id for v in listed] == [urgent]
    assert listed[0].overdue and listed[0].acknowledged_on_time is False
    assert normal != urgent


async def test_reply_relays_to_the_owner_and_counts_as_acknowledgement(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    result = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                  text=" 您好，明天上午上门复查 ")
    assert result.view.status == "acknowledged"
    assert result.view.acknowledged_at == clock.current
    assert [(m.sender_role, m.text) for m in result.view.messages] == [
        ("agent", "您好，明天上午上门复查")
    ]
    relays = await outbox(db, "complaint_reply")
    assert [m.chat_id for m in relays] == [OWNER_TG]
    assert relays[0].payload["reply_text"] == "您好，明天上午上门复查"
    assert relays[0].payload["complaint_id"] == cid
    await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                         text="师傅已出发")
    assert len(await outbox(db, "complaint_reply")) == 2
    assert await outbox(db, "complaint_acknowledged") == []  # the reply was the feedback
    with pytest.raises(InvalidInput):
        await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                             text="  ")


async def test_the_same_template_tap_again_relays_nothing_but_typed_replies_each_go(
    db: SessionFactory, world: World
) -> None:
    cid = await open_complaint(db, world)
    first = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                 text="非常抱歉", tap_key="template:sorry:41")
    again = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                 text="非常抱歉", tap_key="template:sorry:41")
    assert first.changed and not again.changed
    assert [m.text for m in again.view.messages] == ["非常抱歉"]
    # Another prompt's tap, and typed words (no tap), are replies of their own.
    await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                         text="非常抱歉", tap_key="template:sorry:57")
    for _ in range(2):
        await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                             text="师傅已出发")
    relays = await outbox(db, "complaint_reply")
    assert [m.payload["reply_text"] for m in relays] == ["非常抱歉", "非常抱歉", "师傅已出发",
                                                         "师傅已出发"]


async def test_owner_words_are_relayed_to_the_agent(db: SessionFactory, world: World) -> None:
    cid = await open_complaint(db, world)
    result = await owner_message(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                                 text="下午在家")
    assert result.view.messages[-1].sender_role == "owner"
    relays = await outbox(db, "complaint_owner_message")
    assert [m.chat_id for m in relays] == [AGENT_A_TG]
    with pytest.raises(NotFound):
        await owner_message(db=db, complaint_id=cid, owner_telegram_user_id=OTHER_OWNER_TG,
                            text="我也要说")


async def test_resolve_then_satisfied_follow_up_closes_satisfied(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    await acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    clock.advance(timedelta(hours=3))
    resolved = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert resolved.changed and resolved.view.status == "follow_up"
    assert resolved.view.resolved_at == clock.current == resolved.view.follow_up_at
    again = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert not again.changed
    questions = await outbox(db, "complaint_follow_up")
    assert [m.chat_id for m in questions] == [OWNER_TG]
    closed = await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                                    satisfied=True, follow_up_round=0)
    assert closed.changed and closed.view.status == "closed_satisfied"
    assert closed.view.satisfied is True
    # A double tap, even on the other button, keeps the first answer.
    second = await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                                    satisfied=False, follow_up_round=0)
    assert not second.changed and second.view.status == "closed_satisfied"
    told = await outbox(db, "complaint_closed")
    assert [m.chat_id for m in told] == [AGENT_A_TG]
    assert told[0].payload["satisfied"] is True


async def test_unsatisfied_follow_up_closes_unsatisfied_when_escalation_is_off(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    # Resolving without a separate acknowledgement still counts as the first feedback.
    resolved = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert resolved.view.acknowledged_at == clock.current
    closed = await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                                    satisfied=False, follow_up_round=0,
                                    complaint_config=ComplaintConfig(max_escalations=0))
    assert closed.view.status == "closed_unsatisfied" and closed.view.satisfied is False
    row = await complaint(db, cid)
    assert row.closed_at == clock.current and row.satisfied is False
    with pytest.raises(InvalidTransition):
        await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                             text="还在吗")


async def test_follow_up_answer_before_resolution_is_refused(
    db: SessionFactory, world: World
) -> None:
    cid = await open_complaint(db, world)
    with pytest.raises(InvalidTransition) as caught:
        await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                               satisfied=True, follow_up_round=0)
    assert caught.value.status == "open"
    await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    with pytest.raises(Forbidden):
        await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OTHER_OWNER_TG,
                               satisfied=True, follow_up_round=0)


async def test_only_the_credited_agent_may_act(db: SessionFactory, world: World) -> None:
    cid = await open_complaint(db, world)
    for telegram_user_id in (AGENT_B_TG, MANAGER_ALL_TG, OWNER_TG, 424242):
        with pytest.raises(Forbidden):
            await acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=telegram_user_id)
        with pytest.raises(Forbidden):
            await resolve(db=db, complaint_id=cid, agent_telegram_user_id=telegram_user_id)
        with pytest.raises(Forbidden):
            await reply_to_owner(db=db, complaint_id=cid,
                                 agent_telegram_user_id=telegram_user_id, text="hi")
    with pytest.raises(NotFound):
        await acknowledge(db=db, complaint_id=cid + 100, agent_telegram_user_id=AGENT_A_TG)
    row = await complaint(db, cid)
    assert row.status == "open" and row.acknowledged_at is None
    assert await outbox(db, "complaint_reply") == []


async def test_agents_see_their_own_complaints_and_managers_their_communities(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    first = await open_complaint(db, world)
    clock.advance(timedelta(minutes=1))
    second = await open_complaint(db, world)
    await acknowledge(db=db, complaint_id=second, agent_telegram_user_id=AGENT_A_TG)

    mine = await list_complaints(db=db, viewer_telegram_user_id=AGENT_A_TG)
    assert [v.id for v in mine] == [second, first]  # newest first
    assert mine[0].owner_name == "陈女士" and mine[0].agent_name == "王强"
    assert await list_complaints(db=db, viewer_telegram_user_id=AGENT_B_TG) == []
    only_open = await list_complaints(db=db, viewer_telegram_user_id=AGENT_A_TG, status="open")
    assert [v.id for v in only_open] == [first]
    for manager in (MANAGER_ALL_TG, MANAGER_HERE_TG):
        seen = await list_complaints(db=db, viewer_telegram_user_id=manager)
        assert {v.id for v in seen} == {first, second}
    assert await list_complaints(db=db, viewer_telegram_user_id=MANAGER_ELSEWHERE_TG) == []
    with pytest.raises(Forbidden):
        await list_complaints(db=db, viewer_telegram_user_id=OWNER_TG)

    assert (await get_complaint(db=db, complaint_id=first,
                                viewer_telegram_user_id=OWNER_TG)).id == first
    with pytest.raises(NotFound):
        await get_complaint(db=db, complaint_id=first, viewer_telegram_user_id=AGENT_B_TG)
    with pytest.raises(NotFound):
        await get_complaint(db=db, complaint_id=first,
                            viewer_telegram_user_id=MANAGER_ELSEWHERE_TG)


async def test_a_complaint_is_overseen_by_the_managers_of_the_credited_agents_community(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    async with db() as s, s.begin():  # agent A now works for the other community
        agent = await s.get(Agent, world.agent_a)
        assert agent is not None
        agent.community_id = world.other_community_id
    complaint = await open_complaint(db, world)  # the owner lives in the first community

    elsewhere = await list_complaints(db=db, viewer_telegram_user_id=MANAGER_ELSEWHERE_TG)
    assert [v.id for v in elsewhere] == [complaint]
    assert await list_complaints(db=db, viewer_telegram_user_id=MANAGER_HERE_TG) == []
    with pytest.raises(NotFound):
        await get_complaint(db=db, complaint_id=complaint, viewer_telegram_user_id=MANAGER_HERE_TG)
