"""Staff-entered 回访: who may record one, for which surveys, and what it records."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.reports import team_report
from surveys.assessment.revisit_rates import revisit_rates
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode
from surveys.models import Complaint, Response, Role, Survey, SurveyStatus
from surveys.people.directory import add_agent, add_community
from surveys.survey.revisit_staff import Recorder
from surveys.survey.revisits import pending_revisits, record_revisit, revisit_target
from tests.fixtures.service_world import close, setup_people

GOOD = {"overall": 5, "attitude": 4, "clarity": 5, "timeliness": 4}
LOW = {"overall": 1, "attitude": 2, "clarity": 3, "timeliness": 2}
STAFF = Recorder(Role.REVISITOR, 1, None)


async def _record(db: SessionFactory, order: str = "WO-1", recorder: Recorder = STAFF,
                  ratings: dict[str, object] | None = None, words: str | None = None,
                  channel: str = "phone") -> object:
    return await record_revisit(db=db, work_order=order, recorder=recorder,
                                ratings=ratings or GOOD, words=words, channel=channel,
                                survey_config=SurveyConfig(),
                                complaint_config=ComplaintConfig())


async def _code(coro: object) -> ErrorCode:
    with pytest.raises(DomainError) as caught:
        await coro  # type: ignore[misc]
    return caught.value.code


async def test_a_phone_revisit_answers_an_unbound_owners_survey(db: SessionFactory) -> None:
    await setup_people(db)
    result = await close(db)
    assert result.survey_status == SurveyStatus.SKIPPED_UNBOUND
    done = await _record(db, words="师傅很好")
    async with db() as s:
        survey = await s.get(Survey, result.survey_id)
        response = (await s.exec(select(Response))).one()
    assert survey is not None and survey.status == SurveyStatus.SUBMITTED
    assert survey.sent_at is not None  # counted as sent in the period it was answered
    assert (response.channel, response.entered_by_role, response.entered_by_id) == (
        "phone", "revisitor", 1)
    assert response.overall == 5 and response.comment == "师傅很好"
    assert response.classification is not None
    assert not done.repeated  # type: ignore[attr-defined]


async def test_the_same_entry_twice_is_recorded_once(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    await _record(db, words="很好")
    again = await _record(db, words="很好")
    assert again.repeated  # type: ignore[attr-defined]
    async with db() as s:
        assert len((await s.exec(select(Response))).all()) == 1


async def test_a_survey_already_answered_is_refused_not_replaced(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    await _record(db)
    assert await _code(_record(db, ratings=LOW)) == ErrorCode.REVISIT_ANSWERED
    other = Recorder(Role.MANAGER, 9, None)
    assert await _code(_record(db, recorder=other)) == ErrorCode.REVISIT_ANSWERED
    async with db() as s:
        assert (await s.exec(select(Response))).one().overall == 5


async def test_a_low_revisit_opens_a_complaint_as_chat_does(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    result = await _record(db, ratings=LOW, words="态度太差了", channel="visit")
    assert result.complaint_opened  # type: ignore[attr-defined]
    async with db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.text == "态度太差了"


async def test_unknown_and_other_community_orders_are_refused(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    assert await _code(_record(db, order="WO-404")) == ErrorCode.WORK_ORDER_NOT_FOUND
    other = await add_community(db=db, code="LAKE", name="湖畔")
    lake_staff = Recorder(Role.REVISITOR, 2, other.id)
    assert await _code(_record(db, recorder=lake_staff)) == ErrorCode.REVISIT_OTHER_COMMUNITY
    assert await _code(revisit_target(db=db, work_order="WO-1", recorder=lake_staff)
                       ) == ErrorCode.REVISIT_OTHER_COMMUNITY


async def test_nobody_enters_a_revisit_for_their_own_orders(db: SessionFactory) -> None:
    await setup_people(db)
    result = await close(db)
    async with db() as s:
        survey = await s.get(Survey, result.survey_id)
    assert survey is not None and survey.agent_id is not None
    own = Recorder(Role.MANAGER, 3, None, frozenset({survey.agent_id}))
    assert await _code(_record(db, recorder=own)) == ErrorCode.REVISIT_OWN_ORDER


async def test_a_survey_still_open_in_chat_waits_until_it_expires(db: SessionFactory) -> None:
    await setup_people(db)
    result = await close(db)
    now = clock.now()
    async with db() as s, s.begin():
        await s.exec(update(Survey).where(col(Survey.id) == result.survey_id).values(
            status=SurveyStatus.SENT, sent_at=now, chat_id=501, message_id=7,
            expires_at=now + timedelta(days=7)))
    assert await _code(_record(db)) == ErrorCode.REVISIT_STILL_OPEN
    async with db() as s, s.begin():  # past its expiry, before the expiry job ran
        await s.exec(update(Survey).where(col(Survey.id) == result.survey_id).values(
            expires_at=now - timedelta(minutes=1)))
    await _record(db)


@pytest.mark.parametrize(("ratings", "question"), [
    ({**GOOD, "overall": 6}, "overall"),
    ({**GOOD, "clarity": 0}, "clarity"),
    ({k: v for k, v in GOOD.items() if k != "timeliness"}, "timeliness"),
    ({**GOOD, "attitude": "5"}, "attitude"),
    ({**GOOD, "overall": True}, "overall"),
])
async def test_bad_star_values_are_refused_naming_the_question(
        db: SessionFactory, ratings: dict[str, object], question: str) -> None:
    await setup_people(db)
    await close(db)
    with pytest.raises(DomainError) as caught:
        await _record(db, ratings=ratings)
    assert caught.value.code == ErrorCode.REVISIT_RATING
    assert caught.value.fields["question"] == question
    async with db() as s:
        assert (await s.exec(select(Response))).first() is None


async def test_a_channel_other_than_phone_or_visit_is_refused(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db)
    assert await _code(_record(db, channel="chat")) == ErrorCode.REVISIT_CHANNEL


async def test_pending_lists_undelivered_surveys_of_the_community(db: SessionFactory) -> None:
    await setup_people(db)
    await close(db, "WO-1")
    await close(db, "WO-2", phone="13812345679", kind="complaint")
    await close(db, "WO-3", phone="13812345670")
    await _record(db, order="WO-3")
    listed, count = await pending_revisits(db=db, community_id=None, window=timedelta(days=14))
    assert [t.work_order for t in listed] == ["WO-2", "WO-1"]  # complaint orders first
    assert count == 2
    other = await add_community(db=db, code="LAKE", name="湖畔")
    assert (await pending_revisits(db=db, community_id=other.id,
                                   window=timedelta(days=14)))[1] == 0


async def test_revisit_rate_counts_answers_of_any_channel_over_closed_orders(
        db: SessionFactory) -> None:
    await setup_people(db)
    await add_agent(db=db, external_id="A-8", name="周客服", community_code="GG")
    await close(db, "WO-1")
    await close(db, "WO-2", phone="13812345679", kind="complaint")
    await close(db, "WO-3", phone="13812345670", agent_external_id="A-8")
    await _record(db, order="WO-1")
    period = parse_period("week", timezone="Asia/Shanghai", now=clock.now())
    rates = await revisit_rates(db=db, period=period)
    total = rates.total
    assert (total.closed, total.answered) == (3, 1)
    assert total.complaint_rate == 0.0 and total.complaint_target_met is False
    assert sorted((r.closed, r.answered) for r in rates.agents.values()) == [(1, 0), (2, 1)]
    assert list(rates.communities) == ["绿地花园"]


async def test_an_owner_reached_only_by_web_link_can_be_called_at_once(
        db: SessionFactory) -> None:
    await setup_people(db)
    result = await close(db)
    now = clock.now()
    async with db() as s, s.begin():  # as the intake does when web links are on
        await s.exec(update(Survey).where(col(Survey.id) == result.survey_id).values(
            status=SurveyStatus.SENT, sent_at=now, expires_at=now + timedelta(days=7)))
    listed, _count = await pending_revisits(db=db, community_id=None, window=timedelta(days=1))
    assert [t.reason for t in listed] == ["link_only"]
    await _record(db)


async def test_the_points_weigh_staff_entered_answers_by_the_configured_weight(
        db: SessionFactory) -> None:
    await setup_people(db)
    await close(db, "WO-1")
    await _record(db, ratings={q: 1 for q in GOOD})
    period = parse_period("week", timezone="Asia/Shanghai", now=clock.now())
    half = await team_report(db=db, period=period, config=PointsConfig(staff_entered_weight=0.5))
    full = await team_report(db=db, period=period, config=PointsConfig())
    assert half.channels == {"phone": 1}
    # One answer only: its weight changes nothing in the mean, but the sample is half as big,
    # so the shrunk score stays closer to the team mean.
    assert half.rows[0].dimensions["overall"].mean_rating == 1.0
    assert half.rows[0].dimensions["overall"].n == full.rows[0].dimensions["overall"].n == 1


async def test_the_same_entry_saved_twice_at_once_is_recorded_once_and_both_say_saved(
        db: SessionFactory) -> None:
    await setup_people(db)
    for n in range(4):  # a double tap on "save": a race is won by chance, so several orders
        await close(db, f"WO-{n}", phone=f"1381234560{n}")
        results = await asyncio.gather(*(_record(db, f"WO-{n}", words="很好")
                                         for _ in range(2)))
        assert sorted(r.repeated for r in results) == [False, True]  # type: ignore[attr-defined]
    async with db() as s:
        assert len((await s.exec(select(Response))).all()) == 4
