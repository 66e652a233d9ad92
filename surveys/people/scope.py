"""What a community-limited manager oversees: the work of the agents of that community.

Reports, exports, complaints, appeals and alerts all follow this one rule. An agent with no
community (a company-wide agent), or a complaint with no agent, is overseen through the
owner's community instead.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import and_, col, or_, select

from surveys.core.db import SessionFactory
from surveys.core.ids import may_name_a_row
from surveys.models import Agent, Complaint, Owner


def oversight_community(agent: Agent | None, owner: Owner) -> int:
    """Return the community whose managers oversee a record of this agent and owner."""
    if agent is not None and agent.community_id is not None:
        return agent.community_id
    return owner.community_id


def complaint_in_community(community_id: int) -> Any:
    """Return a SQL condition: the complaint is overseen by the community's managers."""
    agents = select(Agent.id).where(Agent.community_id == community_id)
    floating = select(Agent.id).where(col(Agent.community_id).is_(None))
    owners = select(Owner.id).where(Owner.community_id == community_id)
    return or_(
        col(Complaint.agent_id).in_(agents),
        and_(
            or_(col(Complaint.agent_id).is_(None), col(Complaint.agent_id).in_(floating)),
            col(Complaint.owner_id).in_(owners),
        ),
    )


async def find_agents(*, db: SessionFactory, name: str, community_id: int | None,
                      limit: int = 10) -> list[Agent]:
    """Return the agents a manager of `community_id` (None: all) means by a name or staff id.

    An exact name or staff id wins, then a numeric id; otherwise agents whose name contains
    the words. The bot's /agent and `ownervoice report --agent` both read a name this way.
    """
    scope = [Agent.community_id == community_id] if community_id is not None else []
    async with db() as s:
        exact = select(Agent).where(or_(Agent.name == name, Agent.external_id == name), *scope)
        found = list((await s.exec(exact)).all())
        if not found and name.isdecimal() and may_name_a_row(int(name)):
            found = list((await s.exec(select(Agent).where(Agent.id == int(name), *scope))).all())
        if not found:
            # autoescape: a % or _ in the words is a character, not a LIKE wildcard.
            words = col(Agent.name).contains(name, autoescape=True)
            like = select(Agent).where(words, *scope).limit(limit)
            found = list((await s.exec(like)).all())
    return found


async def agent_in_community(*, db: SessionFactory, agent_id: int, community_id: int | None
                             ) -> bool:
    """Tell whether a manager of `community_id` (None: every community) oversees the agent."""
    if community_id is None:
        return True
    async with db() as s:
        agent = await s.get(Agent, agent_id)
    return agent is not None and agent.community_id == community_id
