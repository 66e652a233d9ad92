"""Rows, headers and number formats of a workbook's sheets (every text through `set_text`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

from scoring.reports.cells import set_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_HEAD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="4472C4")


def append_row(ws: Worksheet, values: Iterable[object]) -> None:
    """Add a row; every text goes through `set_text` (clean, never a formula)."""
    # Cells filled first, then appended: reading the new row back (ws[ws.max_row]) scanned
    # every cell of the sheet per row, 9 minutes for a workbook of 40,000 responses.
    cells = []
    for value in values:
        cell = Cell(ws)
        set_text(cell, value)
        cells.append(cell)
    ws.append(cells)


def header_row(ws: Worksheet, labels: list[str], row: int = 1) -> None:
    """Write a bold, filled header row and freeze the panes below it."""
    for i, text in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=i)
        set_text(cell, text)
        cell.font, cell.fill = _HEAD, _FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.freeze_panes = f"A{row + 1}"  # a coordinate: ws.cell() would create an empty row


def number_formats(ws: Worksheet, first_row: int, columns: dict[int, str]) -> None:
    """Give the cells of these columns (1-based), from `first_row` down, a number format."""
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.column in columns:
                cell.number_format = columns[cell.column]
