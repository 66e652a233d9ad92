"""Binding an owner in chat: contact sharing, forged contacts, unknown phones, invites."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Owner
from tests.fixtures.chat import OWNERS, running_bot


async def _owner(h, phone: str) -> Owner:  # type: ignore[no-untyped-def]
    async with h.db() as s:
        return (await s.exec(select(Owner).where(Owner.phone == phone))).one()


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
