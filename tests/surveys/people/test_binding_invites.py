"""Binding by shared contact and by invite; opt-out; identify."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.core.errors import ForgedContact, InvalidInvite, NotBound, UnknownPhone
from surveys.models import Owner
from surveys.people.binding import (
    bind_owner_by_contact,
    create_invite,
    opt_in,
    opt_out,
    redeem_invite,
)
from surveys.people.directory import add_agent, add_owner
from surveys.people.identity import identify
from tests.fixtures.service_world import setup_people

SECRET = "invite-secret"


@pytest.fixture
async def owner(db: SessionFactory) -> Owner:
    await setup_people(db)
    return await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")


async def test_own_contact_binds_the_owner_with_that_phone(db: SessionFactory, owner: Owner
                                                           ) -> None:
    bound = await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42,
                                        phone="+86 138-1234-5678", contact_user_id=42,
                                        language="en")
    assert bound.owner.id == owner.id and bound.owner.telegram_user_id == 42
    assert bound.owner.chat_id == 42 and bound.homes == ("绿地花园",)
    me = await identify(db=db, telegram_user_id=42)
    assert me.owner_id == owner.id and me.roles == ("owner",) and me.locale == "en"


async def test_someone_elses_contact_is_forged_and_binds_nothing(db: SessionFactory,
                                                                owner: Owner) -> None:
    for contact_user_id in (43, None):
        with pytest.raises(ForgedContact):
            await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42,
                                        phone="13812345678", contact_user_id=contact_user_id)
    assert not (await identify(db=db, telegram_user_id=42)).bound


async def test_unknown_phone_binds_nothing(db: SessionFactory, owner: Owner) -> None:
    with pytest.raises(UnknownPhone):
        await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42,
                                    phone="13900000000", contact_user_id=42)
    assert not (await identify(db=db, telegram_user_id=42)).bound


async def test_binding_twice_is_harmless(db: SessionFactory, owner: Owner) -> None:
    for _ in range(2):
        await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42,
                                    phone="13812345678", contact_user_id=42)
    assert (await identify(db=db, telegram_user_id=42)).owner_id == owner.id


async def test_owner_invite_binds_without_a_phone_once(db: SessionFactory, owner: Owner) -> None:
    token = await create_invite(db=db, role="owner", subject_id=owner.id or 0,
                                ttl=timedelta(hours=1), secret=SECRET)
    assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    role, subject = await redeem_invite(db=db, token=token, telegram_user_id=7, chat_id=7,
                                        secret=SECRET)
    assert (role, subject) == ("owner", owner.id)
    # The same /start delivered twice is fine; another account cannot reuse the link.
    assert await redeem_invite(db=db, token=token, telegram_user_id=7, chat_id=7,
                               secret=SECRET) == (role, subject)
    with pytest.raises(InvalidInvite):
        await redeem_invite(db=db, token=token, telegram_user_id=8, chat_id=8, secret=SECRET)
    assert (await identify(db=db, telegram_user_id=8)).bound is False


async def test_expired_invite_is_refused(db: SessionFactory, owner: Owner,
                                         clock: FrozenClock) -> None:
    token = await create_invite(db=db, role="owner", subject_id=owner.id or 0, ttl=1.0,
                                secret=SECRET)
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(InvalidInvite, match="expired"):
        await redeem_invite(db=db, token=token, telegram_user_id=7, chat_id=7, secret=SECRET)


async def test_forged_or_garbled_invites_are_refused(db: SessionFactory, owner: Owner) -> None:
    token = await create_invite(db=db, role="owner", subject_id=owner.id or 0, ttl=1.0,
                                secret=SECRET)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "x" * 44, "", "../../etc", token + "x"):
        with pytest.raises(InvalidInvite):
            await redeem_invite(db=db, token=bad, telegram_user_id=7, chat_id=7, secret=SECRET)
    with pytest.raises(InvalidInvite):  # signed with another secret
        await redeem_invite(db=db, token=token, telegram_user_id=7, chat_id=7, secret="other")


async def test_agent_invite_binds_the_agent(db: SessionFactory, owner: Owner) -> None:
    agent = await add_agent(db=db, external_id="A-9", name="赵客服", community_code="GG")
    token = await create_invite(db=db, role="agent", subject_id=agent.id or 0, ttl=1.0,
                                secret=SECRET)
    await redeem_invite(db=db, token=token, telegram_user_id=9, chat_id=9, secret=SECRET)
    assert (await identify(db=db, telegram_user_id=9)).agent_id == agent.id


async def test_a_one_time_invite_opened_by_two_accounts_at_once_binds_one(
        db: SessionFactory, owner: Owner) -> None:
    agent = await add_agent(db=db, external_id="A-9", name="赵客服", community_code="GG")
    for first in range(10, 20, 2):  # a race is won by chance: several links, each raced once
        token = await create_invite(db=db, role="agent", subject_id=agent.id or 0, ttl=1.0,
                                    secret=SECRET)
        results = await asyncio.gather(*(
            redeem_invite(db=db, token=token, telegram_user_id=user, chat_id=user,
                          secret=SECRET) for user in (first, first + 1)),
            return_exceptions=True)
        winners = [user for user, r in zip((first, first + 1), results, strict=True)
                   if not isinstance(r, BaseException)]
        assert len(winners) == 1, results  # the other was told the link is used
        assert isinstance(next(r for r in results if isinstance(r, BaseException)),
                          InvalidInvite)
        assert (await identify(db=db, telegram_user_id=winners[0])).agent_id == agent.id


async def test_a_bound_owner_opts_out_and_back_in_and_an_unbound_one_cannot_opt_out(
        db: SessionFactory, owner: Owner) -> None:
    with pytest.raises(NotBound):
        await opt_out(db=db, telegram_user_id=42)
    await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42, phone="13812345678",
                                contact_user_id=42)
    await opt_out(db=db, telegram_user_id=42)
    assert (await identify(db=db, telegram_user_id=42)).opted_out
    await opt_in(db=db, telegram_user_id=42)
    assert not (await identify(db=db, telegram_user_id=42)).opted_out


async def test_an_invite_moving_a_home_from_another_account_records_when_it_moved(
        db: SessionFactory, owner: Owner, clock: FrozenClock) -> None:
    assert owner.id is not None
    await bind_owner_by_contact(db=db, telegram_user_id=42, chat_id=42, phone="13812345678",
                                contact_user_id=42)
    for _ in range(2):  # moved to account 7, then 7 opens another link
        clock.advance(timedelta(minutes=5))
        token = await create_invite(db=db, role="owner", subject_id=owner.id, ttl=1,
                                    secret=SECRET)
        await redeem_invite(db=db, token=token, telegram_user_id=7, chat_id=7,
                            secret=SECRET)
    async with db() as s:
        moved = await s.get(Owner, owner.id)
    assert moved is not None and moved.telegram_user_id == 7
    assert moved.moved_at == clock() - timedelta(minutes=5)  # the move, not the repeat
    assert moved.bound_at == moved.moved_at
