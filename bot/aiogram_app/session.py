"""aiogram's HTTP session, telling "Telegram accepted it but the answer is unreadable" apart.

aiogram raises the same ClientDecodeError for a 502 page from a proxy (nothing was sent) and
for an HTTP 200 whose result does not fit its model (the message *was* sent). Only the
status code tells them apart, and only the session sees it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import ClientDecodeError
from aiogram.methods import GetUpdates
from aiogram.types import Update
from pydantic import ValidationError

from bot.runtime.conflict import PollingConflict
from bot.runtime.delivery import answer_status
from bot.runtime.screen import screen_updates


class AcceptedUnreadable(ClientDecodeError):
    """The Bot API answered 2xx, but the answer could not be decoded."""


class AcceptingSession(AiohttpSession):
    """An AiohttpSession that raises AcceptedUnreadable for an unreadable 2xx answer.

    A getUpdates answer holding an update aiogram cannot read is screened instead
    (`bot.runtime.screen`): that update is skipped, the others are handled. One ended with
    409 Conflict (another process polls with the token) is told to `conflict`.
    """

    def __init__(self, *args: Any, conflict: PollingConflict | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict = conflict

    def check_response(self, bot: Any, method: Any, status_code: int, content: str) -> Any:
        """Check the answer as aiogram does; an unreadable 2xx becomes AcceptedUnreadable."""
        # aiogram reads an error body under a 200 as an unknown error; its code says which.
        status_code = answer_status(status_code, content)
        if (status_code == HTTPStatus.CONFLICT and isinstance(method, GetUpdates)
                and self.conflict is not None):
            self.conflict.seen()
        try:
            return super().check_response(bot, method, status_code, content)
        except ClientDecodeError as exc:
            if not HTTPStatus.OK <= status_code < HTTPStatus.MULTIPLE_CHOICES:
                raise
            if isinstance(method, GetUpdates):
                screened = screen_updates(content, lambda update: _readable(update, bot))
                if screened is not None:
                    return super().check_response(bot, method, status_code, screened)
            raise AcceptedUnreadable(exc.message, exc.original, exc.data) from exc


def _readable(update: dict[str, Any], bot: Any) -> bool:
    try:
        Update.model_validate(update, context={"bot": bot})
    except ValidationError:
        return False
    return True
