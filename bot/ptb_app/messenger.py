"""`surveys.outbox.ports.Messenger` (and `bot.runtime.ChatPort`) on PTB, with errors mapped.

PTB exceptions become the port's delivery errors so the dispatcher never sees a framework
type: RetryAfter -> RetryLater, NetworkError/TimedOut -> TransientFailure, Forbidden and
chat-not-found (and other) BadRequest -> Undeliverable, an upload refused as too large (413,
which PTB files as a NetworkError) -> TooLarge, "message is not modified" ->
MessageNotModified.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import TypeVar

from telegram import Bot, BotCommand, BotCommandScopeChat, InputFile, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.ptb_app.keyboards import inline_markup, message_markup
from bot.ptb_app.request import AcceptedUnreadable, accepted
from bot.runtime.delivery import (
    answer_quietly,
    call_mapped,
    refused,
    reply_optional,
    reply_to,
    too_large,
    transient,
)
from bot.runtime.fit import fit, fit_caption, fit_toast
from surveys.outbox.ports import (
    ChatUnreachable,
    DeliveryError,
    Keyboard,
    OutgoingMessage,
    RetryLater,
    SentUnreadable,
    TooLarge,
    Undeliverable,
)

T = TypeVar("T")


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def map_error(exc: BaseException) -> DeliveryError:
    """Translate a PTB/network exception into the port's delivery error."""
    if isinstance(exc, AcceptedUnreadable):
        return SentUnreadable(str(exc))
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():  # int-vs-timedelta deprecation notice; we take both
            warnings.simplefilter("ignore")
            return RetryLater(_seconds(exc.retry_after), str(exc))
    if isinstance(exc, BadRequest):  # before NetworkError: PTB derives it from NetworkError
        return refused(exc.message)
    if isinstance(exc, Forbidden):  # blocked, deactivated, never started
        return ChatUnreachable(str(exc))
    if isinstance(exc, ChatMigrated):
        return Undeliverable(str(exc))
    if isinstance(exc, TelegramError) and too_large(exc.message):
        # PTB files a 413 (JSON or a proxy's page) as a NetworkError: it would never fit.
        return TooLarge(exc.message)
    if isinstance(exc, NetworkError | TimeoutError | OSError | TelegramError):
        # InvalidToken, Conflict and the like are about our set-up, not this message:
        # retry with backoff rather than dropping the message for good.
        return transient(exc)
    raise exc


async def _call(fn: Callable[[], Awaitable[T]]) -> T:
    token = accepted.set(False)
    try:
        return await call_mapped(fn, (TimeoutError, TelegramError, OSError), map_error)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if accepted.get():  # de_json could not read what a 2xx answer carried
            raise SentUnreadable(f"{type(exc).__name__}: {exc}") from exc
        raise
    finally:
        accepted.reset(token)


class PtbMessenger:
    """Send, edit and answer taps with a PTB `Bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: OutgoingMessage, *, parse_mode: str | None = None) -> int:
        """Send a text message (with its keyboard) and return its message_id."""
        answered = reply_to(message)
        reply = (ReplyParameters(answered, allow_sending_without_reply=reply_optional(message))
                 if answered is not None else None)
        sent = await _call(lambda: self.bot.send_message(
            message.chat_id, fit(message.text, parse_mode), reply_markup=message_markup(message),
            parse_mode=parse_mode, reply_parameters=reply))
        return sent.message_id

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None = None, parse_mode: str | None = None) -> None:
        """Replace a message's text and inline keyboard (no buttons removes the keyboard)."""
        await _call(lambda: self.bot.edit_message_text(
            fit(text, parse_mode), chat_id=chat_id, message_id=message_id,
            reply_markup=inline_markup(buttons),
            parse_mode=parse_mode))

    async def send_document(self, *, chat_id: int, filename: str, data: bytes,
                            caption: str | None = None) -> int:
        """Upload a file as a document and return its message_id."""
        sent = await _call(lambda: self.bot.send_document(
            chat_id, InputFile(data, filename=filename), caption=fit_caption(caption)))
        return sent.message_id

    async def send_photo(self, *, chat_id: int, filename: str, data: bytes,
                         caption: str | None = None) -> int:
        """Upload an image and return its message_id."""
        sent = await _call(lambda: self.bot.send_photo(
            chat_id, InputFile(data, filename=filename), caption=fit_caption(caption)))
        return sent.message_id

    async def answer_callback(self, callback_id: str, text: str | None = None,
                              alert: bool = False) -> None:
        """Answer a button tap; a refused answer (too old, answered) is only logged."""
        await answer_quietly(lambda: _call(lambda: self.bot.answer_callback_query(
            callback_id, text=fit_toast(text), show_alert=alert)))

    async def set_commands(self, commands: Sequence[tuple[str, str]], *,
                           language_code: str | None = None, chat_id: int | None = None
                           ) -> None:
        """Set the command menu for everyone, or for one chat."""
        scope = BotCommandScopeChat(chat_id) if chat_id is not None else None
        await self.bot.set_my_commands([BotCommand(c, d) for c, d in commands],
                                       scope=scope, language_code=language_code)

    async def delete_commands(self, *, language_code: str | None = None,
                              chat_id: int | None = None) -> None:
        """Delete the command menu for everyone, or for one chat (deleteMyCommands)."""
        scope = BotCommandScopeChat(chat_id) if chat_id is not None else None
        await self.bot.delete_my_commands(scope=scope, language_code=language_code)
