"""Closing a resolved complaint as "owner unreachable": only after the documented attempts,
only by a manager overseeing it or 回访 staff of the owner's community (never the credited
agent's own account), audited with who, when and the note, and no figure changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.reports import team_report
from surveys.complaints.handling import resolve
from surveys.complaints.unreachable_close import close_unreachable
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode
from surveys.models import AuditLog, Owner, Revisitor
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    World,
    answer_follow_up,
    complaint,
    open_complaint,
)

CONFIG = ComplaintConfig()
NOTE = "12-01、12-02 共打电话 3 次无人接听，上门一次无人"


async def _resolved(db: SessionFactory, world: World) -> int:
    complaint_id = await open_complaint(db, world)
    await resolve(db=db, complaint_id=complaint_id, agent_telegram_user_id=AGENT_A_TG)
    return complaint_id


async def _close(db: SessionFactory, complaint_id: int, staff_id: int, *,
                 role: str = "manager", note: str = NOTE) -> bool:
    done = await close_unreachable(db=db, complaint_id=complaint_id, role=role,  # type: ignore[arg-type]
                                   staff_id=staff_id, note=note, config=CONFIG)
    return done.changed


async def _refused(db: SessionFactory, complaint_id: int, staff_id: int, *,
                   role: str = "manager", note: str = NOTE) -> ErrorCode:
    with pytest.raises(DomainError) as raised:
        await _close(db, complaint_id, staff_id, role=role, note=note)
    return raised.value.code


async def test_an_asked_owner_has_the_wait_to_answer_then_staff_close_it_with_a_note(
    db: SessionFactory, world: World, clock: FrozenClock,
) -> None:
    complaint_id = await _resolved(db, world)
    assert (await complaint(db, complaint_id)).status == "follow_up"
    assert await _refused(db, complaint_id, world.manager_here) is ErrorCode.UNREACHABLE_WAIT
    clock.current += timedelta(hours=CONFIG.follow_up_wait_hours)
    assert await _refused(db, complaint_id, world.manager_here, note=" ") is (
        ErrorCode.REASON_REQUIRED)
    assert await _close(db, complaint_id, world.manager_here)
    row = await complaint(db, complaint_id)
    assert (row.status, row.closed_at, row.satisfied) == ("closed_unreachable", clock.current,
                                                          None)
    assert row.resolved_at is not None
    async with db() as s:
        (entry,) = (await s.exec(select(AuditLog).where(
            AuditLog.action == "complaint_closed_unreachable"))).all()
    assert (entry.actor_role, entry.actor_id, entry.subject_id, entry.at) == (
        "manager", world.manager_here, complaint_id, clock.current)
    assert entry.detail["note"] == NOTE
    # The same command again (a redelivered update) changes nothing and says so.
    assert not await _close(db, complaint_id, world.manager_here)
    # The owner's late answer does not reopen it: the close stands.
    late = await answer_follow_up(db, complaint_id, satisfied=False, round_=0)
    assert not late.changed and (await complaint(db, complaint_id)).status == (
        "closed_unreachable")


async def test_an_owner_the_bot_could_not_ask_is_closed_at_once_and_no_figure_changes(
    db: SessionFactory, world: World, clock: FrozenClock,
) -> None:
    async with db() as s, s.begin():
        owner = await s.get(Owner, world.owner_id)
        assert owner is not None
        owner.chat_id = None  # not bound in Telegram: no follow-up can be asked
    complaint_id = await _resolved(db, world)
    assert (await complaint(db, complaint_id)).status == "resolved"
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    before = await team_report(db=db, period=period, config=PointsConfig(), as_of=clock.current)
    assert await _close(db, complaint_id, world.manager_all)
    after = await team_report(db=db, period=period, config=PointsConfig(), as_of=clock.current)
    assert after.rows == before.rows and after.team == before.team


async def test_only_staff_overseeing_it_and_never_the_agent_s_own_account_may_close_it(
    db: SessionFactory, world: World, clock: FrozenClock,
) -> None:
    opened = await open_complaint(db, world)
    assert await _refused(db, opened, world.manager_here) is ErrorCode.UNREACHABLE_NOT_RESOLVED
    complaint_id = await _resolved(db, world)
    clock.current += timedelta(hours=CONFIG.follow_up_wait_hours)
    assert await _refused(db, complaint_id, world.manager_elsewhere) is (
        ErrorCode.UNREACHABLE_OTHER_COMMUNITY)
    async with db() as s, s.begin():
        own = Revisitor(name="王强", telegram_user_id=AGENT_A_TG, community_id=None)
        gone = Revisitor(name="离职回访", active=False)
        s.add_all([own, gone])
        await s.flush()
        own_id, gone_id = own.id, gone.id
    assert own_id is not None and gone_id is not None
    assert await _refused(db, complaint_id, own_id, role="revisitor") is (
        ErrorCode.UNREACHABLE_OWN_COMPLAINT)
    assert await _refused(db, complaint_id, gone_id, role="revisitor") is (
        ErrorCode.UNREACHABLE_NOT_STAFF)
    async with db() as s:
        assert (await s.exec(select(AuditLog).where(
            col(AuditLog.action) == "complaint_closed_unreachable"))).first() is None
    assert (await complaint(db, complaint_id)).status == "follow_up"
