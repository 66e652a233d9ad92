"""One Telegram account holding several homes (owner rows): binding, choices, erasure."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from surveys.complaints.opening import open_direct
from surveys.complaints.queries import check_owner_may_write
from surveys.core import clock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound, PhoneBoundElsewhere
from surveys.intake.close import close_work_order
from surveys.models import Owner
from surveys.people.binding import (
    bind_owner_by_contact,
    create_invite,
    opt_in,
    opt_out,
    redeem_invite,
    set_language,
)
from surveys.people.directory import add_community, add_owner
from surveys.people.homes import account_homes, complaint_home
from surveys.people.identity import identify
from surveys.people.language import choose_language
from surveys.survey.forget import forget_owner
from surveys.survey.views import get_survey_view
from tests.fixtures.service_world import order, setup_people

PHONE = "13812345678"
SECRET = "invite-secret"


@pytest.fixture
async def two_homes(db: SessionFactory) -> tuple[Owner, Owner]:
    """王先生 with one phone on two homes: 绿地花园 3-1201 and 阳光小区 8-502."""
    await setup_people(db)
    await add_community(db=db, code="YG", name="阳光小区")
    first = await add_owner(db=db, community_code="GG", name="王先生", phone=PHONE,
                            building="3", room="1201")
    second = await add_owner(db=db, community_code="YG", name="王先生", phone=PHONE,
                             building="8", room="502")
    return first, second


async def _share(db: SessionFactory, user: int, phone: str = PHONE) -> object:
    return await bind_owner_by_contact(db=db, telegram_user_id=user, chat_id=user, phone=phone,
                                       contact_user_id=user, language="zh_CN")


async def test_sharing_ones_phone_binds_every_home_with_that_phone(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    bound = await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42, phone=PHONE,
                                        contact_user_id=42)
    assert (bound.bound, bound.newly_bound, bound.held_elsewhere) == (2, 2, 0)
    assert bound.homes == ("绿地花园 3-1201", "阳光小区 8-502")
    me = await identify(db=db, telegram_user_id=42)
    assert me.owner_ids == tuple(o.id for o in two_homes) and me.owner_id == two_homes[0].id


async def test_sharing_the_contact_again_or_twice_at_once_binds_each_home_once(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    await asyncio.gather(_share(db, 42), _share(db, 42))
    again = await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42, phone=PHONE,
                                        contact_user_id=42)
    assert (again.bound, again.newly_bound) == (2, 0)
    assert [h.owner_id for h in await account_homes(db=db, telegram_user_id=42)] == [
        o.id for o in two_homes]


async def test_a_phone_whose_homes_another_account_holds_is_refused_and_they_stay(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    # A recycled or borrowed number: the account already bound keeps the homes; the new one
    # is told to ask the property office for an invite (the office checks who owns them).
    await _share(db, 42)
    with pytest.raises(PhoneBoundElsewhere):
        await _share(db, 43)
    assert len((await identify(db=db, telegram_user_id=42)).owner_ids) == 2
    assert not (await identify(db=db, telegram_user_id=43)).bound


async def test_a_share_binds_the_free_homes_and_leaves_those_held_elsewhere(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    token = await create_invite(db=db, role="owner", subject_id=two_homes[0].id or 0,
                                ttl=timedelta(hours=1), secret=SECRET)
    await redeem_invite(db=db, token=token, telegram_user_id=42, chat_id=42, secret=SECRET)
    bound = await bind_owner_by_contact(db=db, telegram_user_id=43, chat_id=43, phone=PHONE,
                                        contact_user_id=43)
    assert (bound.bound, bound.held_elsewhere, bound.homes) == (1, 1, ("阳光小区 8-502",))
    assert (await identify(db=db, telegram_user_id=42)).owner_ids == (two_homes[0].id,)


async def test_an_invite_adds_its_home_to_an_account_holding_others_with_its_choices(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    third = await add_owner(db=db, community_code="GG", name="王太太", phone="13900000001",
                            building="5", room="101")
    await _share(db, 42)
    await set_language(db=db, telegram_user_id=42, language="en")
    await opt_out(db=db, telegram_user_id=42)
    token = await create_invite(db=db, role="owner", subject_id=third.id or 0,
                                ttl=timedelta(hours=1), secret=SECRET)
    await redeem_invite(db=db, token=token, telegram_user_id=42, chat_id=42, secret=SECRET)
    me = await identify(db=db, telegram_user_id=42)
    assert me.owner_ids == (two_homes[0].id, two_homes[1].id, third.id)
    # The new home does not bring back surveys the account stopped, and speaks its language.
    assert me.opted_out and me.locale == "en"


async def test_stop_start_and_language_apply_to_every_home_of_the_account(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    await _share(db, 42)
    await opt_out(db=db, telegram_user_id=42)
    chosen = await choose_language(db=db, telegram_user_id=42, language="en")
    assert chosen.changed and chosen.bound
    async with db() as s:
        rows = [await s.get(Owner, o.id) for o in two_homes]
        assert all(r is not None and r.opted_out and r.language == "en" for r in rows)
    await opt_in(db=db, telegram_user_id=42)
    async with db() as s:
        rows = [await s.get(Owner, o.id, populate_existing=True) for o in two_homes]
        assert not any(r is None or r.opted_out for r in rows)


async def test_a_survey_names_its_home_only_when_the_account_holds_several(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    closed = await close_work_order(db=db, order=order("WO-1", PHONE),
                                    survey_config=SurveyConfig())
    assert (await get_survey_view(db=db, survey_id=closed.survey_id)).home is None  # unbound
    await _share(db, 42)
    view = await get_survey_view(db=db, survey_id=closed.survey_id)
    assert view.home == "绿地花园 3-1201"


async def test_a_single_home_survey_is_not_named(db: SessionFactory) -> None:
    await setup_people(db)
    await add_owner(db=db, community_code="GG", name="王先生", phone=PHONE,
                    building="3", room="1201")
    await _share(db, 42)
    closed = await close_work_order(db=db, order=order("WO-1", PHONE),
                                    survey_config=SurveyConfig())
    assert (await get_survey_view(db=db, survey_id=closed.survey_id)).home is None


async def test_forget_erases_every_home_the_account_holds(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    await _share(db, 42)
    assert await forget_owner(db=db, telegram_user_id=42) == two_homes[0].id
    async with db() as s:
        rows = [await s.get(Owner, o.id, populate_existing=True) for o in two_homes]
        assert all(r is not None and r.forgotten_at is not None and r.phone is None
                   and r.telegram_user_id is None for r in rows)
    assert not (await identify(db=db, telegram_user_id=42)).bound


async def test_a_direct_complaint_goes_to_the_home_whose_order_closed_last_and_either_home_may_follow_it(  # noqa: E501
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    await _share(db, 42)
    now = clock.now()
    for number, community, hours_ago in (("WO-1", "GG", 3), ("WO-2", "YG", 1)):
        await close_work_order(db=db, order=order(
            number, PHONE, community_code=community,
            closed_at=(now - timedelta(hours=hours_ago)).isoformat()),
            survey_config=SurveyConfig())
    complaint = await open_direct(db=db, telegram_user_id=42, text="楼道灯又坏了",
                                  complaint_config=ComplaintConfig())
    assert complaint.owner_id == two_homes[1].id  # 阳光小区's order closed last
    named = await complaint_home(db=db, complaint_id=complaint.id or 0)
    assert named is not None and named.label == "阳光小区 8-502"
    await check_owner_may_write(db=db, complaint_id=complaint.id or 0,
                                owner_telegram_user_id=42)
    with pytest.raises(NotFound):
        await check_owner_may_write(db=db, complaint_id=complaint.id or 0,
                                    owner_telegram_user_id=43)


async def test_two_accounts_sharing_one_number_at_once_leave_the_homes_with_one_of_them(
        db: SessionFactory, two_homes: tuple[Owner, Owner]) -> None:
    results = await asyncio.gather(_share(db, 42), _share(db, 43), return_exceptions=True)
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], PhoneBoundElsewhere), results
    holders = {(await identify(db=db, telegram_user_id=u)).owner_ids for u in (42, 43)}
    assert holders == {(), tuple(o.id for o in two_homes)}
