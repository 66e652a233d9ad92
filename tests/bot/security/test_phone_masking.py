"""Phone numbers, mobile or landline, never appear in full in a log line or an export."""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.logging import mask_phones, setup_logging
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.xlsx import build_workbook
from surveys.assessment.exports import load_export
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.complaint_world import OWNER_PHONE, World, build_world, submit_response

LANDLINE = "0755-86001234"
TYPED = f"师傅态度太差，请回电{OWNER_PHONE}或座机{LANDLINE}"


@pytest.mark.parametrize(("text", "masked"), [
    ("座机 0755-86001234", "座机 075*****1234"),
    ("座机 021 62001234 转", "座机 021****1234 转"),
    ("landline 02162001234.", "landline 021****1234."),
    ("order WO-00012345678, id 2026111612345678", "order WO-00012345678, id 2026111612345678"),
    # Typed the way Chinese keyboards and people write them: full-width digits and dashes,
    # an area code in brackets, dots between the groups.
    ("请回电１３８００１３８０００", "请回电138****8000"),
    ("手机：１３８－００１３－８０００。", "手机：138****8000。"),
    ("电话 ＋８６ １３８ ００１３ ８０００", "电话 138****8000"),
    ("座机（０２１）６２００１２３４", "座机021****1234"),
    ("座机 (0755) 8600-1234 转 8", "座机 075*****1234 转 8"),
    ("call 138.0013.8000", "call 138****8000"),
    ("金额１２３４５元，3.5 分，第２０２６１１期", "金额１２３４５元，3.5 分，第２０２６１１期"),
])
def test_landline_numbers_are_masked_in_text(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


def test_landlines_in_log_lines_and_exception_messages_are_masked() -> None:
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        log = logging.getLogger("tests.security.masking")
        log.info("owner phone %s", LANDLINE)
        try:
            raise ValueError(f"no owner with phone {LANDLINE.replace('-', '')}")
        except ValueError:
            log.exception("binding failed")
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert "86001234" not in output and "075" in output


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    return await build_world(db)


async def test_export_masks_phone_numbers_the_owner_typed(
    db: SessionFactory, world: World, tmp_path: Path
) -> None:
    await submit_response(db, world, ratings={"overall": 1}, comment=TYPED)
    data = await load_export(db=db, period=parse_period("2026-W47"), config=PointsConfig(),
                             community_id=None, trend=False)
    path = tmp_path / "export.xlsx"
    path.write_bytes(build_workbook(data))
    cells = [str(c) for ws in load_workbook(path).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    typed = [c for c in cells if "师傅态度太差" in c]
    assert len(typed) == 2  # the response's comment and the complaint's text
    assert not [c for c in cells if OWNER_PHONE in c or "86001234" in c]


async def test_export_masks_a_phone_number_the_owner_spelled_out_or_split(
    db: SessionFactory, world: World, tmp_path: Path
) -> None:
    spelled = "师傅态度太差，打我电话幺三八 零零一三 八零零零，或 1 3 9 0 0 1 3 9 0 0 0"
    await submit_response(db, world, ratings={"overall": 1}, comment=spelled)
    data = await load_export(db=db, period=parse_period("2026-W47"), config=PointsConfig(),
                             community_id=None, trend=False)
    path = tmp_path / "export.xlsx"
    path.write_bytes(build_workbook(data))
    typed = [str(c) for ws in load_workbook(path).worksheets
             for row in ws.iter_rows(values_only=True) for c in row
             if c is not None and "师傅态度太差" in str(c)]
    assert len(typed) == 2
    assert all("138****8000" in c and "139****9000" in c and "零零一三" not in c
               and "0 0 1 3" not in c for c in typed), typed


def test_python_warnings_reach_the_log_masked_and_raw_updates_stay_out() -> None:
    logging.captureWarnings(False)  # pytest swaps showwarning per test; start from its own
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        warnings.warn(f"odd reply from {LANDLINE}", UserWarning, stacklevel=1)
        warnings.warn(f'Detected unknown update type. Update: {{"phone": "{LANDLINE}"}}',
                      RuntimeWarning, stacklevel=1)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.captureWarnings(False)
    output = stream.getvalue()
    assert "odd reply from 075" in output and "86001234" not in output
    assert "unknown update type" not in output
