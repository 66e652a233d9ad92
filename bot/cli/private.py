"""Files the command line writes hold owners' and agents' data: new ones are private (0600).

Invite links carry full phone numbers; reports carry names, owners' words and points. With
the usual umask (022) a file would be readable by every account on the host. An existing
file keeps the mode its owner gave it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

MODE = 0o600


def _opener(path: str, flags: int) -> int:
    return os.open(path, flags, MODE)


def open_private(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Open a file to write; a new one is readable and writable by its owner only."""
    return open(path, mode, opener=_opener, **kwargs)


def write_private(path: str | Path, data: bytes | str) -> None:
    """Write a whole file, bytes or UTF-8 text; a new one is private."""
    if isinstance(data, bytes):
        with open_private(path, "wb") as out:
            out.write(data)
    else:
        with open_private(path, "w", encoding="utf-8") as out:
            out.write(data)
