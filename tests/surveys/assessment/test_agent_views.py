"""Several agents' reports at once (the workbook's sheets) are each agent's own report, with
each team computed once: open, awaiting close and closed months, two communities."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.views import agent_view, agent_views
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV = parse_period("2026-11", timezone=TZ)
IN_NOV = datetime(2026, 11, 10, 2, 0)
AFTER_WINDOW = NOV.end + timedelta(days=3, minutes=1)
CONFIG = PointsConfig()


async def agents(db: SessionFactory) -> list[int]:
    """Agents of two communities with November orders, one of them without any."""
    d = PointsData(db)
    here, there = await d.community("C1", "阳光花园"), await d.community("C2", "海韵")
    ids = [await d.agent("A1", "王晓梅", here), await d.agent("B1", "李建国", here),
           await d.agent("C1", "外区", there), await d.agent("D1", "新人", here)]
    for n, (agent, community) in enumerate([(ids[0], here), (ids[0], here), (ids[1], here),
                                            (ids[2], there)]):
        owner = await d.owner(community)
        made = await d.order(agent_id=agent, owner_id=owner, community_id=community,
                             closed_at=IN_NOV + timedelta(days=n), sent_at=IN_NOV,
                             ratings=(2 if n == 1 else 5, 4, 4, 3))
        if n == 1:
            await d.complaint(agent_id=agent, owner_id=owner, opened_at=IN_NOV,
                              ack_after=timedelta(hours=2), work_order_id=made.work_order_id,
                              survey_id=made.survey_id)
    return ids


@pytest.mark.parametrize("when", ["open", "awaiting close", "closed"])
async def test_several_agents_reports_are_each_agents_own_report(
    db: SessionFactory, when: str
) -> None:
    ids = await agents(db)
    now = {"open": IN_NOV + timedelta(days=5), "awaiting close": AFTER_WINDOW,
           "closed": AFTER_WINDOW}[when]
    if when == "closed":
        await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                           closer=Closer(role="admin", id=None, name="admin"), now=now)
    order = [ids[2], ids[0], ids[3], ids[1]]  # communities interleaved
    together = await agent_views(db=db, agent_ids=order, period=NOV, current=CONFIG, now=now)
    one_by_one = [await agent_view(db=db, agent_id=a, period=NOV, current=CONFIG, now=now,
                                   live_extras=False) for a in order]
    assert together == one_by_one
    assert [r.points.agent_id for r in together] == order
    assert together[1].points.complaints == 1 and together[0].team_size == 1


async def test_an_unknown_agent_among_several_is_not_found(db: SessionFactory) -> None:
    ids = await agents(db)
    with pytest.raises(NotFound):
        await agent_views(db=db, agent_ids=[ids[0], 999_999], period=NOV, current=CONFIG,
                          now=AFTER_WINDOW)
