"""The runtime seam `bot.app` drives: one object per chat framework, chosen by config."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from bot.conversation import Conversation
from bot.runtime.perform import ChatPort
from bot.staff.core import Staff

RUNTIMES = ("aiogram", "ptb")


class InvalidUpdate(ValueError):
    """The chat framework could not read this update (it does not fit the Bot API's shape)."""


class ChatRuntime(Protocol):
    """A chat framework wired to the conversation: polling, webhook feed, menus, messenger."""

    name: str
    bot: Any  # the framework's Bot
    dispatcher: Any  # aiogram's Dispatcher or PTB's Application

    @property
    def messenger(self) -> ChatPort:
        """Its Bot API calls (also its `surveys.outbox.ports.Messenger`); menus are set by it."""
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


def build_runtime(name: str, *, token: str, api_base: str, conversation: Conversation,
                  staff: Staff | None = None) -> ChatRuntime:
    """Create the named runtime; its framework is imported only here, only when chosen."""
    if name == "ptb":
        from bot.ptb_app.runtime import PtbRuntime

        return PtbRuntime(token=token, api_base=api_base, conversation=conversation,
                          staff=staff)
    if name == "aiogram":
        from bot.aiogram_app.runtime import AiogramRuntime

        return AiogramRuntime(token=token, api_base=api_base, conversation=conversation,
                              staff=staff)
    raise ValueError(f"unknown runtime {name!r}; choose one of {', '.join(RUNTIMES)}")
