"""The payroll file of a closed period, XLSX and CSV, with the reader's headers and labels.

Every text cell is written as text, never as a formula: a name such as `=HYPERLINK(...)`
stays a name (XLSX: the cell's type is set to string; CSV: a leading = + - @ tab or CR is
quoted with an apostrophe, OWASP's advice for CSV injection). Numbers stay numbers, formatted
(points 0.0, coefficient 0.00).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font

from scoring.reports.cells import csv_cell, set_text

Gettext = Callable[[str], str]


class PayrollRow(Protocol):
    """One agent's line (the domain's `surveys.assessment.payroll.PayrollRow` fits)."""

    @property
    def external_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def community(self) -> str: ...
    @property
    def total(self) -> float | None: ...
    @property
    def grade(self) -> str | None: ...
    @property
    def rank(self) -> int | None: ...
    @property
    def coefficient(self) -> float | None: ...


class Payroll(Protocol):
    """A closed period's payroll for one scope."""

    @property
    def label(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def rows(self) -> Sequence[PayrollRow]: ...


HEADER = ("Staff id", "Name", "Community", "Points", "Grade", "Rank", "Bonus coefficient")
GRADES = {"excellent": "Excellent", "pass": "Pass", "needs_improvement": "Needs improvement"}


def _cells(payroll: Payroll, _: Gettext) -> list[list[str | float | int | None]]:
    return [[r.external_id, r.name, r.community, r.total,
             _(GRADES[r.grade]) if r.grade in GRADES else "", r.rank, r.coefficient]
            for r in payroll.rows]


def build_xlsx(payroll: Payroll, gettext: Gettext | None = None) -> bytes:
    """Return the payroll workbook as bytes."""
    _ = gettext or (lambda text: text)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Payroll")
    ws.append([f"{_('Payroll')} {payroll.label}", payroll.scope or _("all communities")])
    ws.append([_(h) for h in HEADER])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in _cells(payroll, _):
        ws.append([None] * len(row))
        for column, value in enumerate(row, start=1):
            set_text(ws.cell(row=ws.max_row, column=column), value)
    for row in ws.iter_rows(min_row=3):
        row[3].number_format = "0.0"
        row[6].number_format = "0.00"
    for letter, chars in zip("ABCDEFG", (12, 14, 16, 8, 10, 6, 10), strict=True):
        ws.column_dimensions[letter].width = chars
    for cell in ws[1]:
        set_text(cell, cell.value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_csv(payroll: Payroll, gettext: Gettext | None = None) -> bytes:
    """Return the payroll as UTF-8 CSV with a BOM (Excel opens Chinese text correctly)."""
    _ = gettext or (lambda text: text)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_(h) for h in HEADER])
    for row in _cells(payroll, _):
        writer.writerow([
            csv_cell(v) if isinstance(v, str)
            else f"{v:.1f}" if i == 3 and isinstance(v, float)
            else f"{v:.2f}" if i == 6 and isinstance(v, float)
            else "" if v is None else v
            for i, v in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
