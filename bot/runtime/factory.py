"""Choose the chat framework by name: each is imported only here, and only when chosen."""

from __future__ import annotations

from bot.conversation.core import Conversation
from bot.runtime.base import ChatRuntime
from bot.staff.core import Staff

RUNTIMES = ("aiogram", "ptb")


def build_runtime(name: str, *, token: str, api_base: str, conversation: Conversation,
                  staff: Staff | None = None) -> ChatRuntime:
    """Create the named runtime; its framework is imported only here, only when chosen."""
    if name == "ptb":
        # why: PTB is an optional extra, imported only when chosen
        from bot.ptb_app.runtime import PtbRuntime

        return PtbRuntime(token=token, api_base=api_base, conversation=conversation,
                          staff=staff)
    if name == "aiogram":
        # why: a chat framework is imported only when chosen
        from bot.aiogram_app.runtime import AiogramRuntime

        return AiogramRuntime(token=token, api_base=api_base, conversation=conversation,
                              staff=staff)
    raise ValueError(f"unknown runtime {name!r}; choose one of {', '.join(RUNTIMES)}")
