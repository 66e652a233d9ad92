"""Per-bot state: chats, files, updates, callback queries, commands, logs and counters."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.models import CallbackRecord, ChatRecord, FileRecord, UserRecord
from bot.emulator.updates import UpdateQueue

TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
MAX_LOG = 200_000


@dataclass
class WebhookConfig:
    """A webhook set by setWebhook, and how its deliveries went."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    failures: int = 0


@dataclass
class BotState:
    """Everything one bot token owns; bots never see each other's state."""

    token: str
    me: UserRecord
    chats: dict[int, ChatRecord] = field(default_factory=dict)
    files: dict[str, FileRecord] = field(default_factory=dict)
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    callbacks: dict[str, CallbackRecord] = field(default_factory=dict)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    default_menu_button: dict[str, Any] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    method_counts: Counter[str] = field(default_factory=Counter)
    status_counts: Counter[int] = field(default_factory=Counter)
    sends_per_chat: Counter[int] = field(default_factory=Counter)
    edits_per_chat: Counter[int] = field(default_factory=Counter)
    too_many_requests: int = 0
    webhook: WebhookConfig | None = None
    webhook_task: asyncio.Task[None] | None = None
    logged_out: bool = False

    def log(self, entry: dict[str, Any]) -> None:
        """Record one API call (bounded, oldest dropped)."""
        if len(self.requests) >= MAX_LOG:
            del self.requests[: MAX_LOG // 10]
        self.requests.append(entry)

    def stats(self) -> dict[str, Any]:
        """Return per-method counts, statuses, 429s and per-chat send counts."""
        return {
            "methods": dict(self.method_counts),
            "statuses": {str(k): v for k, v in self.status_counts.items()},
            "too_many_requests": self.too_many_requests,
            "sends_per_chat": {str(k): v for k, v in self.sends_per_chat.items()},
            "edits_per_chat": {str(k): v for k, v in self.edits_per_chat.items()},
            "requests": sum(self.method_counts.values()),
            "pending_updates": len(self.updates.pending),
            "messages_sent": sum(self.sends_per_chat.values()),
            "messages_edited": sum(self.edits_per_chat.values()),
        }


def new_bot(token: str, username: str | None = None, first_name: str | None = None) -> BotState:
    """Create the state of a bot, naming it after its token unless told otherwise."""
    match = TOKEN_RE.match(token)
    bot_id = int(match.group(1)) if match else 0
    me = UserRecord(
        user_id=bot_id,
        first_name=first_name or f"Emulated Bot {bot_id}",
        username=username or f"emu{bot_id}_bot",
        language_code=None,
        is_bot=True,
    )
    return BotState(token=token, me=me)
