"""The points report's counts on a generated month equal the same counts taken in Python
from the records: surveys sent per agent, their counted responses' sums (with the
staff-entered part), voided answers, the responses per channel, closed orders per agent and
the 回访率, the orders and repeats by category, building and agent — whole company and each
community, through drafts, late answers, appeals, voided 回访 and reassigned orders."""

from __future__ import annotations

from datetime import datetime
from itertools import product

import pytest

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.breakdowns import load_breakdowns
from surveys.assessment.order_pass import order_pass
from surveys.assessment.reports import team_report
from surveys.assessment.revisit_rates import revisit_rates
from surveys.assessment.stats import period_counts, survey_counts
from surveys.assessment.views import team_view
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.month_data import (
    END,
    START,
    Month,
    build_month,
    expected_closed,
    expected_counts,
    expected_groups,
)


@pytest.fixture
async def month(db: SessionFactory) -> Month:
    return await build_month(db)


def _nonzero(counts: dict[int, dict[str, object]]) -> dict[int, dict[str, int]]:
    return {agent: {k: v for k, v in c.items() if isinstance(v, int) and v}
            for agent, c in counts.items()}


async def test_survey_sums_and_channels_equal_the_records_counted_one_by_one(
        db: SessionFactory, month: Month) -> None:
    for community_id, staff_split in product((None, *month.communities), (False, True)):
        async with db() as s:
            counts, channels = await survey_counts(
                await s.connection(), start=START, end=END, csat_min_rating=4,
                community_id=community_id, staff_split=staff_split)
        agents, by_channel = expected_counts(month, community_id=community_id,
                                             staff_split=staff_split)
        assert _nonzero(counts) == agents
        assert channels == by_channel
        assert sum(by_channel.values()) > 20 and len(by_channel) == 4  # the data has them all


async def test_the_team_report_lists_the_channels_its_points_counted(
        db: SessionFactory, month: Month) -> None:
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    for community_id in (None, *month.communities):
        report = await team_report(db=db, period=period, config=PointsConfig(),
                                   community_id=community_id)
        async with db() as s:
            counts = await period_counts(s, start=START, end=END, as_of=period.end,
                                         community_id=community_id)
        assert report.channels == counts.channels
        assert sum(report.channels.values()) == sum(st.responses for st in counts.stats)
        assert report.team.responses == sum(st.responses for st in counts.stats)


async def test_closed_orders_and_revisit_rates_equal_the_records_counted_one_by_one(
        db: SessionFactory, month: Month, clock: FrozenClock) -> None:
    clock.current = datetime(2026, 12, 5, 12, 0)  # November awaits its close
    period = parse_period("2026-11", timezone="Asia/Shanghai")
    names = {cid: f"小区{n}" for n, cid in enumerate(month.communities, start=1)}
    for community_id in (None, *month.communities):
        closed, communities, agents = expected_closed(month, community_id=community_id)
        async with db() as s:
            both = (await order_pass(await s.connection(), start=START, end=END,
                                     community_id=community_id)).closed
        assert both.per_agent == closed
        assert both.revisits.communities == {names[c]: r for c, r in communities.items()}
        assert both.revisits.agents == agents
        assert await revisit_rates(db=db, period=period, community_id=community_id) == \
            both.revisits
        view = await team_view(db=db, period=period, current=PointsConfig(),
                               community_id=community_id)
        assert view.revisits == both.revisits
        assert {r.agent_id: r.closed_orders for r in view.rows if r.closed_orders} == closed


async def test_one_pass_counts_the_orders_by_group_as_the_records_and_the_grouped_query(
        db: SessionFactory, month: Month) -> None:
    for community_id in (None, *month.communities):
        async with db() as s:
            passed = await order_pass(await s.connection(), start=START, end=END,
                                      community_id=community_id)
        expected = expected_groups(month, community_id=community_id)
        assert passed.groups == expected
        assert sum(r for _, r in expected.values()) > 10 and len(expected) > 20
        assert await load_breakdowns(db=db, start=START, end=END, community_id=community_id,
                                     orders=passed.groups) == \
            await load_breakdowns(db=db, start=START, end=END, community_id=community_id)
