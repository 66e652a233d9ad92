"""Every fixed sheet name of the workbooks fits Excel's 31 characters in each language, so
none is cut off mid-word ('Complaints by building and cate')."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import translator
from scoring.reports.cells import SHEET_TITLE_MAX

REPORTS = Path(__file__).resolve().parents[3] / "scoring" / "reports"
TITLE_CALL = re.compile(r'(?:sheet_title\(|ws\.title = )_\("([^"]+)"\)')


def _fixed_titles() -> list[str]:
    return sorted({m.group(1) for path in REPORTS.glob("*.py")
                   for m in TITLE_CALL.finditer(path.read_text(encoding="utf-8"))})


def test_the_workbooks_have_fixed_sheet_titles_to_check() -> None:
    assert {"Summary", "Payroll", "Complaints by building and category"} <= set(_fixed_titles())


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_fixed_sheet_title_fits_in_31_characters(locale: str) -> None:
    tr = translator(locale)
    too_long = {msgid: tr._(msgid) for msgid in _fixed_titles()
                if len(tr._(msgid)) > SHEET_TITLE_MAX}
    assert not too_long
