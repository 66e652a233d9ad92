"""Commands outside the owner conversation and the staff layer, registered once for both
runtimes: a feature adds `COMMANDS["name"] = handler` (or `@command("name")`) in its own
framework-free module and imports it from `bot.runtime.features`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.conversation import Action, Conversation, Inbound

CommandHandler = Callable[[Conversation, Inbound, str], Awaitable[list[Action]]]
COMMANDS: dict[str, CommandHandler] = {}


def command(name: str) -> Callable[[CommandHandler], CommandHandler]:
    """Register `handler(conversation, who, args) -> actions` for /name on every runtime."""

    def register(handler: CommandHandler) -> CommandHandler:
        COMMANDS[name.lower()] = handler
        return handler

    return register
