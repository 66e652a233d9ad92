"""Read a CSV file the way people make them, one row at a time, never giving up mid-file.

The encoding is decided before the first row: a byte-order mark (UTF-8, UTF-16), else UTF-8
if the first megabyte is UTF-8, else GB18030 if it reads as Chinese; anything else is refused
up front (`FileRefused`). The file is streamed: memory stays flat whatever its size, and a
row is never longer than `MAX_RECORD_CHARS`. Every row comes back with the line it starts on;
a row that cannot be read (bytes of another encoding, a quote left open that swallowed the
lines after it, too many cells, an endless line) carries a `Problem` instead of cells, and
the rows after it are read as if it had not been there.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from surveys.core.errors import ErrorCode, InvalidInput, unreadable_file

MAX_RECORD_CHARS = 100_000  # no valid row comes near: the longest cell allowed is 500
SAMPLE_BYTES = 1 << 20
_MARK = "\udcff"  # stands for undecodable bytes; never part of correctly decoded text
_HANDLER = "ownervoice-mark"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _MARK, exc.end


codecs.register_error(_HANDLER, _mark)
csv.field_size_limit(MAX_RECORD_CHARS + 1)  # our own bound comes first, per row


@dataclass(frozen=True)
class Problem:
    """Why a row (or a cell of it) was refused: a code the CLI turns into words, and values."""

    code: str
    column: str | None = None
    values: dict[str, str | int] = field(default_factory=dict)


class FileRefused(InvalidInput):
    """The whole file cannot be read (encoding, header); nothing was imported."""

    def __init__(self, code: ErrorCode, **values: str | int) -> None:
        super().__init__(f"{code}: {values}", code=code, **values)
        self.values = values


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str]
    problem: Problem | None = None


def detect_encoding(head: bytes) -> str:
    """Return the codec for a file starting with `head`, or raise FileRefused."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileRefused(ErrorCode.ENCODING_REFUSED, encoding="UTF-32")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head[:4000].count(b"\x00") > len(head[:4000]) // 4:
        raise FileRefused(ErrorCode.ENCODING_REFUSED, encoding="UTF-16 without a byte-order mark")
    if _decodes(head, "utf-8"):
        return "utf-8"
    if _decodes(head, "gb18030") and _reads_as_chinese(head):
        return "gb18030"
    raise FileRefused(ErrorCode.ENCODING_REFUSED, encoding="?")


def _decodes(data: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _reads_as_chinese(data: bytes) -> bool:
    """Tell GB18030 text from Latin-1 or cp1252 that happens to decode as GB18030.

    Chinese text uses the common characters of GB2312 (both bytes 0xA1-0xFE); Latin-1 letters
    followed by ASCII decode as rare GBK characters, whose second byte is below 0xA1.
    """
    text = codecs.getincrementaldecoder("gb18030")().decode(data, final=False)
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return common >= 0.5 * len(wide)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


class _Lines:
    """Physical lines with their numbers; lines handed back are read again first."""

    def __init__(self, text: io.TextIOBase) -> None:
        self.text = text
        self.number = 0
        self.again: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []  # the lines of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.again:
            number, line = self.again.popleft()
        else:
            line = self.text.readline(MAX_RECORD_CHARS + 1)
            if not line:
                raise StopIteration
            self.number += 1
            number = self.number
            if len(line) > MAX_RECORD_CHARS and not line.endswith("\n"):
                self._skip_rest_of_line()
        self.taken.append((number, line))
        if sum(len(t) for _, t in self.taken) > MAX_RECORD_CHARS:
            raise _TooLong
        return line

    def _skip_rest_of_line(self) -> None:
        while True:
            chunk = self.text.readline(MAX_RECORD_CHARS)
            if not chunk or chunk.endswith("\n"):
                return

    def record(self) -> list[tuple[int, str]]:
        """Return and forget the lines the record just read was made of."""
        taken, self.taken = self.taken, []
        return taken

    def give_back(self, lines: Sequence[tuple[int, str]]) -> None:
        """Read these lines again before the rest of the file."""
        self.again.extendleft(reversed(lines))


class _TooLong(Exception):
    pass


@dataclass
class Table:
    """An open CSV file: its encoding, header and rows (iterate once)."""

    encoding: str
    header: list[str]
    _lines: _Lines
    _binary: io.BufferedReader[io.FileIO]

    def __iter__(self) -> Iterator[Row]:
        lines = self._lines
        reader = csv.reader(lines, strict=True)
        while True:
            problem: Problem | None = None
            cells: list[str] = []
            try:
                cells = next(reader)
            except StopIteration:
                return
            except _TooLong:
                problem = Problem("row_too_long", values={"limit": MAX_RECORD_CHARS})
            except csv.Error:
                problem = self._quote_problem(lines.taken)
            record = lines.record()
            problem = problem or self._swallowed(record) or self._cells_problem(cells)
            if problem is not None:
                lines.give_back(record[1:])  # the lines after the first are rows of their own
                reader = csv.reader(lines, strict=True)  # starts afresh, outside any quote
                first = cells or next(csv.reader([record[0][1][:MAX_RECORD_CHARS]]), [])
                yield Row(record[0][0], dict(zip(self.header, first, strict=False)), problem)
            elif any(cells):  # blank lines are skipped
                yield Row(record[0][0], dict(zip(self.header, cells, strict=False)))

    @staticmethod
    def _quote_problem(record: list[tuple[int, str]]) -> Problem:
        if len(record) > 1:  # still inside quotes when the file ended
            return Problem("unclosed_quote", values={"until": record[-1][0]})
        return Problem("bad_quotes")

    def _swallowed(self, record: list[tuple[int, str]]) -> Problem | None:
        """A quote left open reads the next rows into one cell: spot a whole row inside."""
        for number, line in record[1:]:
            if len(next(csv.reader([line]), [])) >= len(self.header) > 1:
                return Problem("unclosed_quote", values={"until": number})
        return None

    def _cells_problem(self, cells: list[str]) -> Problem | None:
        if any(_MARK in cell for cell in cells):
            return Problem("bad_bytes", values={"encoding": self.encoding})
        if len(cells) > len(self.header):
            return Problem("too_many_cells", values={"cells": len(cells),
                                                     "columns": len(self.header)})
        return None

    def fraction_read(self) -> float:
        """Return how much of the file was read so far, 0 to 1."""
        size = os.fstat(self._binary.fileno()).st_size
        return min(1.0, self._binary.tell() / size) if size else 1.0

    def close(self) -> None:
        """Close the file."""
        self._binary.close()


def open_table(path: str | Path, *, required: Sequence[str]) -> Table:
    """Open a CSV file, decide its encoding and read its header; raise FileRefused if unfit."""
    try:
        binary = io.BufferedReader(io.FileIO(Path(path), "r"), buffer_size=SAMPLE_BYTES)
    except OSError as exc:
        code, fields = unreadable_file(exc)
        raise FileRefused(code, path=str(path), **fields) from exc
    try:
        sample = SAMPLE_BYTES
        encoding = detect_encoding(binary.peek(sample)[:sample])
        text = io.TextIOWrapper(binary, encoding=encoding, errors=_HANDLER, newline="")
        lines = _Lines(text)
        try:
            header_cells = next(csv.reader(lines), None)
        except (csv.Error, _TooLong) as exc:
            raise FileRefused(ErrorCode.BAD_HEADER) from exc
        lines.record()
        header = [h.strip().lower() for h in header_cells or []]
        missing = [name for name in required if name not in header]
        if missing:
            raise FileRefused(ErrorCode.MISSING_COLUMNS, columns=", ".join(missing))
        return Table(encoding, header, lines, binary)
    except BaseException:
        binary.close()
        raise
