"""One clock for the whole domain, so tests and the demo can move time.

All datetimes in the database are naive UTC: SQLite has no time zones, and one convention
for both SQLite and PostgreSQL avoids mixing aware and naive values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

_source: Callable[[], datetime] | None = None


def now() -> datetime:
    """Return the current time as naive UTC."""
    if _source is not None:
        return _source()
    return datetime.now(UTC).replace(tzinfo=None)


def set_source(source: Callable[[], datetime] | None) -> None:
    """Replace the time source (None restores the system clock)."""
    global _source
    _source = source


class FrozenClock:
    """A controllable clock for tests and the demo: call `install()`, then `advance()`."""

    def __init__(self, start: datetime) -> None:
        self.current = start.replace(tzinfo=None) if start.tzinfo is None else (
            start.astimezone(UTC).replace(tzinfo=None)
        )

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward and return the new time."""
        self.current += delta
        return self.current

    def install(self) -> FrozenClock:
        """Make this clock the domain's time source."""
        set_source(self)
        return self

    @staticmethod
    def uninstall() -> None:
        """Restore the system clock."""
        set_source(None)
