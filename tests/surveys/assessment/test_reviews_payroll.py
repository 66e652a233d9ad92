"""Reviews are refused outside one's scope, outside 1–5 and after close; a missing review
never counts as zero; the payroll file keeps text as text (no formula runs)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.payroll import build_csv, build_xlsx
from surveys.assessment.cycle import Closer, close_period
from surveys.assessment.errors import PeriodNotClosable, ReviewRefused
from surveys.assessment.payroll import payroll
from surveys.assessment.reviews import assigned_peers, record_review, reviewable_agents
from surveys.assessment.views import agent_view, team_view
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidInput
from surveys.models import Agent, Manager, Review
from tests.fixtures.points_data import PointsData

NOV = parse_period("2026-11", timezone="Asia/Shanghai")
IN_NOV = datetime(2026, 11, 10, 2, 0)
AFTER = NOV.end + timedelta(days=3, minutes=1)
CONFIG = PointsConfig()


async def _world(db: SessionFactory, name: str = "王芳") -> dict[str, int]:
    d = PointsData(db)
    sunny = await d.community("C1", "阳光花园")
    lake = await d.community("C2", "湖畔")
    a = await d.agent("A-1", name, sunny)
    b = await d.agent("B-2", "李强", lake)
    owner = await d.owner(sunny)
    for agent, ratings in ((a, (4, 4, 4, 4)), (b, (5, 5, 5, 5))):
        await d.order(agent_id=agent, owner_id=owner, community_id=sunny, closed_at=IN_NOV,
                      sent_at=IN_NOV, ratings=ratings)
    async with db() as s, s.begin():
        boss = Manager(name="赵经理", community_id=sunny)
        s.add(boss)
        await s.flush()
        assert boss.id is not None
        manager = boss.id
    return {"a": a, "b": b, "manager": manager}


async def _review(db: SessionFactory, ids: dict[str, int], agent: str, **kw: object) -> None:
    await record_review(db=db, period=NOV, config=CONFIG, agent_id=ids[agent],
                        source="manager", reviewer_id=ids["manager"], now=IN_NOV,
                        **kw)  # type: ignore[arg-type]


async def test_a_manager_reviews_only_their_community_with_one_to_five_stars(
    db: SessionFactory,
) -> None:
    ids = await _world(db)
    with pytest.raises(ReviewRefused) as outside:
        await _review(db, ids, "b", criterion="knowledge", stars=5)
    assert outside.value.reason == "scope"
    for stars in (0, 6, -1):
        with pytest.raises(ReviewRefused) as bad:
            await _review(db, ids, "a", criterion="knowledge", stars=stars)
        assert bad.value.reason == "rating"
    with pytest.raises(ReviewRefused) as unknown:
        await _review(db, ids, "a", criterion="salary", stars=3)
    assert unknown.value.reason == "criterion"


async def test_a_review_is_its_own_part_and_a_missing_one_renormalises(
    db: SessionFactory,
) -> None:
    ids = await _world(db)
    before = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG, now=AFTER)
    await _review(db, ids, "a", criterion="knowledge", stars=5)
    await _review(db, ids, "a", criterion="teamwork", stars=3)
    after = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG, now=AFTER)
    assert before.points.reviews == {} and before.points.total is not None
    assert after.points.reviews == {"manager": 75.0}  # stars 5 and 3 -> mean 4 -> 75
    assert after.points.total == pytest.approx(0.8 * before.points.total + 0.2 * 75.0)


async def test_reviews_after_the_close_are_refused_and_change_nothing(
    db: SessionFactory,
) -> None:
    ids = await _world(db)
    await _review(db, ids, "a", criterion="knowledge", stars=4)
    await close_period(db=db, period=NOV, current=CONFIG, timezone="Asia/Shanghai",
                       closer=Closer(role="admin", id=None, name="admin"), now=AFTER)
    closed = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG, now=AFTER)
    with pytest.raises(ReviewRefused) as late:
        await _review(db, ids, "a", criterion="knowledge", stars=1)
    assert late.value.reason == "closed"
    again = await agent_view(db=db, agent_id=ids["a"], period=NOV, current=CONFIG, now=AFTER)
    assert again.points == closed.points


def test_peers_are_a_stable_draw_of_others_never_oneself() -> None:
    peers = assigned_peers(3, [1, 2, 3, 4, 5], "2026-11", 2)
    assert len(peers) == 2 and 3 not in peers
    assert peers == assigned_peers(3, [5, 4, 3, 2, 1], "2026-11", 2)


async def test_the_payroll_of_an_open_period_is_refused(db: SessionFactory) -> None:
    await _world(db)
    with pytest.raises(PeriodNotClosable) as refused:
        await payroll(db=db, period=NOV, current=CONFIG, now=AFTER)
    assert refused.value.reason == "not_closed"


async def test_the_payroll_file_keeps_formula_text_as_text_in_chinese(
    db: SessionFactory,
) -> None:
    await _world(db, name='=HYPERLINK("http://x.example","点我")')
    await close_period(db=db, period=NOV, current=CONFIG, timezone="Asia/Shanghai",
                       closer=Closer(role="admin", id=None, name="admin"), now=AFTER)
    sheet = await payroll(db=db, period=NOV, current=CONFIG, now=AFTER)
    zh = translator("zh_CN")
    book = load_workbook(io.BytesIO(build_xlsx(sheet, zh._)))
    ws = book.active
    assert ws is not None
    assert [c.value for c in ws[2]][:3] == ["工号", "姓名", "小区"]
    names = {ws.cell(row=r, column=2).value: r for r in range(3, ws.max_row + 1)}
    row = names['=HYPERLINK("http://x.example","点我")']
    assert ws.cell(row=row, column=2).data_type == "s"  # a string, not a formula
    assert ws.cell(row=row, column=7).value in (1.2, 1.0, 0.8)
    text = build_csv(sheet, zh._).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["工号", "姓名", "小区"]
    assert any(r[1] == "'=HYPERLINK(\"http://x.example\",\"点我\")" for r in rows[1:])
    assert all(r[3] == "" or "." in r[3] for r in rows[1:])  # points written as 0.0


async def test_a_review_of_a_period_that_has_not_begun_is_refused(db: SessionFactory) -> None:
    ids = await _world(db)
    future = parse_period("2030-01", timezone="Asia/Shanghai")
    with pytest.raises(ReviewRefused) as early:
        await record_review(db=db, period=future, config=CONFIG, agent_id=ids["a"],
                            source="manager", reviewer_id=ids["manager"],
                            criterion="knowledge", stars=5, now=IN_NOV)
    assert early.value.reason == "not_started"
    december = parse_period("2026-12", timezone="Asia/Shanghai")
    with pytest.raises(ReviewRefused):  # one second before December begins, in Shanghai
        await record_review(db=db, period=december, config=CONFIG, agent_id=ids["a"],
                            source="manager", reviewer_id=ids["manager"],
                            criterion="knowledge", stars=5,
                            now=december.start - timedelta(seconds=1))
    await _review(db, ids, "a", criterion="knowledge", stars=5)  # the running month: yes


async def test_a_review_alone_puts_no_agent_without_work_into_the_ranking(
    db: SessionFactory,
) -> None:
    ids = await _world(db)  # 王芳 worked in November; 孙强 of her community did nothing
    idle = await PointsData(db).agent("A-3", "孙强", await _community_of(db, ids["a"]))
    before = await team_view(db=db, period=NOV, current=CONFIG, community_id=None, now=AFTER)
    await record_review(db=db, period=NOV, config=CONFIG, agent_id=idle, source="manager",
                        reviewer_id=ids["manager"], criterion="knowledge", stars=5, now=IN_NOV)
    after = await team_view(db=db, period=NOV, current=CONFIG, community_id=None, now=AFTER)
    assert idle not in {r.agent_id for r in after.rows}  # no total, no rank, no payroll line
    assert [(r.agent_id, r.total, r.rank) for r in after.rows] == [
        (r.agent_id, r.total, r.rank) for r in before.rows]
    cards = await reviewable_agents(db=db, manager_id=ids["manager"], period=NOV, now=AFTER)
    assert [a.id for a in cards] == [ids["a"]]  # no review card for an idle agent


async def _community_of(db: SessionFactory, agent_id: int) -> int | None:
    async with db() as s:
        agent = await s.get(Agent, agent_id)
        assert agent is not None
        return agent.community_id


async def test_a_note_over_the_limit_is_refused_not_cut_short(db: SessionFactory) -> None:
    ids = await _world(db)
    with pytest.raises(InvalidInput) as too_long:
        await _review(db, ids, "a", note="业务熟练，" * 300)
    assert too_long.value.code == ErrorCode.MESSAGE_TOO_LONG
    async with db() as s:
        assert (await s.exec(select(Review))).first() is None
    await _review(db, ids, "a", note="  业务熟练。 ")
    async with db() as s:
        assert (await s.exec(select(Review))).one().note == "业务熟练。"
