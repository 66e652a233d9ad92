"""A community's export holds exactly the records of the agents its team report ranks."""

from __future__ import annotations

from datetime import datetime, timedelta

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.exports import load_export
from surveys.core.db import SessionFactory
from tests.fixtures.points_data import PointsData

WEEK = parse_period("2026-W47")
MONDAY = datetime(2026, 11, 16, 2, 0)  # 10:00 in Shanghai


async def _two_communities(db: SessionFactory) -> tuple[int, int]:
    """Sunny's agent 王晓梅 and Lake's agent 孙磊, each also serving the other's owners."""
    data = PointsData(db)
    sunny = await data.community("sunny", "阳光花园")
    lake = await data.community("lake", "湖畔家园")
    wang = await data.agent("A001", "王晓梅", sunny)
    sun = await data.agent("B001", "孙磊", lake)
    # Each agent serves one owner at home and one in the other community (a stand-in).
    plan = [(wang, sunny, (5, 5, 5, 5)), (wang, lake, (4, 4, 4, 4)),
            (sun, lake, (3, 3, 3, 3)), (sun, sunny, (2, 2, 2, 2))]
    for i, (agent, community, ratings) in enumerate(plan):
        owner = await data.owner(community)
        when = MONDAY + timedelta(hours=3 * i)
        await data.order(agent_id=agent, owner_id=owner, community_id=community,
                         closed_at=when, sent_at=when, ratings=ratings)
        await data.complaint(agent_id=agent, owner_id=owner,
                             opened_at=when + timedelta(hours=2))
    return sunny, lake


async def test_community_export_rows_follow_the_agents_community_like_the_report(
        db: SessionFactory) -> None:
    sunny, lake = await _two_communities(db)
    for community, agent in ((sunny, "王晓梅"), (lake, "孙磊")):
        data = await load_export(db=db, period=WEEK, config=PointsConfig(),
                                 community_id=community, trend=False)
        assert [r.name for r in data.team.rows] == [agent]
        assert [a.points.name for a in data.agents] == [agent]
        # Both of the agent's records, the cross-community one included; none of the other's.
        assert [r.agent for r in data.responses] == [agent, agent]
        assert [c.agent for c in data.complaints] == [agent, agent]


async def test_export_without_a_community_holds_every_record(db: SessionFactory) -> None:
    await _two_communities(db)
    data = await load_export(db=db, period=WEEK, config=PointsConfig(), trend=False)
    assert sorted(r.name for r in data.team.rows) == ["孙磊", "王晓梅"]
    assert len(data.responses) == 4 and len(data.complaints) == 4
