"""One update end to end: dedupe, route, reply; any failure becomes the polite message."""

from __future__ import annotations

import logging

from bot.conversation.core import Conversation
from bot.runtime.events import Event, route
from bot.runtime.later import OutboxLater
from bot.runtime.perform import ChatPort, perform
from bot.staff.core import Staff
from surveys.core import clock
from surveys.outbox.ports import ChatUnreachable
from surveys.outbox.reach import mark_unreachable

log = logging.getLogger(__name__)


async def handle(conv: Conversation, port: ChatPort, *, bot_id: int, update_id: int,
                 event: Event | None, staff: Staff | None = None) -> None:
    """Handle one update once; never let an exception (or a traceback) reach the chat.

    The pipeline both runtimes share: drop a duplicate (in flight, or handled before), then
    `route` (throttle once, identity once, the entry point), then perform the replies.
    """
    key = (bot_id, update_id)
    # Frameworks handle updates concurrently: a copy arriving while the first is still being
    # handled is dropped here, before the database check can race with the first.
    if key in conv.in_flight:
        log.info("duplicate update %s ignored (in flight)", update_id)
        return
    conv.in_flight.add(key)
    try:
        if await conv.already_handled(bot_id=bot_id, update_id=update_id):
            log.info("duplicate update %s ignored", update_id)
            return
        if event is not None:
            await perform(port, await route(conv, event, staff), later=OutboxLater(conv.db))
        # Marked only once handled: a redelivery after a crash mid-handling is handled again.
        await conv.mark_handled(bot_id=bot_id, update_id=update_id)
    except ChatUnreachable as exc:
        # The person closed the chat (blocked the bot) while we answered: a failure message
        # would be refused too. The work is done; later messages wait for /start.
        log.info("update %s: the reply was refused, the chat is closed to the bot (%s)",
                 update_id, exc)
        try:
            if event is not None:
                await mark_unreachable(db=conv.db, chat_id=event.who.chat_id, now=clock.now())
            await conv.mark_handled(bot_id=bot_id, update_id=update_id)
        except Exception:
            log.exception("update %s: the closed chat could not be recorded", update_id)
    except Exception:
        log.exception("update %s failed", update_id)
        if event is None:
            return
        try:
            await perform(port, conv.generic_error(event.who, event.callback_id))
        except Exception:
            log.exception("could not send the error reply")
    finally:
        conv.in_flight.discard(key)


def bot_id_from_token(token: str) -> int:
    """Return the bot's numeric id, the part of the token before the colon."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0
