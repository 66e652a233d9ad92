"""The import loop every CSV import shares: stream rows, validate, write in batches, report.

A batch is written in its own transaction, so a crash loses at most the batch being written
and a rerun finds the rows before it "already there". A bad row never stops the import: it
is reported with its line and the reasons (`Problem` codes the CLI words), and the import
goes on with the next row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pydantic import ValidationError

from surveys.intake.refusals import IntakeRefused
from surveys.intake.table import Problem, Row, Table, open_table

log = logging.getLogger(__name__)

BATCH_ROWS = 500
KEEP_ERRORS = 1000  # the report keeps the first ones; `on_error` sees every one

T = TypeVar("T")


class Written(Protocol):
    """What a batch writer returns for a row it took: new, or already there."""

    @property
    def created(self) -> bool:
        """Tell whether the row was new."""
        ...


@dataclass(frozen=True)
class RowError:
    line: int
    key: str  # what names the row for a person (its external id, or the masked phone)
    problems: tuple[Problem, ...]


@dataclass
class ImportReport:
    encoding: str = ""
    rows: int = 0
    created: int = 0
    unchanged: int = 0  # already there (an idempotent re-import)
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every row was taken."""
        return not self.rejected


@dataclass(frozen=True)
class Hooks:
    """What the caller hears while a file is imported (the CLI prints and draws)."""

    on_error: Callable[[RowError], None] | None = None
    on_progress: Callable[[ImportReport, float], None] | None = None  # fraction of the file
    on_written: Callable[[Written], None] | None = None  # each row taken, in file order


@dataclass
class Importer(Generic[T]):
    """One file's import: `parse` turns a row into an item, `write` a batch into outcomes."""

    table: Table
    parse: Callable[[dict[str, str]], T]
    key: Callable[[dict[str, str]], str]
    write: Callable[[Sequence[T]], Awaitable[Sequence[Written | IntakeRefused]]]
    columns: Callable[[tuple[str | int, ...]], str]
    hooks: Hooks = field(default_factory=Hooks)
    batch_rows: int = BATCH_ROWS
    report: ImportReport = field(default_factory=ImportReport)

    async def run(self) -> ImportReport:
        """Import every row; return the counts and the first errors."""
        self.report.encoding = self.table.encoding
        batch: list[tuple[Row, T | tuple[Problem, ...]]] = []
        taken = 0
        for row in self.table:
            self.report.rows += 1
            batch.append((row, self._parse(row)))
            taken += not isinstance(batch[-1][1], tuple)
            if taken >= self.batch_rows or len(batch) >= 2 * self.batch_rows:
                await self._flush(batch)  # a file of bad rows still shows progress
                taken = 0
        await self._flush(batch)
        return self.report

    def _parse(self, row: Row) -> T | tuple[Problem, ...]:
        if row.problem is not None:
            return (row.problem,)
        try:
            return self.parse(row.cells)
        except ValidationError as exc:
            return tuple(self._problems(exc))

    def _problems(self, exc: ValidationError) -> list[Problem]:
        return [
            Problem(err["type"], self.columns(tuple(err["loc"])),
                    {k: _plain(v) for k, v in (err.get("ctx") or {}).items()})
            for err in exc.errors(include_url=False, include_input=False)
        ]

    async def _flush(self, batch: list[tuple[Row, T | tuple[Problem, ...]]]) -> None:
        items = [item for _, item in batch if not isinstance(item, tuple)]
        outcomes = iter(await self.write(items) if items else [])
        for row, item in batch:  # in file order, so errors come out by line
            if isinstance(item, tuple):
                self._reject(row, item)
                continue
            outcome = next(outcomes)
            if isinstance(outcome, IntakeRefused):
                self._reject(row, (Problem(outcome.code, None, dict(outcome.values)),))
                continue
            if outcome.created:
                self.report.created += 1
            else:
                self.report.unchanged += 1
            if self.hooks.on_written is not None:
                self.hooks.on_written(outcome)
        batch.clear()
        if self.hooks.on_progress is not None:
            self.hooks.on_progress(self.report, self.table.fraction_read())

    def _reject(self, row: Row, problems: tuple[Problem, ...]) -> None:
        error = RowError(row.line, self.key(row.cells), problems)
        self.report.rejected += 1
        if len(self.report.errors) < KEEP_ERRORS:
            self.report.errors.append(error)
        if self.hooks.on_error is not None:
            self.hooks.on_error(error)


async def import_file(path: str | Path, *, required: Sequence[str], what: str,
                      **importer: Any) -> ImportReport:
    """Open a CSV file (FileRefused if unfit), import every row, log and return the report."""
    table = open_table(path, required=required)
    try:
        report = await Importer(table=table, **importer).run()
    finally:
        table.close()
    log.info("imported %s from %s (%s): %s rows, %s new, %s already there, %s rejected",
             what, Path(path).name, report.encoding, report.rows, report.created,
             report.unchanged, report.rejected)
    return report


def _plain(value: object) -> str | int:
    return value if isinstance(value, int | str) else str(value)


def cell(cells: dict[str, str], name: str) -> str | None:
    """Return a cell stripped, None when it is empty or absent."""
    value = (cells.get(name) or "").strip()
    return value or None
