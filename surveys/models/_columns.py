"""Column helpers shared by the table modules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, String
from sqlmodel import Field


def str_field(length: int, **kw: Any) -> Any:
    """Return a bounded VARCHAR field."""
    return Field(sa_type=String(length), **kw)


def ts_field(**kw: Any) -> Any:
    """Return a naive timestamp field (times are UTC, see surveys.core.clock)."""
    return Field(sa_type=DateTime(), **kw)
