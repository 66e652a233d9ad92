"""The table of emulated Bot API methods, looked up case-insensitively."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.emulator.core import Emulator
    from bot.emulator.params import Params
    from bot.emulator.state import BotState

Handler = Callable[["Emulator", "BotState", "Params"], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register an emulated Bot API method under its Telegram name."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register


def lookup(name: str) -> tuple[str, Handler] | None:
    """Return (canonical name, handler) for a method name in any letter case."""
    return METHODS.get(name.lower())
