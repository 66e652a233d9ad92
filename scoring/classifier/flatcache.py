"""A word -> float table kept as a flat file in the temporary directory, read back fast.

Unpickling or JSON-parsing a table of 50-80k words costs 25-75 ms at every start; the same
table loads from one UTF-8 block of words and one block of doubles in a few milliseconds
(split and dict(zip) run in C). The values come back as the same doubles. A file whose name
(`stamp`) no longer matches its source is simply never read again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from collections.abc import Callable
from pathlib import Path

_MAGIC = b"ownervoice-flat-table 1\n"
_SEP = "\n"

Table = tuple[dict[str, float], float]


def temp_path(name: str) -> Path:
    """Return where a file called `name` is kept in the shared temporary directory."""
    return Path(tempfile.gettempdir()) / name


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to a fresh partial file beside path, then move it into place.

    Readers see the old file or the whole new one, never half of it. The partial file gets
    a random name created exclusively (nobody can plant it or link it elsewhere) and is
    readable by this user only, so `trusted` accepts the result.
    """
    fd, partial_name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    partial = Path(partial_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)  # e.g. someone else's file holds the name
        raise


def write(path: Path, table: dict[str, float], extra: float) -> bool:
    """Write the table and one extra number; False when a word cannot be stored."""
    if any(_SEP in word for word in table):
        return False
    words = _SEP.join(table).encode("utf-8")
    values = array("d", table.values())
    values.append(extra)
    head = _MAGIC + f"{len(table)} {len(words)}\n".encode("ascii")
    write_atomic(path, head + words + values.tobytes())
    return True


def trusted(stat: os.stat_result) -> bool:
    """Tell whether a file in the shared temporary directory is ours and writable by us only.

    Another local user could plant a table there: model weights.
    """
    uid = getattr(os, "geteuid", None)
    return uid is None or (stat.st_uid == uid() and not stat.st_mode & 0o022)


def read_trusted(path: Path) -> bytes | None:
    """Return a temporary file's bytes, or None when it is missing or not `trusted`."""
    try:
        with path.open("rb") as fh:
            return fh.read() if trusted(os.fstat(fh.fileno())) else None
    except FileNotFoundError:
        return None


def read(path: Path) -> Table | None:
    """Read a table written by `write`, or None if the file is not one (or not ours)."""
    data = read_trusted(path)
    if data is None or not data.startswith(_MAGIC):
        return None
    head_end = data.index(b"\n", len(_MAGIC)) + 1
    count, size = map(int, data[len(_MAGIC) : head_end].split())
    words = data[head_end : head_end + size].decode("utf-8").split(_SEP) if count else []
    values = array("d")
    values.frombytes(data[head_end + size :])
    if len(words) != count or len(values) != count + 1:
        return None
    extra = values.pop()
    return dict(zip(words, values.tolist(), strict=True)), extra


def cached(name: str, build: Callable[[], tuple[dict[str, float], float, bool]]) -> Table:
    """Return the table kept as `name` in the temporary directory, or build and keep it.

    build returns the table, the extra number, and whether they may be kept under `name`.
    """
    path = temp_path(name)
    try:
        found = read(path)
    except (OSError, ValueError):
        found = None
    if found is not None:
        return found
    table, extra, keep = build()
    if keep:
        # A read-only temporary directory: build again next time.
        with contextlib.suppress(OSError):
            write(path, table, extra)
    return table, extra
