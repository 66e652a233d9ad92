"""PTB's HTTP request, telling "Telegram accepted it but the answer is unreadable" apart.

PTB raises a plain TelegramError("Invalid server response") both for a proxy's 502 page
(nothing was sent) and for an HTTP 200 whose body is not JSON (the message *was* sent); a
200 whose result has the wrong shape surfaces later as a KeyError or TypeError from
`de_json`. Here a 2xx body that is not JSON raises AcceptedUnreadable, and a 2xx carrying an
error body (`"ok": false`) is answered as the error it names.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.runtime.conflict import PollingConflict
from bot.runtime.delivery import answer_status
from bot.runtime.screen import screen_updates

# Set when the call being made in this task got a 2xx: a de_json failure after it means the
# message was sent (see PtbMessenger).
accepted: ContextVar[bool] = ContextVar("ownervoice_ptb_accepted", default=False)


class AcceptedUnreadable(TelegramError):
    """The Bot API answered 2xx, but the answer could not be decoded."""


class AcceptingRequest(HTTPXRequest):
    """An HTTPXRequest that raises AcceptedUnreadable for a 2xx answer that is not JSON."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send the request; refuse to pass on a 2xx body nobody can read."""
        code, payload = await super().do_request(*args, **kwargs)
        code = answer_status(code, payload)  # an error body under a 200 is that error
        if 200 <= code < 300:
            accepted.set(True)
            try:
                json.loads(payload.decode("utf-8", "replace"))
            except ValueError as exc:
                raise AcceptedUnreadable(f"HTTP {code} with a body that is not JSON") from exc
        return code, payload


class ScreeningRequest(HTTPXRequest):
    """The getUpdates request: an update PTB cannot read is skipped, not fatal to polling.

    PTB reads the whole answer at once (`Update.de_list`) and fails on one update that does
    not fit this version, then asks for the same updates again, for ever
    (`bot.runtime.screen`). A call ended with 409 Conflict (another process polls with the
    token) is told to `conflict`.
    """

    def __init__(self, *args: Any, conflict: PollingConflict | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflict = conflict

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Fetch updates; replace those PTB cannot read by their bare update id."""
        code, payload = await super().do_request(*args, **kwargs)
        if code == HTTPStatus.CONFLICT and self.conflict is not None:
            self.conflict.seen()
        if 200 <= code < 300:
            screened = screen_updates(payload, _readable)
            if screened is not None:
                return code, screened.encode()
        return code, payload


def _readable(update: dict[str, Any]) -> bool:
    try:
        Update.de_json(update, None)
    except (TypeError, ValueError, KeyError, AttributeError):  # PTB reads without a schema
        return False
    return True
