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


# Ids are INTEGER columns (int4 on PostgreSQL): a larger number, typed by a person or sent by
# a client, names no row, and the database refuses it in a query instead of finding nothing.
MAX_ROW_ID = 2**31 - 1


def may_name_a_row(number: int) -> bool:
    """Tell whether a number can be a stored row's id (look it up only then)."""
    return 0 < number <= MAX_ROW_ID
