"""One update end to end: dedupe, route, reply; any failure becomes the polite message."""

from __future__ import annotations

import logging

from bot.conversation.core import Conversation
from bot.runtime.cards import SurveyCards
from bot.runtime.events import Event, route
from bot.runtime.later import OutboxLater
from bot.runtime.perform import ChatPort, perform
from bot.staff.core import Staff
from surveys.core import clock
from surveys.core.handled_updates import UpdateClaim
from surveys.outbox.ports import ChatUnreachable
from surveys.outbox.reach import mark_unreachable

log = logging.getLogger(__name__)


async def handle(conv: Conversation, port: ChatPort, *, bot_id: int, update_id: int,
                 event: Event | None, staff: Staff | None = None) -> None:
    """Handle one update once; never let an exception (or a traceback) reach the chat.

    The pipeline both runtimes share: drop a duplicate (in flight here, or claimed and
    handled by any replica), then `route` (throttle once, identity once, the entry point),
    then perform the replies.
    """
    key = (bot_id, update_id)
    # Frameworks handle updates concurrently: a copy arriving while the first is still being
    # handled in this process is dropped here, without a look at the database.
    if key in conv.in_flight:
        log.info("duplicate update %s ignored (in flight)", update_id)
        return
    conv.in_flight.add(key)
    claim: UpdateClaim | None = None
    try:
        # Claimed in the shared database before handling: one replica of several wins.
        claim = await conv.claim_update(bot_id=bot_id, update_id=update_id)
        if claim is None:
            log.info("duplicate update %s ignored", update_id)
            return
        if event is not None:
            async with conv.keep_claim(claim):
                await perform(port, await route(conv, event, staff), later=OutboxLater(conv.db),
                              cards=SurveyCards(conv.db))
        await conv.finish_update(claim)
    except ChatUnreachable as exc:
        # The person closed the chat (blocked the bot) while we answered: a failure message
        # would be refused too. The work is done; later messages wait for /start.
        log.info("update %s: the reply was refused, the chat is closed to the bot (%s)",
                 update_id, exc)
        try:
            if event is not None:
                await mark_unreachable(db=conv.db, chat_id=event.who.chat_id, now=clock.now())
            if claim is not None:
                await conv.finish_update(claim)
        except Exception:
            log.exception("update %s: the closed chat could not be recorded", update_id)
    except Exception:
        log.exception("update %s failed", update_id)
        await _release(conv, claim)
        if event is None:
            return
        try:
            await perform(port, conv.generic_error(event.who, event.callback_id))
        except Exception:
            log.exception("could not send the error reply")
    finally:
        conv.in_flight.discard(key)


async def _release(conv: Conversation, claim: UpdateClaim | None) -> None:
    # As before claims: a failed update is not remembered, so a redelivery is tried afresh.
    if claim is None:
        return
    try:
        await conv.release_update(claim)
    except Exception:  # the lease frees it later
        log.exception("update %s: the claim could not be released", claim.update_id)


def bot_id_from_token(token: str) -> int:
    """Return the bot's numeric id, the part of the token before the colon."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0
