"""End to end through the core services: close an order, answer the survey, handle the complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from scoring.questions import QUESTIONS
from surveys.complaints.handling import acknowledge, check_deadlines, record_follow_up, resolve
from surveys.complaints.queries import list_complaints
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import close_work_order, reassign_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.models import Complaint
from surveys.people.directory import OwnerIn
from surveys.survey.answers import record_rating, submit_survey
from surveys.survey.comments import record_comment
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
    MANAGER_HERE_TG,
    OWNER_PHONE,
    OWNER_TG,
    build_world,
    outbox,
)


@pytest.fixture
async def survey_id(db: SessionFactory, clock: FrozenClock) -> int:
    await build_world(db)
    order = WorkOrderIn(
        external_id="LX-2026-0042", community_code="lx",
        owner=OwnerIn(name="陈女士", phone=OWNER_PHONE, building="3", room="1201"),
        agent_external_id="A1", urgency="urgent", title="电梯困人",
    )
    result = await close_work_order(db=db, order=order, survey_config=SurveyConfig())
    # Reassigned after closing: the complaint must still go to the agent credited at closing.
    await reassign_work_order(db=db, external_id="LX-2026-0042", agent_external_id="B1")
    return result.survey_id


async def _answer(db: SessionFactory, survey_id: int, ratings: dict[str, int]) -> None:
    for question in QUESTIONS:
        await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER_TG,
                            question=question, rating=ratings.get(question, 5))


async def test_low_urgent_survey_becomes_a_complaint_handled_to_a_satisfied_close(
    db: SessionFactory, survey_id: int, clock: FrozenClock
) -> None:
    await _answer(db, survey_id, {"overall": 1, "timeliness": 2})
    await record_comment(db=db, telegram_user_id=OWNER_TG, text="等了一个小时才来，态度也很差",
                         message_id=77)
    for _ in range(2):  # a double tap on "submit"
        await submit_survey(db=db, survey_id=survey_id, telegram_user_id=OWNER_TG,
                            survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    async with db() as s:
        rows = (await s.exec(select(Complaint))).all()
    assert len(rows) == 1
    c = rows[0]
    assert c.survey_id == survey_id and c.urgent
    assert {"overall", "timeliness"} <= set(c.tags)
    assert c.ack_deadline == clock.current + timedelta(hours=2)
    assert [m.chat_id for m in await outbox(db, "complaint_opened")] == [AGENT_A_TG]
    alert = next(m for m in await outbox(db, "manager_alert") if m.chat_id == MANAGER_HERE_TG)
    assert alert.payload["reasons"] == ["rating_1", "urgent"]
    assert alert.payload["work_order_external_id"] == "LX-2026-0042"
    assert alert.payload["text"] == "等了一个小时才来，态度也很差"

    assert c.id is not None
    assert await list_complaints(db=db, viewer_telegram_user_id=AGENT_B_TG) == []
    clock.advance(timedelta(hours=1))
    assert await check_deadlines(db=db) == []
    await acknowledge(db=db, complaint_id=c.id, agent_telegram_user_id=AGENT_A_TG)
    await resolve(db=db, complaint_id=c.id, agent_telegram_user_id=AGENT_A_TG)
    closed = await record_follow_up(db=db, complaint_id=c.id, owner_telegram_user_id=OWNER_TG,
                                    satisfied=True, follow_up_round=0)
    assert closed.view.status == "closed_satisfied"
    assert closed.view.acknowledged_on_time is True


async def test_good_survey_opens_nothing(db: SessionFactory, survey_id: int) -> None:
    await _answer(db, survey_id, {"overall": 4})
    await submit_survey(db=db, survey_id=survey_id, telegram_user_id=OWNER_TG,
                        survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    async with db() as s:
        assert (await s.exec(select(Complaint))).all() == []
