"""Answering a survey: idempotent taps, changes before submit, closed surveys, comments."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from surveys.core import clock as domain_clock
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidAnswer, NotFound, NotYourSurvey, SurveyClosed
from surveys.models import Complaint, Response, Survey, SurveyStatus
from surveys.people.directory import add_owner
from surveys.survey.answers import answerable_survey_view, record_rating, submit_survey
from surveys.survey.comments import record_comment, skip_comment
from surveys.survey.views import get_survey_view
from tests.fixtures.service_world import bind, close, setup_people

OWNER = 501
OTHER = 502


async def _sent_survey(db: SessionFactory) -> int:
    """Close an order for a bound owner and mark its survey sent (as the dispatcher does)."""
    await setup_people(db)
    await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    await add_owner(db=db, community_code="GG", name="赵女士", phone="13900001111")
    await bind(db, OWNER)
    await bind(db, OTHER, phone="13900001111")
    result = await close(db)
    now = domain_clock.now()
    async with db() as s, s.begin():
        await s.exec(update(Survey).where(col(Survey.id) == result.survey_id).values(
            status=SurveyStatus.SENT, sent_at=now, chat_id=OWNER, message_id=10,
            expires_at=now + timedelta(days=7)))
    return result.survey_id


async def _answer_all(db: SessionFactory, survey_id: int, rating: int = 5) -> None:
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                            question=question, rating=rating)


def _submit(db: SessionFactory, survey_id: int, user: int = OWNER):  # type: ignore[no-untyped-def]
    return submit_survey(db=db, survey_id=survey_id, telegram_user_id=user,
                         survey_config=SurveyConfig(), complaint_config=ComplaintConfig())


async def _sent_surveys(db: SessionFactory, count: int = 8) -> list[int]:
    """Several sent surveys of OWNER: races are won by chance, so each is raced once."""
    survey_ids = [await _sent_survey(db)]
    for n in range(2, count + 1):
        result = await close(db, f"WO-{n}")
        async with db() as s, s.begin():
            await s.exec(update(Survey).where(col(Survey.id) == result.survey_id).values(
                status=SurveyStatus.SENT, chat_id=OWNER, message_id=n))
        survey_ids.append(result.survey_id)
    return survey_ids


async def _stored(db: SessionFactory, survey_id: int) -> tuple[Response, int]:
    """The survey's response and how many complaints it opened."""
    async with db() as s:
        response = (await s.exec(select(Response).where(
            Response.survey_id == survey_id))).one()
        opened = (await s.exec(select(Complaint).where(
            Complaint.survey_id == survey_id))).all()
    return response, len(opened)


async def test_two_first_taps_at_once_on_different_questions_keep_both_ratings(
        db: SessionFactory, clock: FrozenClock) -> None:
    for survey_id in await _sent_surveys(db):
        results = await asyncio.gather(*(
            record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                          question=question, rating=rating)
            for question, rating in (("overall", 2), ("attitude", 4))))
        assert all(r.changed for r in results)
        async with db() as s:
            rows = (await s.exec(select(Response).where(Response.survey_id == survey_id))).all()
        assert [(r.overall, r.attitude) for r in rows] == [(2, 4)]


async def test_a_star_changed_while_the_survey_is_submitted_is_judged_or_refused(
        db: SessionFactory, clock: FrozenClock) -> None:
    for survey_id in await _sent_surveys(db):
        await _answer_all(db, survey_id, rating=5)
        changed, _ = await asyncio.gather(
            record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                          question="overall", rating=1),
            _submit(db, survey_id), return_exceptions=True)
        response, complaints = await _stored(db, survey_id)
        if isinstance(changed, SurveyClosed):  # the submit came first: nothing changed after
            assert (response.overall, complaints) == (5, 0)
        else:  # the submit saw the 1 and opened the complaint a low rating calls for
            assert (response.overall, complaints) == (1, 1), changed


async def test_a_comment_sent_while_no_comment_is_tapped_is_judged_or_left_out(
        db: SessionFactory, clock: FrozenClock) -> None:
    for survey_id in await _sent_surveys(db):
        await _answer_all(db, survey_id, rating=5)
        stored, _ = await asyncio.gather(
            record_comment(db=db, telegram_user_id=OWNER, text="态度太差了，投诉！",
                           message_id=survey_id),
            skip_comment(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                         survey_config=SurveyConfig(), complaint_config=ComplaintConfig()))
        response, complaints = await _stored(db, survey_id)
        if stored is None:  # "no comment" came first: the words are not stored unjudged
            assert (response.comment, response.classification, complaints) == (None, None, 0)
        else:  # the submit read the words and judged them
            assert response.comment and response.classification is not None
            assert complaints == 1, response.classification


async def test_same_tap_twice_changes_nothing_the_second_time(db: SessionFactory,
                                                               clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    first = await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                                question="overall", rating=4)
    again = await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                                question="overall", rating=4)
    assert first.changed and not again.changed
    assert again.view.ratings["overall"] == 4 and again.view.next_step == "attitude"


async def test_an_answer_can_change_before_submit_but_not_after(db: SessionFactory,
                                                                clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    await _answer_all(db, survey_id, 3)
    changed = await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                                  question="attitude", rating=5)
    assert changed.changed and changed.view.ratings["attitude"] == 5
    assert changed.view.next_step == "comment"
    view = await _submit(db, survey_id)
    assert view.status == SurveyStatus.SUBMITTED and view.next_step == "done"
    assert (await _submit(db, survey_id)).status == SurveyStatus.SUBMITTED  # idempotent
    with pytest.raises(SurveyClosed) as closed:
        await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                            question="attitude", rating=1)
    assert closed.value.status == SurveyStatus.SUBMITTED


async def test_tap_on_someone_elses_survey_changes_nothing(db: SessionFactory,
                                                            clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    with pytest.raises(NotYourSurvey):
        await record_rating(db=db, survey_id=survey_id, telegram_user_id=OTHER,
                            question="overall", rating=1)
    with pytest.raises(NotYourSurvey):
        await _submit(db, survey_id, OTHER)
    assert (await get_survey_view(db=db, survey_id=survey_id)).ratings["overall"] is None


async def test_unknown_survey_question_or_rating_is_refused(db: SessionFactory,
                                                            clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    with pytest.raises(NotFound):
        await record_rating(db=db, survey_id=9999, telegram_user_id=OWNER, question="overall",
                            rating=3)
    for question, rating in (("price", 3), ("overall", 0), ("overall", 6), ("overall", True)):
        with pytest.raises(InvalidAnswer):
            await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                                question=question, rating=rating)  # type: ignore[arg-type]


async def test_survey_is_closed_after_expiry_even_before_the_job_runs(
    db: SessionFactory, clock: FrozenClock
) -> None:
    survey_id = await _sent_survey(db)
    clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(SurveyClosed) as closed:
        await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                            question="overall", rating=5)
    assert closed.value.status == SurveyStatus.EXPIRED


async def test_comment_is_stored_once_and_submitted(db: SessionFactory,
                                                    clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    assert await record_comment(db=db, telegram_user_id=OWNER, text="很好",
                                message_id=1) is None  # nothing awaits a comment yet
    await _answer_all(db, survey_id)
    view = await record_comment(db=db, telegram_user_id=OWNER, text="师傅很耐心，谢谢！",
                                message_id=20)
    again = await record_comment(db=db, telegram_user_id=OWNER, text="师傅很耐心，谢谢！",
                                 message_id=20)
    assert view is not None and again is not None
    assert view.survey_id == survey_id and again.comment == "师傅很耐心，谢谢！"
    async with db() as s:
        responses = list((await s.exec(select(Response))).all())
    assert len(responses) == 1
    final = await _submit(db, survey_id)
    assert final.comment == "师傅很耐心，谢谢！" and final.status == SurveyStatus.SUBMITTED
    assert await record_comment(db=db, telegram_user_id=OWNER, text="再说一句",
                                message_id=21) is None


async def test_overlong_comment_is_refused(db: SessionFactory, clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    await _answer_all(db, survey_id)
    with pytest.raises(InvalidAnswer):
        await record_comment(db=db, telegram_user_id=OWNER, text="长" * 5000, message_id=5)
    assert (await get_survey_view(db=db, survey_id=survey_id)).comment is None


async def test_submit_needs_every_rating_and_skip_comment_submits(
    db: SessionFactory, clock: FrozenClock
) -> None:
    survey_id = await _sent_survey(db)
    await record_rating(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                        question="overall", rating=5)
    with pytest.raises(InvalidAnswer):
        await _submit(db, survey_id)
    await _answer_all(db, survey_id)
    view = await skip_comment(db=db, survey_id=survey_id, telegram_user_id=OWNER,
                              survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    assert view.status == SurveyStatus.SUBMITTED and view.comment is None


async def test_a_question_is_shown_again_only_to_its_owner_and_only_while_open(
        db: SessionFactory, clock: FrozenClock) -> None:
    survey_id = await _sent_survey(db)
    view = await answerable_survey_view(db=db, survey_id=survey_id, telegram_user_id=OWNER)
    assert view.survey_id == survey_id and view.next_step == "overall"
    with pytest.raises(NotYourSurvey):
        await answerable_survey_view(db=db, survey_id=survey_id, telegram_user_id=OTHER)
    with pytest.raises(NotFound):
        await answerable_survey_view(db=db, survey_id=survey_id + 99, telegram_user_id=OWNER)
    await _answer_all(db, survey_id)
    await _submit(db, survey_id)
    with pytest.raises(SurveyClosed):
        await answerable_survey_view(db=db, survey_id=survey_id, telegram_user_id=OWNER)
