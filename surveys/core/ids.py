"""Row ids: a stored row always has one, though its model types `id` as `int | None`."""

from __future__ import annotations

from typing import Protocol


class HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def require_id(row: HasId) -> int:
    """Return the id of a row that was flushed or loaded; a row never stored is a bug."""
    if row.id is None:
        raise LookupError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id
