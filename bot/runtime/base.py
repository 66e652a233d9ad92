"""The runtime seam `bot.app` drives: one object per chat framework (`bot.runtime.factory`)."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from bot.runtime.perform import ChatPort


class InvalidUpdate(ValueError):
    """The chat framework could not read this update (it does not fit the Bot API's shape)."""


class TelegramUnreachable(Exception):
    """The Bot API could not be reached (network, DNS, timeout, 5xx): worth another try.

    The message is the framework's own (English, for the log); `kind` names the failure in
    one word, for the log too: a person reads only that the Bot API cannot be reached.
    """

    def __init__(self, detail: str, kind: str) -> None:
        super().__init__(detail)
        self.kind = kind


class TelegramRefused(Exception):
    """The Bot API refused the bot itself (a wrong or revoked token): no retry helps."""


class ChatRuntime(Protocol):
    """A chat framework wired to the conversation: polling, webhook feed, menus, messenger."""

    name: str
    bot: Any  # the framework's Bot
    dispatcher: Any  # aiogram's Dispatcher or PTB's Application

    @property
    def messenger(self) -> ChatPort:
        """Its Bot API calls (also its `surveys.outbox.ports.Messenger`); menus are set by it."""
        ...

    async def check(self) -> None:
        """Ask the Bot API who the bot is (getMe); raise TelegramUnreachable/TelegramRefused."""
        ...

    async def start(self) -> None:
        """Prepare the framework (PTB needs `initialize()`); no updates yet."""
        ...

    async def start_polling(self, *, poll_timeout: int) -> asyncio.Task[Any]:
        """Start long polling; return a task that ends when polling ends."""
        ...

    async def stop_polling(self) -> None:
        """Stop long polling (no-op when not polling)."""
        ...

    async def feed_update(self, update: dict[str, Any]) -> None:
        """Handle one update received another way (a webhook)."""
        ...

    async def close(self) -> None:
        """Release the HTTP session."""
        ...
