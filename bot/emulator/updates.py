"""The per-bot update queue: long polling with offsets, redelivery and webhook push."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import CONFLICT_POLLING, ApiError

DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    """Return the kind of an update (message, callback_query...)."""
    for key in update:
        if key != "update_id":
            return key
    return ""


@dataclass
class Pending:
    """An update waiting in the queue; forced ones ignore the offset until delivered once."""

    update: dict[str, Any]
    forced: bool = False
    delivered: bool = False

    @property
    def update_id(self) -> int:
        """Return the update's id."""
        return int(self.update["update_id"])


@dataclass
class UpdateQueue:
    """Updates not yet confirmed by the bot, plus the state of its getUpdates callers."""

    last_update_id: int = 100_000
    pending: list[Pending] = field(default_factory=list)
    history: dict[int, dict[str, Any]] = field(default_factory=dict)
    allowed: frozenset[str] | None = None
    generation: int = 0
    closed: bool = False
    _event: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Append a new update built from body and wake the waiters."""
        self.last_update_id += 1
        update = {"update_id": self.last_update_id, **body}
        self.history[self.last_update_id] = update
        self.pending.append(Pending(update))
        self.notify()
        return update

    def redeliver(self, update_id: int) -> dict[str, Any]:
        """Queue an already-created update again under the same update_id."""
        update = self.history[update_id]
        self.pending.append(Pending(update, forced=True))
        self.notify()
        return update

    def notify(self) -> None:
        """Wake every coroutine waiting for a change."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Wait until the queue changes or `seconds` pass."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    def is_allowed(self, update: dict[str, Any]) -> bool:
        """Say whether the bot's allowed_updates lets this update through."""
        kind = update_type(update)
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed

    def confirm(self, offset: int) -> None:
        """Drop updates the offset confirms (and any the bot does not allow)."""
        kept = []
        if offset < 0:
            normal = [p for p in self.pending if not p.forced]
            drop = {id(p) for p in normal[:offset]} if len(normal) > -offset else set()
            kept = [p for p in self.pending if id(p) not in drop]
        else:
            for item in self.pending:
                if item.update_id < offset and (not item.forced or item.delivered):
                    continue
                kept.append(item)
        self.pending = [p for p in kept if self.is_allowed(p.update)]

    def take(self, limit: int) -> list[dict[str, Any]]:
        """Return up to limit deliverable updates, redelivered ones first."""
        self.pending = [p for p in self.pending if self.is_allowed(p.update)]
        ordered = [p for p in self.pending if p.forced] + [p for p in self.pending if not p.forced]
        chosen = ordered[:limit]
        for item in chosen:
            item.delivered = True
        return [item.update for item in chosen]

    def close(self) -> None:
        """Answer waiting getUpdates calls with no updates (the bot's state is discarded)."""
        self.closed = True
        self.notify()

    def clear(self) -> None:
        """Drop every pending update."""
        self.pending.clear()
        self.notify()

    async def get_updates(
        self, *, offset: int | None, limit: int, wait_seconds: float,
        allowed: list[str] | None,
    ) -> list[dict[str, Any]]:
        """Serve one getUpdates call; a newer call ends this one with 409 Conflict."""
        self.generation += 1
        mine = self.generation
        self.notify()
        if allowed is not None:
            self.allowed = frozenset(allowed) if allowed else None
        if offset:
            self.confirm(offset)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            if self.generation != mine:
                raise ApiError(409, CONFLICT_POLLING)
            updates = self.take(limit)
            remaining = deadline - time.monotonic()
            if updates or remaining <= 0 or self.closed:
                return updates
            await self.wait(remaining)
