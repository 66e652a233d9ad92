"""CSV import: good rows imported, bad rows reported by line, nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput
from surveys.intake.csv_import import import_orders_csv
from surveys.models import Owner, Survey, WorkOrder
from tests.fixtures.service_world import setup_people

HEADER = (
    "external_id,community_code,owner_name,owner_phone,building,room,agent_external_id,"
    "kind,urgency,title\n"
)
CSV = HEADER + """WO-1,GG,王先生,138 1234 5678,3,1201,A-7,repair,normal,厨房水管漏水
WO-2,GG,李女士,12345,3,1202,A-7,repair,normal,电梯异响
WO-3,XX,赵先生,13900001111,1,101,A-7,repair,normal,门禁坏了
WO-4,GG,孙女士,13900002222,2,202,A-7,enquiry,urgent,"物业费
怎么交"
WO-5,GG,周先生,13900003333,2,203,A-404,repair,normal,灯不亮
WO-6,GG,吴先生,13900004444,2,204,A-7,burglary,normal,被盗
"""


@pytest.fixture
async def people(db: SessionFactory) -> None:
    await setup_people(db)


async def test_mixed_file_imports_good_rows_and_reports_bad_ones_by_line(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8-sig")  # as Excel saves it, with a BOM
    report = await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
    assert (report.rows, report.created, report.unchanged) == (6, 2, 0)
    assert [(e.line, e.external_id) for e in report.errors] == [
        (3, "WO-2"), (4, "WO-3"), (7, "WO-5"), (8, "WO-6")]
    assert "owner_phone" in report.errors[0].message
    assert "community" in report.errors[1].message and "agent" in report.errors[2].message
    async with db() as s:
        orders = sorted(w.external_id for w in (await s.exec(select(WorkOrder))).all())
        owners = sorted(o.name for o in (await s.exec(select(Owner))).all())
        surveys = (await s.exec(select(Survey))).all()
    assert orders == ["WO-1", "WO-4"]
    assert owners == ["孙女士", "王先生"]  # no owner left behind by a failed row
    assert len(surveys) == 2

    again = await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
    assert (again.created, again.unchanged, len(again.errors)) == (0, 2, 4)


async def test_gbk_encoded_file_imports_and_a_file_without_owner_columns_is_refused(
        db: SessionFactory, people: None, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(CSV.splitlines()[0].encode() + b"\n" + CSV.splitlines()[1].encode("gbk"))
    report = await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
    assert report.ok and report.created == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id,title\nX,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="owner_phone"):
        await import_orders_csv(db=db, path=bad, survey_config=SurveyConfig())
