"""A manager names an agent (/agent NAME, `report --agent`): the words are matched as words."""

from __future__ import annotations

from surveys.core.db import SessionFactory
from surveys.people.scope import find_agents
from tests.fixtures.points_data import PointsData


async def test_sql_wildcards_in_a_name_match_no_agent(db: SessionFactory) -> None:
    d = PointsData(db)
    cid = await d.community()
    await d.agent("A-1", "王晓梅", cid)
    await d.agent("A-2", "李建国", cid)
    for name in ("%", "_", "王%", "_晓_", "%梅"):
        assert await find_agents(db=db, name=name, community_id=cid) == [], name
    assert [a.name for a in await find_agents(db=db, name="晓", community_id=cid)] == ["王晓梅"]


async def test_a_name_holding_a_wildcard_character_is_found_by_its_words(
        db: SessionFactory) -> None:
    d = PointsData(db)
    cid = await d.community()
    await d.agent("A-1", "王_晓梅", cid)
    await d.agent("A-2", "王a晓梅", cid)
    assert [a.name for a in await find_agents(db=db, name="王_晓", community_id=cid)] == [
        "王_晓梅"]


async def test_digits_that_are_not_an_id_are_matched_as_words(db: SessionFactory) -> None:
    d = PointsData(db)
    cid = await d.community()
    await d.agent("A-1", "王②", cid)
    # "²" and "②" pass str.isdigit() but int() refuses them; 2**31 overflows an INTEGER id.
    for name in ("²", "②", str(2**31), str(2**64)):
        found = await find_agents(db=db, name=name, community_id=cid)
        assert [a.name for a in found] == (["王②"] if name == "②" else []), name
