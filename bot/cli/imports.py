"""What a CSV import tells the person running it: each rejected row, progress, a summary.

Reasons are `Problem` codes from `surveys.intake`, worded here through the catalogs (the
`intake.po` files), in the terminal's language (`LANG`) unless `--lang` says otherwise.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TextIO

from bot.cli._db import with_db
from bot.cli.errors import terminal_tr
from bot.i18n import N_, Translator
from bot.render.errors import code_text, error_text
from bot.render.repeats import set_categories
from surveys.core.errors import ErrorCode
from surveys.core.pii import mask_phones
from surveys.core.text import one_line
from surveys.intake.importer import Hooks, ImportReport, RowError
from surveys.intake.table import FileRefused, Problem

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

REASONS = {
    "bad_bytes": N_("bytes that are not {encoding} text"),
    "bad_quotes": N_("a quote is out of place (a quoted cell ends with a quote, then a comma "
                     "or the end of the line)"),
    "unclosed_quote": N_("a quote opened on this line is never closed: lines up to {until} "
                         "would have become one cell (they are read as rows of their own)"),
    "row_too_long": N_("the row is longer than {limit} characters"),
    "too_many_cells": N_("{cells} cells, but the header names {columns} columns"),
    "missing": N_("{column} is missing"),
    "string_too_short": N_("{column} is empty or shorter than {min_length} characters"),
    "string_too_long": N_("{column} is longer than {max_length} characters"),
    "string_pattern_mismatch": N_("{column} may hold only letters, digits and _ . : / -"),
    "literal_error": N_("{column} must be one of {expected}"),
    "revisit_channel": N_("{column} must be phone / visit (or 电话 / 上门)"),
    "datetime_from_date_parsing": N_("{column} is not a date and time such as "
                                     "2026-11-16T10:00:00+08:00"),
    "datetime_parsing": N_("{column} is not a date and time such as 2026-11-16T10:00:00+08:00"),
    "year_out_of_range": N_("{column} must be between the years {first} and {last}"),
    "closed_before_opened": N_("closed_at is before opened_at"),
    "first_action_before_opened": N_("first_action_at is before opened_at"),
    "first_action_after_closed": N_("first_action_at is after closed_at"),
    "invalid_phone": N_("{column} is not a Chinese mobile (11 digits) or landline number"),
    "control_character": N_("{column} contains a control character ({code_point})"),
    "unknown_community": N_("unknown community {community} (add it with ownervoice people "
                            "communities add)"),
    "unknown_agent": N_("unknown agent {agent} (add the agent first, or fill agent_name)"),
    "conflicting_order": N_("work order {external_id} was already closed for another "
                            "community or owner"),
    "int_parsing": N_("{column} is not a whole number"),
    "int_from_float": N_("{column} is not a whole number"),
    "greater_than_equal": N_("{column} must be at least {ge}"),
    "less_than_equal": N_("{column} must be at most {le}"),
}
QUOTED = re.compile(r"'([^']*)'")
FALLBACK = N_("{column} has a value that cannot be used")


def reason(tr: Translator, problem: Problem) -> str:
    """Word one problem in the translator's language."""
    values = {"column": problem.column or "-", **problem.values}
    if problem.code == "literal_error":
        # pydantic's list reads "'phone' or 'visit'": keep the values, drop its English "or".
        values["expected"] = " / ".join(QUOTED.findall(str(values.get("expected", "")))) \
            or values.get("expected", "")
    # A service's refusal (e.g. a 回访 for an answered order) says it as in chat.
    if problem.code not in REASONS and problem.code in set(ErrorCode):
        return code_text(tr, ErrorCode(problem.code), values)
    template = REASONS.get(problem.code) or FALLBACK
    try:
        return tr._(template, **values)
    except (KeyError, IndexError):  # a code whose values differ: say at least where
        return tr._(FALLBACK, column=problem.column or "-")


# What the reader guessed a refused file's encoding to be (surveys.intake.table), in words.
ENCODING_NAMES = {"?": N_("another encoding"),
                  "UTF-16 without a byte-order mark": N_("UTF-16 without a byte-order mark")}


def file_refused(tr: Translator, exc: FileRefused) -> str:
    """Word a refusal of the whole file (through the one message table)."""
    name = ENCODING_NAMES.get(str(exc.values.get("encoding")))
    if name is not None:
        return error_text(tr, exc, encoding=tr._(name))
    return error_text(tr, exc)


def error_line(tr: Translator, error: RowError) -> str:
    """Word one rejected row: its line, what names it, and every reason."""
    reasons = "; ".join(reason(tr, p) for p in error.problems)
    # The cells quoted come from a file made elsewhere: escaped, they cannot drive the
    # terminal (ESC codes) or forge a line of this report (a line break in a quoted cell).
    return one_line(mask_phones(tr._("line {line} ({key}): {reasons}", line=error.line,
                               key=error.key or "-", reasons=reasons)))


def summary(tr: Translator, report: ImportReport, seconds: float) -> str:
    """Word the counts at the end of an import."""
    return tr.n_("{rows} row ({encoding}): {created} imported, {unchanged} already there, "
                 "{rejected} rejected, in {seconds:.1f} s",
                 "{rows} rows ({encoding}): {created} imported, {unchanged} already there, "
                 "{rejected} rejected, in {seconds:.1f} s", report.rows,
                 rows=report.rows, encoding=report.encoding or "-", created=report.created,
                 unchanged=report.unchanged, rejected=report.rejected, seconds=seconds)


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""
    def __init__(self, tr: Translator, stream: TextIO | None = None) -> None:
        self.tr, self.stream = tr, stream or sys.stderr
        self.shown = self.stream.isatty()
        self.started = time.monotonic()

    def draw(self, report: ImportReport, fraction: float) -> None:
        """Redraw the bar for this much of the file."""
        if not self.shown:
            return
        filled = int(fraction * 30)
        rate = report.rows / max(time.monotonic() - self.started, 1e-6)
        self.stream.write("\r[" + "#" * filled + "." * (30 - filled) + "] " + self.tr._(
            "{percent}% {rows} rows, {rate} rows/s", percent=int(fraction * 100),
            rows=report.rows, rate=int(rate)) + "\033[K")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the bar before the summary is printed."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def print_error(self, line: str) -> None:
        """Print a rejected row's line above the bar."""
        self.clear()
        print(line, file=self.stream)


def hooks_for(tr: Translator, progress: Progress) -> Hooks:
    """Return import hooks that print each rejected row and draw the progress bar."""
    return Hooks(on_error=lambda e: progress.print_error(error_line(tr, e)),
                 on_progress=progress.draw)


def run_import(args: Any, action: Callable[[Any, Any, Hooks], Awaitable[ImportReport]]) -> int:
    """Run an import from the command line: 0 all taken, 1 rows rejected, 2 file refused."""
    tr = terminal_tr(getattr(args, "lang", None))  # what `--help` speaks too
    progress = Progress(tr)

    async def act(db: SessionFactory, settings: Settings) -> ImportReport:
        set_categories(settings.categories)  # a refusal names the company's categories
        return await action(db, settings, hooks_for(tr, progress))

    try:
        report = asyncio.run(with_db(args.db_url, act))
    except FileRefused as exc:
        progress.clear()
        print(tr._("error: {reason}", reason=file_refused(tr, exc)), file=sys.stderr)
        return 2
    progress.clear()
    print(summary(tr, report, time.monotonic() - progress.started))
    return 0 if report.ok else 1
