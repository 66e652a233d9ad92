"""Appeals: filed by the credited agent, decided once by a manager, every step audited."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from surveys.appeals.service import decide_appeal, file_appeal
from surveys.appeals.views import list_appeals
from surveys.core.audit import list_entries
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    AppealAlreadyDecided,
    DuplicateAppeal,
    ErrorCode,
    Forbidden,
    InvalidInput,
    InvalidTransition,
)
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
    MANAGER_ALL_TG,
    MANAGER_ELSEWHERE_TG,
    MANAGER_HERE_TG,
    World,
    build_world,
    complaint,
    outbox,
    response_row,
    submit_response,
)


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    return await build_world(db)


async def _low_rating(db: SessionFactory, world: World) -> tuple[int, int]:
    """Return (response id, complaint id) of a 1-star response credited to agent A."""
    _, response_id, ids = await submit_response(db, world, ratings={"overall": 1})
    return response_id, ids[0]


async def test_upheld_appeal_changes_no_flag_and_is_audited(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    response_id, cid = await _low_rating(db, world)
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="业主评价的是另一张工单")
    assert filed.status == "pending" and filed.agent_name == "王强"
    notices = await outbox(db, "appeal_filed")
    assert sorted(m.chat_id for m in notices) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])
    assert notices[0].payload["reason"] == "业主评价的是另一张工单"
    clock.advance(timedelta(hours=1))
    decided = await decide_appeal(db=db, appeal_id=filed.id,
                                  manager_telegram_user_id=MANAGER_HERE_TG,
                                  decision="uphold", reason="录音显示态度确有问题")
    assert decided.status == "upheld"
    assert decided.decided_at == clock.current
    assert decided.decided_by_manager_id == world.manager_here
    assert not (await complaint(db, cid)).voided
    assert not (await response_row(db, response_id)).voided
    entries = await list_entries(db=db, subject_kind="appeal", subject_id=filed.id)
    assert [(e.action, e.actor_role, e.actor_id) for e in entries] == [
        ("appeal_filed", "agent", world.agent_a),
        ("appeal_decided", "manager", world.manager_here),
    ]
    assert entries[0].detail["reason"] == "业主评价的是另一张工单"
    assert entries[1].detail == {"complaint_id": cid, "response_id": None,
                                 "decision": "uphold", "reason": "录音显示态度确有问题"}
    assert entries[1].at == clock.current
    told = await outbox(db, "appeal_decided")
    assert [m.chat_id for m in told] == [AGENT_A_TG]
    assert told[0].payload["status"] == "upheld"
    assert told[0].payload["decision_reason"] == "录音显示态度确有问题"


async def test_voided_complaint_appeal_voids_only_the_complaint(
    db: SessionFactory, world: World
) -> None:
    response_id, cid = await _low_rating(db, world)
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="不是我负责的工单")
    decided = await decide_appeal(db=db, appeal_id=filed.id,
                                  manager_telegram_user_id=MANAGER_ALL_TG, decision="void",
                                  reason="派单记录证实")
    assert decided.status == "voided"
    assert (await complaint(db, cid)).voided
    assert not (await response_row(db, response_id)).voided


async def test_voided_rating_appeal_voids_only_the_response(
    db: SessionFactory, world: World
) -> None:
    response_id, cid = await _low_rating(db, world)
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, response_id=response_id,
                              reason="业主误点了一星")
    await decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                        decision="void", reason="业主电话确认误点")
    assert (await response_row(db, response_id)).voided
    assert not (await complaint(db, cid)).voided
    # A voided record cannot be appealed again.
    with pytest.raises(InvalidTransition):
        await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, response_id=response_id,
                          reason="再申诉")


async def test_a_decided_appeal_cannot_be_decided_again(
    db: SessionFactory, world: World
) -> None:
    _, cid = await _low_rating(db, world)
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="理由")
    await decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                        decision="uphold", reason="维持")
    with pytest.raises(AppealAlreadyDecided):
        await decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                            decision="void", reason="改判")
    assert not (await complaint(db, cid)).voided
    decisions = await list_entries(db=db, action="appeal_decided")
    assert len(decisions) == 1


async def test_a_record_takes_one_pending_appeal_and_a_new_one_once_it_is_decided(
        db: SessionFactory, world: World) -> None:
    _, cid = await _low_rating(db, world)
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="第一次")
    with pytest.raises(DuplicateAppeal):
        await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                          reason="第二次")
    await decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                        decision="uphold", reason="维持")
    # Once decided, new evidence may be brought in a new appeal.
    again = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="有新证据")
    assert again.status == "pending"


async def test_only_the_credited_agent_appeals_and_only_a_manager_decides(
    db: SessionFactory, world: World
) -> None:
    response_id, cid = await _low_rating(db, world)
    with pytest.raises(Forbidden):
        await file_appeal(db=db, agent_telegram_user_id=AGENT_B_TG, complaint_id=cid,
                          reason="不是我的")
    with pytest.raises(Forbidden):
        await file_appeal(db=db, agent_telegram_user_id=MANAGER_ALL_TG,
                          response_id=response_id, reason="经理不能申诉")
    with pytest.raises(InvalidInput):
        await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                          response_id=response_id, reason="两个都申诉")
    with pytest.raises(InvalidInput):
        await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                          reason="  ")
    filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="理由")
    for telegram_user_id in (AGENT_A_TG, MANAGER_ELSEWHERE_TG):
        with pytest.raises(Forbidden):
            await decide_appeal(db=db, appeal_id=filed.id,
                                manager_telegram_user_id=telegram_user_id, decision="void",
                                reason="越权")
    with pytest.raises(InvalidInput):
        await decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                            decision="maybe", reason="?")  # type: ignore[arg-type]
    assert not (await complaint(db, cid)).voided
    assert await list_entries(db=db, action="appeal_decided") == []


async def test_appeal_lists_follow_who_is_looking(db: SessionFactory, world: World) -> None:
    response_id, cid = await _low_rating(db, world)
    first = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, complaint_id=cid,
                              reason="一")
    second = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG,
                               response_id=response_id, reason="二")
    await decide_appeal(db=db, appeal_id=first.id, manager_telegram_user_id=MANAGER_ALL_TG,
                        decision="uphold", reason="维持")
    mine = await list_appeals(db=db, viewer_telegram_user_id=AGENT_A_TG)
    assert {a.id for a in mine} == {first.id, second.id}
    assert await list_appeals(db=db, viewer_telegram_user_id=AGENT_B_TG) == []
    pending = await list_appeals(db=db, viewer_telegram_user_id=MANAGER_HERE_TG,
                                 status="pending")
    assert [a.id for a in pending] == [second.id]
    assert await list_appeals(db=db, viewer_telegram_user_id=MANAGER_ELSEWHERE_TG) == []


async def test_two_appeals_of_one_record_sent_at_once_file_one(
    db: SessionFactory, world: World
) -> None:
    for _ in range(4):  # a race is won by chance: several records, each appealed twice at once
        response_id, cid = await _low_rating(db, world)
        for target in ({"complaint_id": cid}, {"response_id": response_id}):
            results = await asyncio.gather(*(
                file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG, reason=reason, **target)
                for reason in ("不是我负责的单", "业主打错了")), return_exceptions=True)
            assert sorted(type(r).__name__ for r in results) == ["AppealView",
                                                                 "DuplicateAppeal"], target
    # One alert per appeal per manager: the managers were not asked to decide twice.
    assert len(await outbox(db, "appeal_filed")) == 8 * 2


async def test_an_agent_cannot_tell_a_missing_record_from_another_agents(
    db: SessionFactory, world: World
) -> None:
    response_id, cid = await _low_rating(db, world)
    refusals = []
    for target in ({"complaint_id": cid}, {"complaint_id": cid + 1000},
                   {"response_id": response_id}, {"response_id": response_id + 1000}):
        with pytest.raises(Forbidden) as refused:
            await file_appeal(db=db, agent_telegram_user_id=AGENT_B_TG, reason="试探", **target)
        refusals.append((type(refused.value), refused.value.code))
    assert len(set(refusals)) == 1
    assert refusals[0][1] is ErrorCode.APPEAL_NOT_OWN_RECORD
