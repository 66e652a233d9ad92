"""Names from the CLI and CSV files follow the intake's rule: no control characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput
from surveys.intake.csv_import import import_orders_csv
from surveys.people.directory import add_agent, add_community, add_owner
from surveys.people.staffing import add_manager, import_agents_csv
from tests.fixtures.service_world import setup_people


async def test_the_admin_commands_refuse_a_control_character_in_a_name(
    db: SessionFactory,
) -> None:
    await setup_people(db)
    attempts = [
        add_community(db=db, code="sun\u0007", name="阳光"),
        add_community(db=db, code="sun", name="阳光\u001b"),
        add_agent(db=db, external_id="A-9", name="王\u0007", community_code="GG"),
        add_manager(db=db, name="赵\x7f经理"),
        add_owner(db=db, community_code="GG", name="业主\x00", phone="13812345678"),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput, match="control characters"):
            await attempt


@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200f", "\u200b", "\u2060", "\ufeff"])
async def test_a_name_with_a_direction_override_or_an_invisible_character_is_refused(
    db: SessionFactory, mark: str,
) -> None:
    # In a report row ("王晓梅  12  85.0  合格") a right-to-left override in the name shows the
    # figures after it reversed; an invisible character makes a second "王晓梅" that /agent
    # and the CSV imports take for another person.
    await setup_people(db)
    attempts = [
        add_agent(db=db, external_id="A-9", name=f"王{mark}晓梅", community_code="GG"),
        add_manager(db=db, name=f"赵经理{mark}"),
        add_owner(db=db, community_code="GG", name="业主", phone="13812345678",
                  building=f"3{mark}"),
        add_community(db=db, code="sun", name=f"阳{mark}光"),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidInput, match=f"U\\+{ord(mark):04X}"):
            await attempt


async def test_a_csv_row_with_a_control_character_is_reported_by_line(
    db: SessionFactory, tmp_path: Path
) -> None:
    await setup_people(db)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "external_id,community_code,owner_name,owner_phone,agent_external_id,title\n"
        "WO-1,GG,王先生,13812345678,A-7,漏水\n"
        "WO-2,GG,李\u0007女士,13812345679,A-7,漏水\n", encoding="utf-8")
    report = await import_orders_csv(db=db, path=orders, survey_config=SurveyConfig())
    assert report.created == 1
    [error] = report.errors
    [problem] = error.problems
    assert error.line == 3 and problem.column == "owner_name"
    assert (problem.code, problem.values) == ("control_character", {"code_point": "U+0007"})
    agents = tmp_path / "agents.csv"
    agents.write_text("external_id,name,community_code\nA-8,好人,GG\nA-9,坏\u001b人,GG\n",
                      encoding="utf-8")
    result = await import_agents_csv(db=db, path=agents)
    assert [a.external_id for a in result.agents] == ["A-8"]
    assert result.errors[0][0] == 3 and "U+001B" in str(result.errors[0][1])
