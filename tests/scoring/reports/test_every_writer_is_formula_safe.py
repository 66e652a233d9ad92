"""Every spreadsheet the product writes goes through scoring/reports/cells.py (the class stays
closed: a new CSV or XLSX writer that forgets it fails here)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("bot", "scoring", "surveys")


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def _calls(tree: ast.Module, name: str) -> bool:
    return any(isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        or (isinstance(node.func, ast.Name) and node.func.id == name))
        for node in ast.walk(tree))


def _names(tree: ast.Module) -> set[str]:
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def test_every_csv_writer_passes_its_cells_through_csv_cell() -> None:
    writers = [(path, tree) for path, tree in _modules()
               if _calls(tree, "writer") or _calls(tree, "DictWriter")]
    assert writers, "the scan found no CSV writer: it would pass vacuously"
    unsafe = [str(path.relative_to(ROOT)) for path, tree in writers
              if "csv_cell" not in _names(tree)]
    assert unsafe == [], f"CSV written without scoring.reports.cells.csv_cell: {unsafe}"


# scoring/reports/sheets.py writes rows and headers through set_text (checked below).
SAFE_WRITERS = {"set_text", "append_row", "header_row"}


def test_every_xlsx_writer_sets_its_cells_through_set_text() -> None:
    modules = _modules()
    writers = [(path, tree) for path, tree in modules
               if path.name != "cells.py" and _calls(tree, "Workbook")]
    assert writers, "the scan found no workbook writer: it would pass vacuously"
    unsafe = [str(path.relative_to(ROOT)) for path, tree in writers
              if not SAFE_WRITERS & _names(tree)]
    assert unsafe == [], f"XLSX written without scoring.reports.cells.set_text: {unsafe}"
    sheets = next(tree for path, tree in modules
                  if path.relative_to(ROOT).as_posix() == "scoring/reports/sheets.py")
    assert "set_text" in _names(sheets)
