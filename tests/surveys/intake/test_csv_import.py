"""CSV import: good rows imported, every bad row reported by line, the import never aborts."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from scoring.categories import CategoryConfig
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.intake import batch as batch_module
from surveys.intake import table
from surveys.intake.csv_import import import_orders_csv
from surveys.intake.importer import ImportReport
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.table import FileRefused
from surveys.models import OutboxMessage, Owner, Survey, WorkOrder
from tests.fixtures.service_world import bind, close, setup_people

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


def good_row(n: int, phone: str | None = None) -> str:
    """Return one valid CSV line (no newline) for order WO-<n>."""
    return f"WO-{n},GG,业主{n},{phone or f'139{n:08d}'},1,{n},A-7,repair,normal,水管{n}"


@pytest.fixture
async def people(db: SessionFactory) -> None:
    await setup_people(db)


@pytest.fixture(autouse=True)
def fallbacks(request: pytest.FixtureRequest,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record orders closed one by one; a test that does not ask for this expects none."""
    seen: list[str] = []
    one_by_one = batch_module._close_one

    async def record(db: SessionFactory, order: WorkOrderIn, config: SurveyConfig,
                     categories: CategoryConfig, courtesy: CourtesyConfig | None) -> object:
        seen.append(order.external_id)
        return await one_by_one(db, order, config, categories, courtesy)

    monkeypatch.setattr(batch_module, "_close_one", record)
    yield seen
    if "fallbacks" not in inspect.signature(request.function).parameters:
        assert not seen, "a batch fell back to one-by-one closing without a concurrent writer"


async def _import(db: SessionFactory, path: Path, **options: int) -> ImportReport:
    return await import_orders_csv(db=db, path=path, survey_config=SurveyConfig(), **options)


async def _orders(db: SessionFactory) -> list[str]:
    async with db() as s:
        return sorted((await s.exec(select(WorkOrder.external_id))).all())


def _codes(report: ImportReport) -> list[tuple[int, str, list[str]]]:
    return [(e.line, e.key, [p.code for p in e.problems]) for e in report.errors]


async def test_mixed_file_imports_good_rows_and_reports_bad_ones_by_line(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8-sig")  # as Excel saves it, with a BOM
    report = await _import(db, path)
    assert (report.rows, report.created, report.unchanged, report.rejected) == (6, 2, 0, 4)
    assert report.encoding == "utf-8-sig"
    assert _codes(report) == [(3, "WO-2", ["invalid_phone"]), (4, "WO-3", ["unknown_community"]),
                              (7, "WO-5", ["unknown_agent"]), (8, "WO-6", ["literal_error"])]
    assert report.errors[0].problems[0].column == "owner_phone"
    async with db() as s:
        owners = sorted(o.name for o in (await s.exec(select(Owner))).all())
        surveys = (await s.exec(select(Survey))).all()
    assert await _orders(db) == ["WO-1", "WO-4"]
    assert owners == ["孙女士", "王先生"]  # no owner left behind by a refused row
    assert len(surveys) == 2

    again = await _import(db, path)
    assert (again.created, again.unchanged, again.rejected) == (0, 2, 4)


async def test_an_overflowing_number_or_a_huge_field_is_one_rejected_row_not_an_abort(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    lines = [good_row(1),
             "WO-2,GG,业主2,13900000002,1,2,A-7,repair,normal,t,9" + "9" * 400,
             good_row(3),
             "WO-4,GG,业主4,13900000004,1,4,A-7,repair,normal," + "长" * 200_000,
             good_row(5)]
    path.write_text(HEADER.replace("title", "title,opened_at") + "\n".join(lines) + "\n",
                    encoding="utf-8")
    report = await _import(db, path)
    assert (report.rows, report.created, report.rejected) == (5, 3, 2)
    assert [(e.line, e.key) for e in report.errors] == [(3, "WO-2"), (5, "WO-4")]
    assert report.errors[1].problems[0].code == "row_too_long"
    assert await _orders(db) == ["WO-1", "WO-3", "WO-5"]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "gb18030"])
async def test_utf8_utf16_with_a_bom_and_gb18030_files_are_read(
    db: SessionFactory, people: None, tmp_path: Path, encoding: str
) -> None:
    text = HEADER + good_row(1) + "\r\n" + good_row(2).replace("水管", "䶮龘𠀀维修") + "\r\n"
    path = tmp_path / "orders.csv"
    if encoding == "utf-16-le-bom":
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding))
    report = await _import(db, path)
    assert (report.created, report.rejected) == (2, 0), _codes(report)
    async with db() as s:
        titles = sorted((await s.exec(select(WorkOrder.title))).all())
    assert set(titles) == {"水管1", "䶮龘𠀀维修2"}


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [(HEADER.encode() + "WO-1,GG,Hélène Müller,13900000001,1,1,A-7,repair,normal,café crème\n"
      .encode("latin-1"), "?"),
     (HEADER.encode("utf-16-le") + good_row(1).encode("utf-16-le"),
      "UTF-16 without a byte-order mark"),
     (b"\xff\xfe\x00\x00" + HEADER.encode("utf-32-le"), "UTF-32")],
)
async def test_a_latin1_utf16_without_bom_or_utf32_file_is_refused_up_front(
    db: SessionFactory, people: None, tmp_path: Path, data: bytes, looks_like: str
) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(data)
    with pytest.raises(FileRefused) as refused:
        await _import(db, path)
    assert refused.value.code == "encoding_refused"
    assert refused.value.values["encoding"] == looks_like
    assert await _orders(db) == []


async def test_bytes_of_another_encoding_after_the_sample_reject_only_their_row(
    db: SessionFactory, people: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "SAMPLE_BYTES", 4096)  # the encoding is decided on 4 KB
    filler = [good_row(n) for n in range(1, 200)]  # ~10 KB of UTF-8 before the bad row
    bad = b"WO-99999,GG," + "张伟".encode("gbk") + b",13900099999,1,1,A-7,repair,n,t"
    path = tmp_path / "orders.csv"
    path.write_bytes(HEADER.encode() + "\n".join(filler).encode() + b"\n" + bad + b"\n"
                     + good_row(1000).encode() + b"\n")
    report = await _import(db, path)
    assert report.encoding == "utf-8"
    assert _codes(report) == [(201, "WO-99999", ["bad_bytes"])]
    assert report.created == len(filler) + 1


async def test_an_unclosed_quote_rejects_its_row_and_the_next_rows_are_still_imported(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + good_row(1) + "\n" + good_row(2).replace("水管2", '"水管2')
                    + "\n" + good_row(3) + "\n" + good_row(4) + "\n", encoding="utf-8")
    report = await _import(db, path)
    assert _codes(report) == [(3, "WO-2", ["unclosed_quote"])]
    assert await _orders(db) == ["WO-1", "WO-3", "WO-4"]


async def test_misplaced_quotes_too_many_cells_and_blank_lines(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + good_row(1) + ',"x"y\n\n' + good_row(2) + ",extra\n"
                    + good_row(3) + "\n,,,,\n", encoding="utf-8")
    report = await _import(db, path)
    assert _codes(report) == [(2, "WO-1", ["bad_quotes"]), (4, "WO-2", ["too_many_cells"])]
    assert await _orders(db) == ["WO-3"]


async def test_the_same_order_twice_in_a_file_is_already_there_and_a_reused_id_is_refused(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join([good_row(1), good_row(1), good_row(1, "13700000000"),
                                        good_row(2, "13900000001")]) + "\n", encoding="utf-8")
    report = await _import(db, path)
    assert (report.created, report.unchanged) == (2, 1)
    assert _codes(report) == [(4, "WO-1", ["conflicting_order"])]
    async with db() as s:
        owners = (await s.exec(select(func.count()).select_from(Owner))).one()
    assert owners == 1  # WO-1 and WO-2 are the same owner (same phone)


async def test_a_bound_owners_order_is_queued_for_sending_like_a_single_close(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    await close(db, "WO-0", phone="13900000001")
    await bind(db, 5001, phone="13900000001")
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + good_row(1) + "\n" + good_row(2) + "\n", encoding="utf-8")
    report = await _import(db, path)
    assert report.created == 2
    async with db() as s:
        statuses = dict((await s.exec(
            select(WorkOrder.external_id, Survey.status)
            .join(Survey, col(Survey.work_order_id) == col(WorkOrder.id)))).all())
        queued = (await s.exec(select(OutboxMessage.dedupe_key, OutboxMessage.chat_id))).all()
    assert statuses == {"WO-0": "skipped_unbound", "WO-1": "pending", "WO-2": "skipped_unbound"}
    assert [chat for _, chat in queued] == [5001]


async def test_a_crash_loses_at_most_the_batch_being_written_and_a_rerun_completes(
    db: SessionFactory, people: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(good_row(n) for n in range(1, 36)) + "\n",
                    encoding="utf-8")
    real = batch_module._close_all
    calls = 0

    async def crash_on_third(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("power cut")
        return await real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "_close_all", crash_on_third)
    with pytest.raises(RuntimeError):
        await _import(db, path, batch_rows=10)
    assert len(await _orders(db)) == 20
    monkeypatch.setattr(batch_module, "_close_all", real)
    report = await _import(db, path, batch_rows=10)
    assert (report.created, report.unchanged, report.rejected) == (15, 20, 0)


async def test_an_order_closed_by_another_writer_meanwhile_is_already_there(
    db: SessionFactory, people: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    fallbacks: list[str],
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join(good_row(n) for n in range(1, 6)) + "\n",
                    encoding="utf-8")
    real = batch_module._load

    async def api_closes_wo3_meanwhile(*args: object) -> object:
        known = await real(*args)  # type: ignore[arg-type]
        if not known.closed:
            await close(db, "WO-3", phone="13900000003")  # the HTTP intake, at this instant
        return known

    monkeypatch.setattr(batch_module, "_load", api_closes_wo3_meanwhile)
    report = await _import(db, path)
    assert (report.created, report.unchanged, report.rejected) == (4, 1, 0)
    async with db() as s:
        surveys = (await s.exec(select(func.count()).select_from(Survey))).one()
    assert surveys == 5
    assert fallbacks == ["WO-1", "WO-2", "WO-3", "WO-4", "WO-5"]  # the batch was closed again


async def test_a_file_without_the_owner_columns_is_refused_naming_them(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id,title\nX,y\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="owner_phone") as refused:
        await _import(db, bad)
    assert refused.value.code == "missing_columns"


async def test_first_action_times_are_stored_and_impossible_ones_refuse_their_row(
    db: SessionFactory, people: None, tmp_path: Path
) -> None:
    times = ("2026-11-16T08:00:00+08:00", "2026-11-16T09:30:00+08:00",
             "2026-11-16T12:00:00+08:00")
    lines = [good_row(1) + ",{},{},{}".format(*times),
             good_row(2) + f",{times[1]},{times[0]},{times[2]}",  # before opened
             good_row(3) + f",{times[0]},{times[2]},{times[1]}"]  # after closed
    path = tmp_path / "orders.csv"
    header = HEADER.replace("title", "title,opened_at,first_action_at,closed_at")
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    report = await _import(db, path)
    assert _codes(report) == [(3, "WO-2", ["first_action_before_opened"]),
                              (4, "WO-3", ["first_action_after_closed"])]
    assert [p.column for e in report.errors for p in e.problems] == ["first_action_at"] * 2
    async with db() as s:
        order = (await s.exec(select(WorkOrder))).one()
    assert order.first_action_at is not None and order.opened_at is not None
    assert (order.first_action_at - order.opened_at).total_seconds() == 5400
