"""What a staff member's (or owner's) next text means: a reply to relay, a reason to record.

Kept in memory with a time limit: after a restart the person simply taps the button again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from surveys import clock

REPLY = "reply"  # relay the text to the owner of complaint `target`
APPEAL = "appeal"  # file an appeal of complaint `target` with the text as reason
UPHOLD = "uphold"  # decide appeal `target` with the text as reason
VOID = "void"
OWNER_REPLY = "owner_reply"  # relay the owner's text to the agent of complaint `target`
COMPLAIN = "complain"  # the text of a /complain sent without words


@dataclass(frozen=True)
class Pending:
    kind: str
    target: int
    expires_at: datetime


@dataclass
class PendingInputs:
    """Per Telegram user: the one input the bot waits for."""

    ttl: timedelta = timedelta(minutes=30)
    _items: dict[int, Pending] = field(default_factory=dict)

    def expect(self, user_id: int, kind: str, target: int) -> None:
        """Wait for this user's next text as `kind` about `target`."""
        self._items[user_id] = Pending(kind, target, clock.now() + self.ttl)

    def take(self, user_id: int) -> Pending | None:
        """Return and forget what this user's text is for (None if nothing or too late)."""
        item = self._items.pop(user_id, None)
        if item is None or item.expires_at <= clock.now():
            return None
        return item

    def cancel(self, user_id: int) -> bool:
        """Forget what we were waiting for; tell whether there was something."""
        return self._items.pop(user_id, None) is not None
