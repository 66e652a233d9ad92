"""The text of a heavy report view, kept a few minutes for its page turns.

A month's /report at a million responses costs seconds of CPU to build; each ◀️ / ▶️ tap used
to build it again. `first_page` stores the text it sent, `turn` reuses it while it is fresh,
so the pages of one message come from one computation (and cost nothing); access is still
checked on every tap. The key holds the person's identity and language, so another person,
a changed role or language never sees it. Per process: another replica builds its own.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta

from surveys.core import clock

CACHED_VIEWS = frozenset({"rep", "ag", "me"})  # complaint lists stay live (their ✏️ buttons)
FRESH_FOR = timedelta(minutes=5)
MAX_TEXTS = 64


class PageTexts:
    """Recently sent view texts by (identity, language, view, argument)."""

    def __init__(self, fresh_for: timedelta = FRESH_FOR, limit: int = MAX_TEXTS) -> None:
        self._texts: dict[Hashable, tuple[datetime, str]] = {}
        self._fresh_for, self._limit = fresh_for, limit

    def get(self, key: Hashable) -> str | None:
        """Return the stored text if it is still fresh."""
        found = self._texts.get(key)
        if found is None or clock.now() - found[0] > self._fresh_for:
            self._texts.pop(key, None)
            return None
        return found[1]

    def put(self, key: Hashable, text: str) -> None:
        """Store a text just sent (the oldest goes when full)."""
        self._texts.pop(key, None)
        if len(self._texts) >= self._limit:
            self._texts.pop(next(iter(self._texts)))
        self._texts[key] = (clock.now(), text)
