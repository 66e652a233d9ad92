"""What a staff member's (or owner's) next text means: a reply to relay, a reason to record.

Stored in the database (`surveys.people.prompts`), so a prompt survives a restart and every replica
behind the webhook sees it; after `ttl` the text is handled as a new message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from surveys.core.db import SessionFactory
from surveys.people.prompts import DEFAULT_TTL, clear_prompt, set_prompt, take_prompt
from surveys.people.prompts import Prompt as Pending

REPLY = "reply"  # relay the text to the owner of complaint `target`
APPEAL = "appeal"  # file an appeal of complaint `target` with the text as reason
UPHOLD = "uphold"  # decide appeal `target` with the text as reason
VOID = "void"
OWNER_REPLY = "owner_reply"  # relay the owner's text to the agent of complaint `target`
COMPLAIN = "complain"  # the text of a /complain sent without words

__all__ = ["APPEAL", "COMPLAIN", "OWNER_REPLY", "REPLY", "UPHOLD", "VOID", "Pending",
           "PendingInputs"]


@dataclass
class PendingInputs:
    """Per Telegram user: the one input the bot waits for."""

    db: SessionFactory
    ttl: timedelta = DEFAULT_TTL

    @property
    def minutes(self) -> str:
        """Return the time limit in minutes, for messages."""
        return f"{self.ttl.total_seconds() / 60:g}"

    async def expect(self, user_id: int, kind: str, target: int) -> None:
        """Wait for this user's next text as `kind` about `target`."""
        await set_prompt(db=self.db, telegram_user_id=user_id, kind=kind, target=target,
                         ttl=self.ttl)

    async def take(self, user_id: int) -> Pending | None:
        """Return and forget what this user's text is for; check `.expired` before acting."""
        return await take_prompt(db=self.db, telegram_user_id=user_id)

    async def cancel(self, user_id: int) -> bool:
        """Forget what we were waiting for; tell whether there was something (unexpired)."""
        return await clear_prompt(db=self.db, telegram_user_id=user_id)
