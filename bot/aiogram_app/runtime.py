"""The aiogram side of `bot.runtime.base.ChatRuntime`: Bot, Dispatcher, polling, menus."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from aiogram.types import BotCommand, BotCommandScopeChat, Update

from bot.aiogram_app.messenger import AiogramMessenger
from bot.aiogram_app.setup import build_bot, build_dispatcher
from bot.conversation import Conversation


class AiogramRuntime:
    """aiogram 3 wired to the conversation."""

    name = "aiogram"

    def __init__(self, *, token: str, api_base: str, conversation: Conversation,
                 staff: Any | None = None) -> None:
        self.bot = build_bot(token, api_base)
        self.dispatcher = build_dispatcher(conversation)
        if staff is not None:  # handlers of the staff routers take it as `staff`
            self.dispatcher["staff"] = staff
        self.messenger = AiogramMessenger(self.bot)
        self._polling: asyncio.Task[Any] | None = None

    async def start(self) -> None:
        """Nothing to prepare: aiogram's Bot needs no initialisation."""

    async def start_polling(self, *, poll_timeout: int) -> asyncio.Task[Any]:
        """Drop any webhook and long-poll in a task."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        self._polling = asyncio.create_task(self.dispatcher.start_polling(
            self.bot, handle_signals=False, close_bot_session=False, polling_timeout=poll_timeout,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        ), name="polling")
        return self._polling

    async def stop_polling(self) -> None:
        """Stop long polling (no-op when not polling)."""
        try:
            await self.dispatcher.stop_polling()
        except RuntimeError:  # not polling (yet): a task that has not begun is cancelled
            if self._polling is not None and not self._polling.done():
                self._polling.cancel()

    async def feed_update(self, update: dict[str, Any]) -> None:
        """Handle one update that arrived by webhook."""
        await self.dispatcher.feed_update(self.bot, Update.model_validate(
            update, context={"bot": self.bot}))

    async def set_commands(self, commands: Sequence[tuple[str, str]], *,
                           language_code: str | None = None, chat_id: int | None = None
                           ) -> None:
        """Set the command menu for everyone, or for one chat."""
        scope = BotCommandScopeChat(chat_id=chat_id) if chat_id is not None else None
        await self.bot.set_my_commands(
            [BotCommand(command=c, description=d) for c, d in commands],
            scope=scope, language_code=language_code)

    async def close(self) -> None:
        """Close the Bot's HTTP session."""
        await self.bot.session.close()
