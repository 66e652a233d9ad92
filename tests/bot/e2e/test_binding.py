"""Binding an owner in chat: contact sharing, forged contacts, unknown phones, invites."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Owner
from tests.fixtures.chat import OWNERS, STRANGER, running_bot


async def _owner(h, phone: str) -> Owner:  # type: ignore[no-untyped-def]
    async with h.db() as s:
        return (await s.exec(select(Owner).where(Owner.phone == phone))).one()


async def test_start_offers_a_share_contact_button(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        reply = await h.owner(OWNERS[0]).send("/start")
        keyboard = reply["reply_markup"]["keyboard"]
        assert keyboard[0][0]["request_contact"] is True
        assert "手机号码" in reply["text"]


async def test_sharing_own_contact_binds_the_owner(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        reply = await h.owner(OWNERS[0]).bind()
        assert "绑定成功" in reply["text"]
        owner = await _owner(h, OWNERS[0].phone)
        assert owner.telegram_user_id == OWNERS[0].user_id


async def test_forged_contact_is_refused_and_binds_nobody(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        mallory = h.owner(OWNERS[1])
        await mallory.send("/start")
        reply = await mallory.share_contact(OWNERS[0].phone, contact_user_id=OWNERS[0].user_id)
        assert "本人" in reply["text"]
        owner = await _owner(h, OWNERS[0].phone)
        assert owner.telegram_user_id is None


async def test_unknown_phone_gets_a_polite_refusal(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        stranger = h.owner(STRANGER)
        await stranger.send("/start")
        reply = await stranger.share_contact()
        assert "没有找到" in reply["text"]


async def test_english_telegram_user_is_answered_in_english(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        reply = await h.owner(OWNERS[2]).send("/start")
        assert "share your phone number" in reply["text"]


async def test_invite_deep_link_binds_without_a_phone(db_url: str) -> None:
    from datetime import timedelta

    from surveys.people.binding import create_invite

    async with running_bot(db_url) as h:
        await h.seed()
        owner = await _owner(h, OWNERS[1].phone)
        token = await create_invite(db=h.db, role="owner", subject_id=owner.id,
                                    ttl=timedelta(hours=1), secret="test-invite-secret")
        session = h.owner(OWNERS[1])
        reply = await session.send(f"/start {token}")
        assert "绑定成功" in reply["text"]
        assert (await _owner(h, OWNERS[1].phone)).telegram_user_id == OWNERS[1].user_id
        again = await h.owner(OWNERS[0]).send(f"/start {token}")
        assert "无效" in again["text"]
