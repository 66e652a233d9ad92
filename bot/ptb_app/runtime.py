"""Build and drive a PTB `Application` whose one handler feeds `bot.runtime.handle`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.conversation.core import Conversation
from bot.ptb_app.messenger import PtbMessenger
from bot.ptb_app.request import AcceptingRequest, ScreeningRequest
from bot.ptb_app.updates import to_event
from bot.runtime.base import InvalidUpdate, TelegramRefused, TelegramUnreachable
from bot.runtime.conflict import PollingConflict
from bot.runtime.handle import bot_id_from_token, handle
from bot.staff.core import Staff

log = logging.getLogger(__name__)
UPDATER_LOG = logging.getLogger("telegram.ext.Updater")  # where PTB logs polling failures

ALLOWED_UPDATES = ["message", "callback_query"]  # what the aiogram runtime asks for too
# How long a call may take before it counts as lost (aiogram's messenger waits as long).
# PTB's default of 5 s gave up on a slow server that then carried the call out, and the
# retry sent the survey twice.
REQUEST_SECONDS = 30.0


def _polling_error(exc: TelegramError) -> None:
    """Log a failed getUpdates call as PTB does, but a 409 (said by PollingConflict)."""
    if not isinstance(exc, Conflict):
        UPDATER_LOG.error("Exception happened while polling for updates.", exc_info=exc)


class PollingEnded(Exception):
    """PTB's polling loop ended without being stopped."""


class PtbRuntime:
    """python-telegram-bot 22 wired to the conversation (see `bot.runtime.base.ChatRuntime`)."""

    name = "ptb"

    def __init__(self, *, token: str, api_base: str, conversation: Conversation,
                 staff: Staff | None = None, concurrent_updates: int = 256) -> None:
        base = api_base.rstrip("/")
        self.conversation = conversation
        self.staff = staff
        self.bot_id = bot_id_from_token(token)
        # concurrent like aiogram's polling: one slow database call must not hold up others
        self.dispatcher: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder().token(token)
            .base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
            .concurrent_updates(concurrent_updates)
            .request(AcceptingRequest(connection_pool_size=64, read_timeout=REQUEST_SECONDS,
                                      write_timeout=REQUEST_SECONDS,
                                      media_write_timeout=REQUEST_SECONDS * 2))
            .get_updates_request(ScreeningRequest(conflict=PollingConflict()))
            .build()
        )
        self.bot = self.dispatcher.bot
        self.messenger = PtbMessenger(self.bot)
        self.dispatcher.add_handler(TypeHandler(Update, self._on_update))
        self.dispatcher.add_error_handler(self._on_error)
        self._initialized = False
        self._polling_stopped = asyncio.Event()
        self._stop_asked = False

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await handle(self.conversation, self.messenger, bot_id=self.bot_id,
                     update_id=update.update_id, event=to_event(update, self._username()),
                     staff=self.staff)

    def _username(self) -> str | None:
        try:
            return self.bot.username
        except RuntimeError:  # not initialised (getMe not answered): every command is ours
            return None

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # `handle` already answered politely; this only catches PTB's own failures
        # (polling, network). Log them; never write anything into a chat from here.
        log.error("PTB error: %r", context.error, exc_info=context.error)

    async def check(self) -> None:
        """Initialise (getMe); raise TelegramUnreachable or TelegramRefused when that fails."""
        try:
            await self.start()
        except InvalidToken as exc:
            # PTB's words name the token in full ("The token `…` was rejected"); Telegram's
            # answer to a wrong or revoked token is 401 Unauthorized, as aiogram reports it.
            raise TelegramRefused("Unauthorized") from exc
        except (TelegramError, OSError, TimeoutError) as exc:
            raise TelegramUnreachable(str(exc) or type(exc).__name__,
                                      type(exc).__name__) from exc

    async def start(self) -> None:
        """Initialise the Application (and its Bot, which calls getMe)."""
        if not self._initialized:
            await self.dispatcher.initialize()
            self._initialized = True

    async def start_polling(self, *, poll_timeout: int) -> asyncio.Task[Any]:
        """Start the Application and its Updater's long polling."""
        await self.start()
        await self.dispatcher.start()
        updater = self.dispatcher.updater
        assert updater is not None
        self._polling_stopped.clear()
        self._stop_asked = False
        await updater.start_polling(timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES,
                                    drop_pending_updates=False, error_callback=_polling_error)
        return asyncio.create_task(self._watch_polling(), name="polling")

    async def _watch_polling(self) -> None:
        """End when polling is stopped, or raise when PTB's polling loop gave up by itself.

        PTB retries network errors for ever but ends its loop on InvalidToken (a revoked
        token), and then only logs it; the bot would sit there deaf. Its loop task is private.
        """
        updater = self.dispatcher.updater
        while not self._polling_stopped.is_set():
            loop_task = getattr(updater, "_Updater__polling_task", None)
            # A stop under way ends the loop too (before _polling_stopped is set, which waits
            # for the Application's handlers): that is no failure.
            if loop_task is not None and loop_task.done() and not self._stop_asked:
                error = loop_task.exception() if not loop_task.cancelled() else None
                raise PollingEnded(str(error or "") or "PTB's polling loop ended") from error
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._polling_stopped.wait(), timeout=1.0)

    async def stop_polling(self) -> None:
        """Stop polling and the Application (handlers in flight finish first)."""
        self._stop_asked = True
        updater = self.dispatcher.updater
        if updater is not None and updater.running:
            try:
                await updater.stop()
            except TelegramError as exc:  # the loop had ended with it (see _watch_polling)
                log.warning("PTB's polling had ended: %s", exc)
        if self.dispatcher.running:
            await self.dispatcher.stop()
        self._polling_stopped.set()

    async def feed_update(self, update: dict[str, Any]) -> None:
        """Handle one update that arrived by webhook."""
        await self.start()
        try:
            parsed = Update.de_json(update, self.bot)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # PTB reads the JSON without a schema: a wrong shape surfaces as one of these.
            raise InvalidUpdate(f"does not fit an Update: {type(exc).__name__}") from exc
        await self.dispatcher.process_update(parsed)

    async def close(self) -> None:
        """Shut the Application down (closes the Bot's HTTP clients)."""
        await self.stop_polling()
        if self._initialized:
            await self.dispatcher.shutdown()
            self._initialized = False
