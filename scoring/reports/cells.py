"""Text as every spreadsheet the product writes holds it: clean, and never a formula.

Names, titles and owners' words come from outside (the intake, chats), so the writers pass
every text through here:

- control characters and code points XML 1.0 cannot hold are dropped: openpyxl refuses them
  (IllegalCharacterError), and one such character would break every export of its scope;
- a text that starts like a formula (= + - @ tab CR, OWASP's CSV-injection list) stays text:
  an XLSX cell is typed as a string with Excel's quote prefix (re-editing it keeps it text);
  a CSV cell gets a leading apostrophe;
- a sheet title loses what Excel forbids in one, and never starts like a formula.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 controls but tab/newline/CR, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\t\r\n]")
_SHEET_LEADING = re.compile(r"^[\s=+\-@']+")
SHEET_TITLE_MAX = 31
_RESERVED_TITLES = {"history"}  # Excel keeps this name for itself


def clean_text(text: str) -> str:
    """Drop control characters and code points a spreadsheet file cannot hold."""
    return _UNSAFE.sub("", text)


def display_width(text: str) -> int:
    """Return how many columns a text takes in a monospaced font (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def starts_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet would read this text as a formula."""
    return text.startswith(FORMULA_STARTS)


def set_text(cell: Cell, value: object) -> None:
    """Put a value into an XLSX cell; text is cleaned and always stored as text."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    if starts_like_formula(text):
        cell.quotePrefix = True


def csv_cell(value: object) -> str:
    """Return a CSV field's text: cleaned, with an apostrophe before a formula start."""
    text = clean_text("" if value is None else str(value))
    return "'" + text if starts_like_formula(text) else text


def sheet_title(name: str, used: set[str], fallback: str = "sheet") -> str:
    """Return a valid, unique (case-insensitively) sheet title for a name; remember it."""
    base = _SHEET_LEADING.sub("", _SHEET_FORBIDDEN.sub("_", clean_text(name)))
    base = base.rstrip("' ")[:SHEET_TITLE_MAX].rstrip("' ") or fallback
    taken = {t.casefold() for t in used} | _RESERVED_TITLES
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f"({n})"
        title, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
    used.add(title)
    return title
