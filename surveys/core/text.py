"""What the product accepts in names and titles that come from outside (intake, CSV, CLI).

A name (owner, agent, manager, community, building, room) holds no control character at all
(tab, newline and the invisible C0/C1 codes such as BEL U+0007 or ESC U+001B), nor a lone
surrogate or U+FFFE/U+FFFF: they cannot be shown, typed or written to a spreadsheet; nor a
direction override or mark (U+202E) or an invisible character (U+200B, U+FEFF). A work
order's title may hold tabs and line breaks, nothing else of that kind. Such input is refused
with the offending code point named (the intake API answers 422, the CSV import reports the
line), never stored. Free text people type (comments, complaints, replies, reasons) is kept as
typed, less what no database can store (`storable`: NUL, lone surrogates); the file writers
clean the rest (`scoring.reports.cells`). Quoted back on a terminal (a CSV import's report),
a text goes through `one_line`: its controls and direction marks shown as escapes (a log
record through `shown_lines`, which keeps its line breaks and tabs).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from surveys.core.errors import DomainError, ErrorCode, InvalidInput

# Direction marks, overrides and isolates, and invisible characters: in a report row a
# right-to-left override in a name shows the figures after it reversed, and an invisible
# character makes a second "王晓梅" that lookups take for another person.
_INVISIBLE = "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_NOT_IN_NAMES = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_INVISIBLE}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What one line of a terminal or a log must not carry as it is: controls (ESC starts the
# codes that clear a screen or set its title; a line break forges a line), direction marks.
_NOT_SHOWN = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")
_NOT_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_INVISIBLE}]")
_NOT_IN_TITLES = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{_INVISIBLE}]")


def _refuse(found: re.Match[str] | None) -> None:
    if found is not None:
        raise PydanticCustomError(  # a ValueError with a code the CSV import words
            "control_character", "must not contain control characters (found {code_point})",
            {"code_point": f"U+{ord(found[0]):04X}"})


def check_name(value: str) -> str:
    """Return a name unchanged, or raise ValueError naming its first control character."""
    _refuse(_NOT_IN_NAMES.search(value))
    return value


def check_title(value: str) -> str:
    """Return a title unchanged (tabs and line breaks allowed), or raise ValueError."""
    _refuse(_NOT_IN_TITLES.search(value))
    return value


def clean_name(value: str, what: str, max_length: int = 200) -> str:
    """Return a name stripped, or raise InvalidInput when it is empty, too long or unclean."""
    name = (value or "").strip()
    if not name or len(name) > max_length:
        raise InvalidInput(f"{what} must be 1-{max_length} characters",
                           code=ErrorCode.INVALID_NAME, what=what, max=max_length)
    try:
        return check_name(name)
    except ValueError as exc:
        raise InvalidInput(f"{what} {exc}", code=ErrorCode.INVALID_NAME, what=what,
                           max=max_length) from exc


Name = Annotated[str, AfterValidator(check_name)]
Title = Annotated[str, AfterValidator(check_title)]


def storable(text: str) -> str:
    """Return free text without NUL (PostgreSQL refuses it) and with lone surrogates replaced."""
    return _UNSTORABLE.sub(lambda m: "" if m[0] == "\x00" else "\ufffd", text)


def clean_free_text(text: str | None, *, max_chars: int, empty: ErrorCode | None,
                    too_long: ErrorCode, what: str = "text",
                    error: type[DomainError] = InvalidInput) -> str:
    """Return free text as stored (`storable`, stripped), or raise `error` with a code.

    `empty=None` accepts an empty text (returned as ""); a text longer than `max_chars`
    raises with the `limit` field the message names.
    """
    words = storable(text or "").strip()
    if not words and empty is not None:
        raise error(f"{what} is empty", code=empty)
    if len(words) > max_chars:
        raise error(f"{what} is longer than {max_chars} characters", code=too_long,
                    limit=max_chars)
    return words


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(found: re.Match[str]) -> str:
    if found[0] in _ESCAPES:
        return _ESCAPES[found[0]]
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Return text safe to print as one line: controls and direction marks as escapes (\\x1b)."""
    return _NOT_SHOWN.sub(_escaped, text)


def shown_lines(text: str) -> str:
    """Return text safe to print as lines (a log record): as `one_line`, keeping \\n and tabs."""
    return _NOT_IN_LINES.sub(_escaped, text)
