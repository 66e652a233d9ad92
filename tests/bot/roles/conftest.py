"""Staff in chat: agents and a manager bound through invite links, on top of the harness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import select

from surveys.models import Agent
from surveys.people.binding import create_invite
from surveys.people.staffing import add_manager
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, Person, buttons

SECRET = "test-invite-secret"
AGENT_A = Person(7001, "王晓梅", "13700000001")
AGENT_B = Person(7002, "李建国", "13700000002")
MANAGER = Person(8001, "赵经理", "13600000001")
MANAGER_EN = Person(8002, "Manager Lee", "13600000002", language_code="en")


async def invite(h: Harness, role: str, subject_id: int, ttl: timedelta = timedelta(hours=1)
                 ) -> str:
    """Create a one-time invite token."""
    return await create_invite(db=h.db, role=role, subject_id=subject_id, ttl=ttl,
                               secret=SECRET)


async def agent_id(h: Harness, external_id: str) -> int:
    """Return the id of a seeded agent."""
    async with h.db() as s:
        agent = (await s.exec(select(Agent).where(Agent.external_id == external_id))).one()
        assert agent.id is not None
        return agent.id


@dataclass
class Staffed:
    """The seeded world with bound staff sessions."""

    h: Harness
    agent: OwnerSession
    agent_b: OwnerSession
    manager: OwnerSession
    manager_id: int


async def staff_world(h: Harness, *, manager_community: str | None = "sunny") -> Staffed:
    """Seed, then bind agents A001, A002 and a manager of 阳光花园 through invite links."""
    await h.seed()
    agent = h.owner(AGENT_A)
    agent_b = h.owner(AGENT_B)
    manager = h.owner(MANAGER)
    await agent.send(f"/start {await invite(h, 'agent', await agent_id(h, 'A001'))}")
    await agent_b.send(f"/start {await invite(h, 'agent', await agent_id(h, 'A002'))}")
    row = await add_manager(db=h.db, name=MANAGER.name, community_code=manager_community)
    assert row.id is not None
    await manager.send(f"/start {await invite(h, 'manager', row.id)}")
    return Staffed(h, agent, agent_b, manager, row.id)


async def comment_in_chat(h: Harness, order: str | None = None, *, title: str,
                          stars: tuple[int, ...], words: str,
                          person: Person = OWNERS[0]) -> OwnerSession:
    """Bind the owner, close an order credited to A001, rate it and send `words`."""
    owner = h.owner(person)
    await owner.bind()
    await h.close_order(person, order, title=title)
    survey = await owner.wait_survey()
    await owner.rate(survey["message_id"], *stars)
    await owner.send(words)
    return owner


async def complaint_in_chat(world: Staffed, order: str, *, title: str, stars: tuple[int, ...],
                            words: str, person: Person = OWNERS[0]
                            ) -> tuple[OwnerSession, dict[str, Any]]:
    """Open a complaint by a low rating and words; return the owner and the agent's card."""
    owner = await comment_in_chat(world.h, order, title=title, stars=stars, words=words,
                                  person=person)
    card = await world.h.client.wait_for_message(world.h.token, world.agent.chat_id,
                                                 contains=order)
    return owner, card


async def last_text(session: OwnerSession) -> str:
    """Return the text of the session's last bot message."""
    messages = await session.messages()
    return str(messages[-1]["text"] or messages[-1].get("caption") or "")


def texts(messages: list[dict[str, Any]]) -> list[str]:
    """Return the texts of messages."""
    return [str(m.get("text") or m.get("caption") or "") for m in messages]


async def press(session: OwnerSession, message_id: int, label: str) -> dict[str, Any]:
    """Tap the button whose label contains `label`; return the message afterwards."""
    message = await session.message(message_id)
    for row in buttons(message):
        for b in row:
            if label in b["text"]:
                await session.tap_data(message_id, str(b["callback_data"]))
                return await session.message(message_id)
    raise AssertionError(f"no button {label!r} in {message.get('reply_markup')}")
