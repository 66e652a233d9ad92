"""What both chat runtimes share: inbound events, routing, replies, menus and selection.

An adapter (`bot.aiogram_app`, `bot.ptb_app`) only turns its framework's update into an
`Event`, and implements `ChatPort` (send, edit, answer a tap) with its framework's Bot.
Shared there too: message/tap parsing (`parse`), reply markup as Bot API JSON (`markup`),
and what a delivery error means (`delivery`); the adapter only names its types.
"""

from bot.runtime.events import Event, route, split_command
from bot.runtime.handle import handle
from bot.runtime.perform import ChatPort, perform

__all__ = ["ChatPort", "Event", "handle", "perform", "route", "split_command"]
