"""Survey links: who gets one, what the database keeps, expiry, and answering by link."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.web import settings_link_key
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig, WebConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import SurveyClosed
from surveys.models import (
    Complaint,
    OutboxMessage,
    Response,
    Survey,
    SurveyLink,
    SurveyStatus,
)
from surveys.people.binding import opt_out
from surveys.people.directory import add_owner
from surveys.survey.answers import record_rating, submit_survey
from surveys.survey.by_link import (
    LinkNotFound,
    LinkState,
    answer_by_link,
    open_link,
    surname_of,
)
from surveys.survey.links import ensure_link, list_links, token_for
from tests.fixtures.service_world import bind, close, setup_people
from tests.fixtures.web import (
    BOUND_USER,
    bound_survey_link,
    sent_survey_link,
    token_of,
    unbound_survey_link,
    web_settings,
)

ALL_FIVE = {"overall": 5, "attitude": 5, "clarity": 5, "timeliness": 5}
SETTINGS = web_settings()
KEY = settings_link_key(SETTINGS)


def _answer(db: SessionFactory, token: str, ratings: dict[str, int], comment: str | None = None
            ):  # type: ignore[no-untyped-def]
    return answer_by_link(db=db, key=KEY, token=token, ratings=ratings, comment=comment,
                          survey_config=SurveyConfig(), complaint_config=ComplaintConfig())


async def test_an_unbound_owners_survey_gets_a_link_and_counts_as_sent(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    link = await unbound_survey_link(db, SETTINGS)
    assert link.url.startswith("https://survey.example.com/s/") and len(token_of(link)) == 44
    async with db() as s:
        survey = await s.get(Survey, link.survey_id)
        stored = (await s.exec(select(SurveyLink))).one()
    assert survey is not None and survey.status == SurveyStatus.SENT
    assert survey.sent_at == clock() and survey.expires_at == clock() + timedelta(days=7)
    assert link.expires_at == survey.expires_at
    # Only the hash and nonce are stored; the token is nowhere in the row.
    assert token_of(link) not in (stored.token_hash, stored.nonce)
    assert token_for(KEY, link.survey_id, stored.nonce) == token_of(link)


async def test_asking_twice_gives_the_same_link(db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    first = await unbound_survey_link(db, SETTINGS)
    again = await ensure_link(db=db, key=KEY, survey_id=first.survey_id, config=SETTINGS.web,
                              survey_config=SurveyConfig())
    assert again == first
    async with db() as s:
        assert len((await s.exec(select(SurveyLink))).all()) == 1


async def test_bound_owners_get_a_link_only_when_configured(db: SessionFactory,
                                                            clock: FrozenClock) -> None:
    await setup_people(db)
    await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    await bind(db, BOUND_USER)
    result = await close(db)
    off = await ensure_link(db=db, key=KEY, survey_id=result.survey_id, config=SETTINGS.web,
                            survey_config=SurveyConfig())
    on = await ensure_link(db=db, key=KEY, survey_id=result.survey_id,
                           config=WebConfig(base_url="https://x.example", links_for_bound=True),
                           survey_config=SurveyConfig())
    assert off is None
    assert on is not None and on.survey_status == SurveyStatus.PENDING  # chat still sends it


async def test_no_link_without_a_base_url_or_for_an_opted_out_owner(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    result = await close(db)
    assert await ensure_link(db=db, key=KEY, survey_id=result.survey_id, config=WebConfig(),
                             survey_config=SurveyConfig()) is None
    await add_owner(db=db, community_code="GG", name="赵女士", phone="13900001111")
    await bind(db, 777, phone="13900001111")
    await opt_out(db=db, telegram_user_id=777)
    opted = await close(db, "WO-2", "13900001111")
    assert await ensure_link(db=db, key=KEY, survey_id=opted.survey_id,
                             config=WebConfig(base_url="https://x.example",
                                              links_for_bound=True),
                             survey_config=SurveyConfig()) is None


async def test_a_rating_left_out_is_asked_for_and_the_rest_is_kept(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    partial = await _answer(db, token, {"overall": 4, "attitude": 5})
    assert not partial.submitted and partial.missing == ("clarity", "timeliness")
    assert partial.survey.view.ratings["overall"] == 4
    done = await _answer(db, token, {"clarity": 4, "timeliness": 3})
    assert done.submitted and done.survey.state == LinkState.SUBMITTED
    assert done.survey.view.ratings == {"overall": 4, "attitude": 5, "clarity": 4,
                                        "timeliness": 3}


async def test_a_web_answer_is_recorded_as_channel_web_and_classified(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    result = await _answer(db, token, ALL_FIVE, comment="  师傅很及时，态度也很好  ")
    assert result.submitted and result.survey.channel == "web"
    async with db() as s:
        response = (await s.exec(select(Response))).one()
    assert response.channel == "web" and response.comment == "师傅很及时，态度也很好"
    assert response.classification is not None and response.submitted_at == clock()


async def test_a_low_rating_on_the_web_opens_a_complaint_for_the_credited_agent(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    result = await _answer(db, token, {**ALL_FIVE, "attitude": 1}, comment="态度太差")
    assert result.survey.low_rating
    async with db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.source == "low_rating" and "attitude" in complaint.tags
    assert complaint.text == "态度太差" and complaint.agent_id is not None


async def test_a_complaint_comment_with_good_stars_opens_a_complaint(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    await _answer(db, token, ALL_FIVE, comment="我要投诉，维修师傅态度恶劣，问题根本没解决")
    async with db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.source == "comment"


async def test_the_same_form_posted_again_changes_nothing(db: SessionFactory,
                                                          clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    first = await _answer(db, token, {**ALL_FIVE, "overall": 2}, comment="一般")
    again = await _answer(db, token, {**ALL_FIVE, "overall": 2}, comment="一般")
    assert first.submitted and again.submitted and again.repeated
    with pytest.raises(SurveyClosed):
        await _answer(db, token, ALL_FIVE, comment="其实很好")
    async with db() as s:
        response = (await s.exec(select(Response))).one()
        complaints = (await s.exec(select(Complaint))).all()
    assert response.overall == 2 and response.comment == "一般" and len(complaints) == 1


async def test_a_forged_or_foreign_key_link_is_not_found(db: SessionFactory,
                                                         clock: FrozenClock) -> None:
    await setup_people(db)
    link = await unbound_survey_link(db, SETTINGS)
    token = token_of(link)
    for bad in ("x" * 44, token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "",
                "../../etc/passwd", token + "A"):
        with pytest.raises(LinkNotFound):
            await open_link(db=db, key=KEY, token=bad, survey_config=SurveyConfig())
    with pytest.raises(LinkNotFound):
        await open_link(db=db, key=b"another deployment key".ljust(32, b"!"), token=token,
                        survey_config=SurveyConfig())


async def test_a_link_expires_with_its_survey(db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    token = token_of(await unbound_survey_link(db, SETTINGS))
    clock.advance(timedelta(days=7, seconds=1))
    opened = await open_link(db=db, key=KEY, token=token, survey_config=SurveyConfig())
    assert opened.state == LinkState.EXPIRED
    with pytest.raises(SurveyClosed):
        await _answer(db, token, ALL_FIVE)


async def test_answering_on_the_web_closes_the_chat_survey(db: SessionFactory,
                                                           clock: FrozenClock) -> None:
    await setup_people(db)
    link = await bound_survey_link(db, web_settings(links_for_bound=True))
    await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                        question="overall", rating=3)
    shown = await open_link(db=db, key=KEY, token=token_of(link), survey_config=SurveyConfig())
    assert shown.view.ratings["overall"] == 3  # the chat's stars are on the page
    await _answer(db, token_of(link), {**ALL_FIVE, "overall": 3})
    with pytest.raises(SurveyClosed):
        await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                            question="overall", rating=5)
    async with db() as s:
        edit = (await s.exec(select(OutboxMessage).where(
            OutboxMessage.kind == "survey_answered_on_web"))).one()
    assert edit.payload["message_id"] == 10 and edit.chat_id == BOUND_USER


async def test_answering_in_chat_closes_the_link(db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    link = await bound_survey_link(db, web_settings(links_for_bound=True))
    for question, rating in ALL_FIVE.items():
        await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                            question=question, rating=rating)
    await submit_survey(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                        survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    shown = await open_link(db=db, key=KEY, token=token_of(link), survey_config=SurveyConfig())
    assert shown.state == LinkState.SUBMITTED and shown.channel == "chat"
    with pytest.raises(SurveyClosed):
        await _answer(db, token_of(link), {**ALL_FIVE, "overall": 1})


async def test_chat_and_web_submitting_at_once_yield_one_submission(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    link = await bound_survey_link(db, web_settings(links_for_bound=True))
    for question, rating in ALL_FIVE.items():
        await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                            question=question, rating=rating)
    chat = submit_survey(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                         survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    outcomes = await asyncio.gather(chat, _answer(db, token_of(link), {**ALL_FIVE,
                                                                      "overall": 1}),
                                    return_exceptions=True)
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(winners) >= 1
    assert all(isinstance(o, SurveyClosed) for o in outcomes if isinstance(o, BaseException))
    async with db() as s:
        survey = await s.get(Survey, link.survey_id)
        response = (await s.exec(select(Response))).one()
        complaints = (await s.exec(select(Complaint))).all()
    assert survey is not None and survey.status == SurveyStatus.SUBMITTED
    # Whichever won, the stored answer is that channel's, and complaints match it.
    assert (response.channel, response.overall, len(complaints)) in {("chat", 5, 0),
                                                                      ("web", 1, 1)}


async def test_links_listing_issues_missing_links_and_skips_answered_ones(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    await close(db, "WO-1", "13812345678")
    await close(db, "WO-2", "13900001111")
    answered = await unbound_survey_link(db, SETTINGS, "WO-3", "13700002222")
    await _answer(db, token_of(answered), ALL_FIVE)
    rows = await list_links(db=db, key=KEY, since=clock() - timedelta(days=1),
                            config=SETTINGS.web, survey_config=SurveyConfig())
    assert [r.work_order_external_id for r in rows] == ["WO-1", "WO-2"]
    assert all(r.url.startswith("https://survey.example.com/s/") and r.status == "sent"
               for r in rows)
    again = await list_links(db=db, key=KEY, since=clock() - timedelta(days=1),
                             config=SETTINGS.web, survey_config=SurveyConfig())
    assert again == rows


@pytest.mark.parametrize(("name", "surname"), [("王先生", "王"), ("欧阳娜娜", "欧"),
                                                ("John Smith", "Smith"), ("业主", None),
                                                ("", None)])
def test_only_a_surname_is_taken_from_the_name(name: str, surname: str | None) -> None:
    assert surname_of(name) == surname


async def test_a_star_changed_in_chat_as_the_web_page_submits_is_judged_or_overwritten(
        db: SessionFactory, clock: FrozenClock) -> None:
    await setup_people(db)
    settings = web_settings(links_for_bound=True)
    links = [await bound_survey_link(db, settings)]
    links += [await sent_survey_link(db, settings, f"WO-{n}") for n in range(2, 7)]
    for n, link in enumerate(links):  # a race is won by chance: several surveys, raced once
        for question, rating in ALL_FIVE.items():
            await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                                question=question, rating=rating)
        await asyncio.gather(
            record_rating(db=db, survey_id=link.survey_id, telegram_user_id=BOUND_USER,
                          question="overall", rating=1),
            _answer(db, token_of(link), ALL_FIVE), return_exceptions=True)
        async with db() as s:
            response = (await s.exec(select(Response).where(
                Response.survey_id == link.survey_id))).one()
            complaints = (await s.exec(select(Complaint).where(
                Complaint.survey_id == link.survey_id))).all()
        # The page's five stars were judged; a 1 left in the row would count unjudged.
        assert (response.overall, len(complaints)) == (5, 0), n
