"""The CSV imports fuzzed: whatever the file holds, the import finishes and accounts for
every row (imported, already there or rejected with its line), or refuses the whole file up
front; it never stops half-way with an exception."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.csv_import import import_orders_csv
from surveys.intake.owners_import import import_owners_csv
from surveys.intake.table import FileRefused
from surveys.models import Owner, WorkOrder
from surveys.people.directory import add_agent, add_community

HEADER = ["external_id", "community_code", "owner_name", "owner_phone", "agent_external_id",
          "agent_name", "kind", "title", "opened_at", "closed_at"]
NASTY = st.sampled_from(['"', '""', ",", "\n", "\r\n", "\x00", "=cmd|' /C calc'!A0", "9" * 400,
                         "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00", "业主",
                         "\u202e", "\ufeff", "长" * 600, "\t", "NaN", "-1e999"])
CELL = st.one_of(st.text(max_size=40), NASTY, st.sampled_from(["sunny", "A001", "13800138000",
                                                               "repair", "urgent"]))
GOOD = st.integers(0, 10**6).map(lambda n: [f"WO-{n}", "sunny", "张伟", f"139{n:08d}", "A001",
                                            "王晓梅", "repair", "漏水", "", ""])
ROW = st.one_of(GOOD, st.lists(CELL, min_size=0, max_size=12))
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _render(rows: list[list[str]], quoting: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """Draw a CSV file: rows good and bad, an encoding, and maybe some damage."""
    text = _render(draw(st.lists(ROW, max_size=25)),
                   draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])))
    if draw(st.booleans()):  # a hand-edited file: a quote or a line break in the wrong place
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\n", '",', "\r"])) + text[at:]
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
    data = text.encode(codec, "replace")
    if draw(st.booleans()) and len(data) > 40:  # bytes of another encoding half-way
        at = draw(st.integers(len(data) // 2, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
    return data


async def _count(db: SessionFactory, table: type) -> int:
    async with db() as s:
        return int((await s.exec(select(func.count()).select_from(table))).one())


@FUZZ
@given(data=files())
async def test_any_orders_file_is_imported_to_the_end_or_refused_up_front(
    db: SessionFactory, tmp_path_factory: object, data: bytes
) -> None:
    if not await _count(db, Owner) and not await _count(db, WorkOrder):
        await add_community(db=db, code="sunny", name="阳光花园")
        await add_agent(db=db, external_id="A001", name="王晓梅", community_code="sunny")
    path = Path(str(tmp_path_factory.mktemp("csv"))) / "orders.csv"  # type: ignore[attr-defined]
    path.write_bytes(data)
    before = await _count(db, WorkOrder)
    try:
        report = await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
    except FileRefused:
        assert await _count(db, WorkOrder) == before  # refused up front: nothing written
        return
    assert report.created + report.unchanged + report.rejected == report.rows
    assert await _count(db, WorkOrder) == before + report.created
    lines = data.count(b"\n") + 1  # an upper bound, whatever the encoding
    assert all(1 < e.line <= lines + 1 and e.problems for e in report.errors)


@FUZZ
@given(data=files())
async def test_any_owners_file_is_imported_to_the_end_or_refused_up_front(
    db: SessionFactory, tmp_path_factory: object, data: bytes
) -> None:
    if not await _count(db, Owner):
        await add_community(db=db, code="sunny", name="阳光花园")
    path = Path(str(tmp_path_factory.mktemp("csv"))) / "owners.csv"  # type: ignore[attr-defined]
    path.write_bytes(data.replace(b"owner_name", b"name").replace(b"owner_phone", b"phone"))
    before = await _count(db, Owner)
    try:
        report = await import_owners_csv(db=db, path=path)
    except FileRefused:
        assert await _count(db, Owner) == before
        return
    assert report.created + report.unchanged + report.rejected == report.rows
    assert await _count(db, Owner) == before + report.created
