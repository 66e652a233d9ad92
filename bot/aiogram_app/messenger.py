"""`surveys.outbox.ports.Messenger` on aiogram 3: sends, edits and files, with errors mapped.

aiogram exceptions become the port's delivery errors so the dispatcher never sees a
framework type: 429 -> RetryLater, 5xx/network/timeout (and an error page a proxy in front
of the Bot API answered instead of JSON) -> TransientFailure, blocked or
chat not found (and other permanent 4xx) -> Undeliverable, an upload refused as too large
(413, which aiogram files as a network error) -> TooLarge, "message is not modified" ->
MessageNotModified.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, ReplyParameters

from bot.aiogram_app.keyboards import inline_markup, message_markup
from bot.aiogram_app.session import AcceptedUnreadable
from bot.runtime.delivery import (
    call_mapped,
    refused,
    reply_optional,
    reply_to,
    too_large,
    transient,
)
from bot.runtime.fit import fit, fit_caption
from surveys.outbox.ports import (
    ChatUnreachable,
    DeliveryError,
    Keyboard,
    OutgoingMessage,
    RetryLater,
    SentUnreadable,
    TooLarge,
    TransientFailure,
    Undeliverable,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


def map_error(exc: BaseException) -> DeliveryError:
    """Translate an aiogram/network exception into the port's delivery error."""
    if isinstance(exc, AcceptedUnreadable):
        return SentUnreadable(str(exc))
    if isinstance(exc, TelegramRetryAfter):
        return RetryLater(float(exc.retry_after), str(exc))
    if isinstance(exc, TelegramEntityTooLarge):  # 413: aiogram files it as a network error
        return TooLarge(str(exc))
    if isinstance(exc, ClientDecodeError):
        # Not 2xx (that is AcceptedUnreadable, above): a proxy's or load balancer's error page
        # (502/504 HTML) stood in for Telegram's answer, so nothing was sent. Its 413 page
        # refuses the upload for good.
        if too_large(str(exc.data)):
            return TooLarge(f"upload refused by an error page: {exc.message}")
        return TransientFailure(f"unreadable error answer: {exc.message}")
    if isinstance(exc, TelegramServerError | TelegramNetworkError | TimeoutError | OSError):
        return transient(exc)
    if isinstance(exc, TelegramBadRequest):
        return refused(exc.message)
    if isinstance(exc, TelegramForbiddenError):  # blocked, deactivated, never started
        return ChatUnreachable(str(exc))
    if isinstance(exc, TelegramNotFound):
        return Undeliverable(str(exc))
    if isinstance(exc, TelegramAPIError):
        # 401 (wrong token), 409 and the like are about our set-up, not this message:
        # retry with backoff rather than dropping the message for good.
        return transient(exc)
    raise exc


async def _call(fn: Callable[[], Awaitable[T]]) -> T:
    return await call_mapped(fn, (TimeoutError, TelegramAPIError, OSError, ClientDecodeError),
                             map_error)


def reply_parameters(message: OutgoingMessage) -> ReplyParameters | None:
    """Return the reply-to parameters of a message that answers another, else None."""
    message_id = reply_to(message)
    if message_id is None:
        return None
    return ReplyParameters(message_id=message_id,
                           allow_sending_without_reply=reply_optional(message))


class AiogramMessenger:
    """Send and edit messages with an aiogram `Bot`."""

    def __init__(self, bot: Bot, *, request_timeout: float = 30) -> None:
        self.bot = bot
        self.request_timeout = request_timeout

    async def send(self, message: OutgoingMessage) -> int:
        """Send a text message (with its keyboard) and return its message_id."""
        sent = await _call(lambda: self.bot.send_message(
            chat_id=message.chat_id, text=fit(message.text), parse_mode=None,
            reply_markup=message_markup(message), reply_parameters=reply_parameters(message),
            request_timeout=int(self.request_timeout),
        ))
        return sent.message_id

    async def edit(
        self, *, chat_id: int, message_id: int, text: str, buttons: Keyboard | None = None
    ) -> None:
        """Replace a message's text and inline keyboard (no buttons removes the keyboard)."""
        await _call(lambda: self.bot.edit_message_text(
            chat_id=chat_id, message_id=message_id, text=fit(text), parse_mode=None,
            reply_markup=inline_markup(buttons), request_timeout=int(self.request_timeout),
        ))

    async def send_document(
        self, *, chat_id: int, filename: str, data: bytes, caption: str | None = None
    ) -> int:
        """Upload a file as a document and return its message_id."""
        sent = await _call(lambda: self.bot.send_document(
            chat_id=chat_id, document=BufferedInputFile(data, filename=filename),
            caption=fit_caption(caption), parse_mode=None,
            request_timeout=int(self.request_timeout),
        ))
        return sent.message_id

    async def send_photo(
        self, *, chat_id: int, filename: str, data: bytes, caption: str | None = None
    ) -> int:
        """Upload an image and return its message_id."""
        sent = await _call(lambda: self.bot.send_photo(
            chat_id=chat_id, photo=BufferedInputFile(data, filename=filename),
            caption=fit_caption(caption), parse_mode=None,
            request_timeout=int(self.request_timeout),
        ))
        return sent.message_id
