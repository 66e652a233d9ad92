"""Give staff handlers their `Staff` (data["staff"]): the one the app wired, else one built
from the owner conversation with default points and time zone settings."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import TelegramObject

from bot.staff import Staff

# By id: the Conversation dataclass is unhashable; the weak reference tells a reused id apart.
_DEFAULTS: dict[int, tuple[weakref.ref[Any], Staff]] = {}


def staff_for(conversation: Any) -> Staff:
    """Return the staff layer sharing this conversation's database and button key."""
    found = _DEFAULTS.get(id(conversation))
    if found is not None and found[0]() is conversation:
        return found[1]
    staff = Staff(db=conversation.db, key=conversation.key,
                  complaint_config=conversation.complaint_config,
                  default_locale=conversation.default_locale)
    _DEFAULTS[id(conversation)] = (weakref.ref(conversation), staff)
    return staff


class StaffMiddleware(BaseMiddleware):
    """Put the Staff layer into the handler data."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        if "staff" not in data:
            data["staff"] = staff_for(data["conversation"])
        return await handler(event, data)


def with_staff(router: Router) -> Router:
    """Install the middleware on a staff router's message and callback observers."""
    router.message.outer_middleware(StaffMiddleware())
    router.callback_query.outer_middleware(StaffMiddleware())
    return router
