"""The line at the end of an import counts its rows in the reader's language."""

from __future__ import annotations

from bot.cli.imports import summary
from bot.i18n import translator
from surveys.intake.importer import ImportReport


def test_a_one_row_import_speaks_of_one_row_in_english() -> None:
    report = ImportReport(rows=1, created=1, encoding="utf-8")
    assert summary(translator("en"), report, 0.5) == (
        "1 row (utf-8): 1 imported, 0 already there, 0 rejected, in 0.5 s")
    assert summary(translator("zh_CN"), report, 0.5).startswith("共 1 行（utf-8）：导入 1")
