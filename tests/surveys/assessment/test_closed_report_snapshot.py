"""A closed month's report reads its response and resolution times and its views by category
and building from the snapshot stored at close: the same text, byte for byte, as computing
them from the records, and unchanged by a record that arrives after the close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from bot.i18n import translator
from bot.render.breakdowns import render_breakdowns
from bot.render.reports import render_team_report
from bot.render.timeliness import timeliness_lines
from scoring.categories import CategoryConfig
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.snapshot_extras import GROUPS_KEY, TIMES_KEY
from surveys.assessment.views import breakdowns_view, team_view
from surveys.core.db import SessionFactory
from surveys.models import SnapshotTeam, WorkOrder
from tests.fixtures.points_data import PointsData

TZ = "Asia/Shanghai"
NOV = parse_period("2026-11", timezone=TZ)
IN_NOV = datetime(2026, 11, 10, 2, 0)
AFTER_WINDOW = NOV.end + timedelta(days=3, minutes=1)
CONFIG = PointsConfig()
CATEGORIES = CategoryConfig()
# agent, category, building, urgent, hours to the first action (None: not sent), to closing
PLAN = [
    ("a", "elevator", "1", True, 1.0, 20.0), ("a", "elevator", "2", True, 3.0, 30.0),
    ("a", "cleaning", "10", False, None, 50.0), ("b", None, "2", False, 0.5, 2.0),
    ("b", "water_power", None, False, 6.25, 41.5), ("c", "elevator", "1", True, 9.0, 90.0),
]


async def world(db: SessionFactory) -> dict[str, int]:
    """Two communities with timed, grouped November orders, a complaint and a repeat."""
    d = PointsData(db)
    here, there = await d.community("C1", "阳光花园"), await d.community("C2", "海韵")
    ids = {"here": here, "there": there, "a": await d.agent("A1", "王晓梅", here),
           "b": await d.agent("B1", "李建国", here), "c": await d.agent("C1", "外区", there)}
    for n, (who, category, building, urgent, respond, resolve) in enumerate(PLAN):
        community = there if who == "c" else here
        owner = await d.owner(community)
        closed = IN_NOV + timedelta(days=n, hours=resolve)
        made = await d.order(agent_id=ids[who], owner_id=owner, community_id=community,
                             closed_at=closed, sent_at=closed, ratings=(2 if n == 1 else 4,
                                                                        4, 5, 3))
        async with db() as s, s.begin():
            order = await s.get(WorkOrder, made.work_order_id)
            assert order is not None
            order.category, order.building = category, building
            order.urgency = "urgent" if urgent else "normal"
            order.opened_at = closed - timedelta(hours=resolve)
            order.first_action_at = (order.opened_at + timedelta(hours=respond)
                                     if respond is not None else None)
            order.occurrence = 2 if n == 1 else 1
        if n == 1:
            await d.complaint(agent_id=ids[who], owner_id=owner, opened_at=closed,
                              ack_after=timedelta(hours=1), work_order_id=made.work_order_id,
                              survey_id=made.survey_id)
    await close_period(db=db, period=NOV, current=CONFIG, timezone=TZ,
                       closer=Closer(role="admin", id=None, name="admin"), now=AFTER_WINDOW)
    return ids


async def report_text(db: SessionFactory, community_id: int | None, locale: str) -> str:
    """The manager's /report of November, as the bot renders it."""
    tr = translator(locale)
    team = await team_view(db=db, period=NOV, current=CONFIG, community_id=community_id,
                           now=AFTER_WINDOW)
    groups = await breakdowns_view(db=db, period=NOV, current=CONFIG, community_id=community_id,
                                   category_order=CATEGORIES.codes(), now=AFTER_WINDOW)
    return render_team_report(team, tr) + "\n\n" + render_breakdowns(groups, tr, CATEGORIES)


async def forget_stored_sections(db: SessionFactory) -> int:
    """Make the snapshot one closed before the sections were stored; the rows changed."""
    async with db() as s, s.begin():
        teams = (await s.exec(select(SnapshotTeam))).all()
        for team in teams:
            assert TIMES_KEY in team.team and GROUPS_KEY in team.team
            team.team = {k: v for k, v in team.team.items() if k not in (TIMES_KEY, GROUPS_KEY)}
            s.add(team)
    return len(teams)


@pytest.mark.parametrize("scope", ["company", "community"])
async def test_a_closed_months_report_from_its_snapshot_is_byte_identical_to_recomputing_it(
    db: SessionFactory, scope: str
) -> None:
    ids = await world(db)
    community_id = ids["here"] if scope == "community" else None
    stored = {loc: await report_text(db, community_id, loc) for loc in ("zh_CN", "en")}
    assert "客观时效" in stored["zh_CN"] and "By category" in stored["en"]
    assert await forget_stored_sections(db) == 3  # the company and both communities
    for locale, text in stored.items():
        assert await report_text(db, community_id, locale) == text


async def times_and_views(db: SessionFactory) -> str:
    """The report's times and views of November (its 回访率 stays live by design)."""
    tr = translator("en")
    team = await team_view(db=db, period=NOV, current=CONFIG, now=AFTER_WINDOW)
    groups = await breakdowns_view(db=db, period=NOV, current=CONFIG,
                                   category_order=CATEGORIES.codes(), now=AFTER_WINDOW)
    return "\n".join(timeliness_lines(tr, team.timeliness, team.rows)) + render_breakdowns(
        groups, tr, CATEGORIES)


async def test_an_order_imported_after_the_close_leaves_the_closed_times_and_views_as_they_were(
    db: SessionFactory,
) -> None:
    ids = await world(db)
    before = await times_and_views(db)
    d = PointsData(db)
    late = await d.order(agent_id=ids["a"], owner_id=await d.owner(ids["here"]),
                         community_id=ids["here"], closed_at=IN_NOV, sent_at=IN_NOV,
                         ratings=(1, 1, 1, 1))
    async with db() as s, s.begin():
        order = await s.get(WorkOrder, late.work_order_id)
        assert order is not None
        order.category, order.building = "parking", "7"
    assert await times_and_views(db) == before
    await forget_stored_sections(db)
    recomputed = await times_and_views(db)  # live now: the late order shows
    assert recomputed != before and "Parking" in recomputed
