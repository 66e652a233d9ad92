"""What a community-limited manager oversees: the work of the agents of that community.

Reports, exports, complaints, appeals and alerts all follow this one rule. An agent with no
community (a company-wide agent), or a complaint with no agent, is overseen through the
owner's community instead.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import and_, col, or_, select

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
