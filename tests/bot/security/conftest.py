"""Helpers shared by the security tests: a complaint card in an agent's chat, button data."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from surveys.models import Complaint
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, Person


async def complaint_card(h: Harness, agent: OwnerSession, person: Person = OWNERS[0]
                          ) -> tuple[OwnerSession, dict[str, Any], int]:
    """Bind the owner, let them rate A001's order low; return (owner, agent's card, id)."""
    owner, _, survey = await h.owner_with_survey(person, f"WO-SEC-{person.user_id}",
                                                 title="门禁卡失灵")
    await owner.rate(survey["message_id"], 1, 1, 2, 1)
    await owner.send("服务态度太差了")
    card = await h.client.wait_for_message(h.token, agent.chat_id, contains="门禁卡失灵")
    await h.outbox_idle()
    async with h.db() as s:
        cid = (await s.exec(select(Complaint.id).where(
            col(Complaint.text) == "服务态度太差了"))).one()
    return owner, card, cid


def data_of(message: dict[str, Any], label: str) -> str:
    """Return the callback data of the button whose label contains `label`."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label!r} in {message.get('reply_markup')}")
