"""aiogram 3 as a `bot.runtime.base.ChatRuntime`: one router feeds `bot.runtime.handle`.

Routing order, dedupe, polite errors and replies are shared with the PTB runtime
(`bot.runtime`); this module only owns the aiogram Bot, Dispatcher and polling.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import ClientDecodeError, TelegramAPIError, TelegramUnauthorizedError
from aiogram.types import CallbackQuery, Message, Update
from pydantic import ValidationError

from bot.aiogram_app.port import AiogramPort
from bot.aiogram_app.session import AcceptingSession
from bot.aiogram_app.updates import callback_to_event, message_to_event
from bot.conversation.core import Conversation
from bot.runtime.base import InvalidUpdate, TelegramRefused, TelegramUnreachable
from bot.runtime.conflict import ConflictLines, PollingConflict
from bot.runtime.events import Event
from bot.runtime.handle import bot_id_from_token, handle
from bot.staff.core import Staff

log = logging.getLogger(__name__)
DISPATCHER_LOG = logging.getLogger("aiogram.dispatcher")  # where aiogram logs polling failures

# How long a stop waits for the updates being handled (a reply may wait on a slow Bot API).
HANDLING_GRACE_SECONDS = 10.0


def build_bot(token: str, api_base: str, conflict: PollingConflict | None = None) -> Bot:
    """Create a Bot talking to `api_base` (Telegram, a local Bot API server or the emulator)."""
    server = TelegramAPIServer.from_base(api_base.rstrip("/"))
    return Bot(token=token, session=AcceptingSession(api=server, conflict=conflict))


class AiogramRuntime:
    """aiogram 3 wired to the conversation (and the staff layer, when there is one)."""

    name = "aiogram"

    def __init__(self, *, token: str, api_base: str, conversation: Conversation,
                 staff: Staff | None = None) -> None:
        self.conversation = conversation
        self.staff = staff
        self.bot_id = bot_id_from_token(token)
        self.bot = build_bot(token, api_base, PollingConflict())
        self._conflict_lines = ConflictLines()
        self.messenger = AiogramPort(self.bot)
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(self._router())
        self._polling: asyncio.Task[Any] | None = None
        self._handling: set[asyncio.Task[Any]] = set()  # updates being handled now

    def _router(self) -> Router:
        router = Router(name="ownervoice")

        @router.message()
        async def message(message: Message, event_update: Update) -> None:
            event = message_to_event(message, await self._username())
            await self._handle(event_update.update_id, event)

        @router.callback_query()
        async def callback(query: CallbackQuery, event_update: Update) -> None:
            await self._handle(event_update.update_id, callback_to_event(query))

        return router

    async def _username(self) -> str | None:
        # aiogram caches getMe's answer (asked at start-up by `check`): no call per update.
        try:
            return (await self.bot.me()).username
        except (TelegramAPIError, ClientDecodeError, OSError, TimeoutError):
            return None  # unknown: every command counts as ours

    async def _handle(self, update_id: int, event: Event | None) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handling.add(task)
        try:
            await handle(self.conversation, self.messenger, bot_id=self.bot_id,
                         update_id=update_id, event=event, staff=self.staff)
        finally:
            if task is not None:
                self._handling.discard(task)

    async def check(self) -> None:
        """Ask the Bot API who the bot is (getMe); raise TelegramUnreachable/TelegramRefused."""
        try:
            # bot.me() caches the answer: polling asks for it again when it starts, and a
            # failure there would end polling for good.
            await self.bot.me()
        except TelegramUnauthorizedError as exc:
            raise TelegramRefused(exc.message) from exc
        except (TelegramAPIError, ClientDecodeError, OSError, TimeoutError) as exc:
            raise TelegramUnreachable(str(exc) or type(exc).__name__,
                                      type(exc).__name__) from exc

    async def start(self) -> None:
        """Nothing to prepare: aiogram's Bot needs no initialisation."""

    async def start_polling(self, *, poll_timeout: int) -> asyncio.Task[Any]:
        """Drop any webhook and long-poll in a task."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        # aiogram's own lines about another poller: PollingConflict says it once instead.
        DISPATCHER_LOG.addFilter(self._conflict_lines)
        self._polling = asyncio.create_task(self.dispatcher.start_polling(
            self.bot, handle_signals=False, close_bot_session=False, polling_timeout=poll_timeout,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        ), name="polling")
        return self._polling

    async def stop_polling(self) -> None:
        """Stop long polling, then let the updates being handled finish (as PTB's stop does).

        aiogram handles each polled update in a task of its own and waits for none of them
        when polling stops: the app would close the chat session and the database under them.
        """
        DISPATCHER_LOG.removeFilter(self._conflict_lines)
        try:
            await self.dispatcher.stop_polling()
        except RuntimeError:  # not polling (yet): a task that has not begun is cancelled
            if self._polling is not None and not self._polling.done():
                self._polling.cancel()
        if self._handling:
            _, late = await asyncio.wait(set(self._handling), timeout=HANDLING_GRACE_SECONDS)
            if late:
                log.warning("%s update(s) still being handled %g s after the stop; closing "
                            "anyway", len(late), HANDLING_GRACE_SECONDS)

    async def feed_update(self, update: dict[str, Any]) -> None:
        """Handle one update that arrived by webhook."""
        try:
            parsed = Update.model_validate(update, context={"bot": self.bot})
        except ValidationError as exc:
            raise InvalidUpdate(f"{exc.error_count()} field(s) do not fit an Update") from exc
        await self.dispatcher.feed_update(self.bot, parsed)

    async def close(self) -> None:
        """Close the Bot's HTTP session."""
        await self.bot.session.close()
