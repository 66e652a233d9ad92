"""A 回访 voided on appeal may be entered again: the voided entry stays as it was, the new one
answers the survey, the audit links the two; the same entry twice is one; an owner's own
answer voided on appeal is not re-asked by staff."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.reports import team_report
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode
from surveys.models import Appeal, AuditLog, Response, Role
from surveys.survey.revisit_staff import Recorder
from surveys.survey.revisits import pending_revisits, record_revisit, revisit_target
from tests.fixtures.service_world import close, setup_people
from tests.surveys.survey.test_revisits import GOOD, LOW, STAFF, _code, _record

MANAGER = Recorder(Role.MANAGER, 9, None)


async def _void_on_appeal(db: SessionFactory) -> Response:
    """What a manager's "void" on the agent's appeal leaves: the response voided, the appeal."""
    async with db() as s, s.begin():
        response = (await s.exec(select(Response))).one()
        response.voided = True
        s.add(Appeal(agent_id=1, response_id=response.id, reason="录错了工单",
                     status="voided", decided_at=clock.now()))
    return response


async def test_a_voided_revisit_is_entered_again_beside_the_voided_one(
    db: SessionFactory,
) -> None:
    await setup_people(db)
    await close(db)
    await _record(db, ratings=LOW, words="录错了")
    voided = await _void_on_appeal(db)
    target = await revisit_target(db=db, work_order="WO-1", recorder=MANAGER)
    assert (target.work_order, target.reason) == ("WO-1", "voided")
    waiting, count = await pending_revisits(db=db, community_id=None, window=timedelta(days=14))
    assert ([t.work_order for t in waiting], count) == (["WO-1"], 1)
    again = await _record(db, recorder=MANAGER, words="师傅很好", channel="visit")
    assert not again.repeated  # type: ignore[attr-defined]
    async with db() as s:
        rows = (await s.exec(select(Response).order_by(col(Response.id)))).all()
        (entry,) = (await s.exec(select(AuditLog).where(
            AuditLog.action == "revisit_reentered"))).all()
        appeal = (await s.exec(select(Appeal))).one()
    old, new = rows
    assert (old.id, old.voided, old.overall, old.comment, old.entered_by_role) == (
        voided.id, True, 1, "录错了", "revisitor")
    assert (new.voided, new.overall, new.comment, new.channel, new.entered_by_role) == (
        False, 5, "师傅很好", "visit", "manager")
    assert (entry.actor_role, entry.actor_id, entry.subject_id) == ("manager", 9, new.id)
    assert entry.detail["voided_response_id"] == old.id
    assert entry.detail["appeal_id"] == appeal.id
    assert (await pending_revisits(db=db, community_id=None, window=timedelta(days=14)))[1] == 0
    period = parse_period("month", timezone="Asia/Shanghai", now=clock.now())
    report = await team_report(db=db, period=period, config=PointsConfig())
    assert [(r.surveys_sent, r.responses) for r in report.rows] == [(1, 1)]


async def test_the_same_reentry_twice_is_one_and_a_third_is_refused(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    await _record(db, ratings=LOW)
    await _void_on_appeal(db)
    await _record(db)
    again = await _record(db)
    assert again.repeated  # type: ignore[attr-defined]
    assert await _code(_record(db, ratings=LOW)) == ErrorCode.REVISIT_ANSWERED
    async with db() as s:
        live = (await s.exec(select(Response).where(col(Response.voided).is_(False)))).all()
        audits = (await s.exec(select(AuditLog).where(
            AuditLog.action == "revisit_reentered"))).all()
    assert [r.overall for r in live] == [GOOD["overall"]] and len(audits) == 1


async def test_an_owners_own_answer_voided_on_appeal_gets_no_staff_revisit(
    db: SessionFactory,
) -> None:
    await setup_people(db)
    await close(db)
    await _record(db, ratings=LOW)
    async with db() as s, s.begin():
        response = (await s.exec(select(Response))).one()
        response.channel = "chat"  # as if the owner had answered in Telegram
        response.entered_by_role = response.entered_by_id = None
    await _void_on_appeal(db)
    refused = record_revisit(db=db, work_order="WO-1", recorder=STAFF, ratings=GOOD,
                             words=None, channel="phone", survey_config=SurveyConfig(),
                             complaint_config=ComplaintConfig())
    assert await _code(refused) == ErrorCode.REVISIT_ANSWERED
