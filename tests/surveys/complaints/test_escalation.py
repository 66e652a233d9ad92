"""Escalation: "not satisfied" reopens the complaint, alerts managers, asks the owner again;
the resolve deadline alerts once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.complaints.escalation import check_resolve_deadlines
from surveys.complaints.handling import reply_to_owner, resolve
from surveys.complaints.queries import OPEN_STATUSES, list_complaints
from surveys.core.audit import list_entries
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidTransition
from surveys.outbox.escalation_payloads import EscalationPayload, ResolveOverduePayload
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    World,
    answer_follow_up,
    complaint,
    open_complaint,
    outbox,
    resolve_and_answer,
)


async def test_unsatisfied_follow_up_reopens_the_complaint_as_escalated_and_alerts_at_once(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False)).changed
    row = await complaint(db, cid)
    assert row.status == "escalated" and row.escalations == 1 and row.satisfied is False
    assert row.resolved_at is None and row.escalated_at == clock.current
    assert row.resolve_deadline == clock.current + timedelta(hours=72)
    alerts = await outbox(db, "complaint_escalated")
    by_chat = {m.chat_id: EscalationPayload.of(m.payload) for m in alerts}
    assert sorted(by_chat) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG, AGENT_A_TG])
    assert by_chat[MANAGER_HERE_TG].audience == "manager"
    assert by_chat[AGENT_A_TG].audience == "agent" and by_chat[AGENT_A_TG].escalations == 1
    assert await outbox(db, "complaint_closed") == []
    entries = await list_entries(db=db, subject_kind="complaint", subject_id=cid,
                                 action="complaint_escalated")
    assert [e.detail["reason"] for e in entries] == ["unsatisfied_follow_up"]


async def test_a_second_unsatisfied_tap_changes_nothing_and_alerts_nobody_again(
    db: SessionFactory, world: World
) -> None:
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False)).changed
    again = await answer_follow_up(db, cid, satisfied=False, round_=0)
    assert not again.changed and again.view.status == "escalated"
    with pytest.raises(InvalidTransition) as late_yes:  # the answered round is over
        await answer_follow_up(db, cid, satisfied=True, round_=0)
    assert late_yes.value.code == ErrorCode.FOLLOW_UP_ESCALATED
    assert (await complaint(db, cid)).status == "escalated"
    assert len(await outbox(db, "complaint_escalated")) == 3


async def test_the_agent_handles_an_escalated_complaint_and_the_owner_is_asked_again(
    db: SessionFactory, world: World
) -> None:
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False)).changed
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="经理已安排师傅明天再来")
    assert replied.view.status == "escalated"
    again = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert again.changed and again.view.status == "follow_up"
    asked = await outbox(db, "complaint_follow_up")
    assert [m.dedupe_key for m in asked] == [f"complaint_follow_up:{cid}",
                                             f"complaint_follow_up:{cid}:1"]
    closed = await answer_follow_up(db, cid, satisfied=True, round_=1)
    assert closed.changed and closed.view.status == "closed_satisfied"
    assert (await complaint(db, cid)).satisfied is True


async def test_past_the_escalation_limit_unsatisfied_closes_and_tells_the_managers(
    db: SessionFactory, world: World
) -> None:
    config = ComplaintConfig(max_escalations=1)
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False, config=config)).changed
    assert (await resolve_and_answer(db, cid, satisfied=False, config=config)).changed
    row = await complaint(db, cid)
    assert row.status == "closed_unsatisfied" and row.escalations == 1
    final = [EscalationPayload.of(m.payload) for m in await outbox(db, "complaint_escalated")
             if m.dedupe_key.startswith(f"complaint_escalated:{cid}:closed")]
    assert sorted(p.closed for p in final) == [True, True]  # both managers concerned
    assert len(await outbox(db, "complaint_closed")) == 1


async def test_resolve_deadline_alerts_managers_and_agent_exactly_once(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world, urgent=True)
    clock.advance(timedelta(hours=23, minutes=59))
    assert await check_resolve_deadlines(db=db) == []
    clock.advance(timedelta(minutes=31))
    assert await check_resolve_deadlines(db=db) == [cid]
    assert await check_resolve_deadlines(db=db) == []
    rows = await outbox(db, "complaint_resolve_overdue")
    assert sorted(m.chat_id for m in rows) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG,
                                                      AGENT_A_TG])
    assert ResolveOverduePayload.of(rows[0].payload).overdue_hours == 0.5


async def test_a_resolved_complaint_is_never_overdue_for_resolution(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    clock.advance(timedelta(days=10))
    assert await check_resolve_deadlines(db=db) == []


async def test_escalation_restarts_the_resolve_deadline_and_its_alert(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    clock.advance(timedelta(hours=73))
    assert await check_resolve_deadlines(db=db) == [cid]
    assert (await resolve_and_answer(db, cid, satisfied=False)).changed
    clock.advance(timedelta(hours=71))
    assert await check_resolve_deadlines(db=db) == []
    clock.advance(timedelta(hours=2))
    assert await check_resolve_deadlines(db=db) == [cid]
    keys = {m.dedupe_key.rsplit(":", 1)[0] for m in await outbox(db, "complaint_resolve_overdue")}
    assert keys == {f"complaint_resolve_overdue:{cid}:0", f"complaint_resolve_overdue:{cid}:1"}


async def test_an_escalated_complaint_is_listed_as_open_and_marked_late_past_its_deadline(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False)).changed
    listed = await list_complaints(db=db, viewer_telegram_user_id=MANAGER_HERE_TG,
                                   status=list(OPEN_STATUSES))
    assert [(v.id, v.status, v.resolve_overdue) for v in listed] == [(cid, "escalated", False)]
    clock.advance(timedelta(hours=72, minutes=1))
    [late] = await list_complaints(db=db, viewer_telegram_user_id=MANAGER_HERE_TG,
                                   status=list(OPEN_STATUSES))
    assert late.resolve_overdue and not late.overdue  # acknowledged in time, resolved late
