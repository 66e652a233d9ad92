"""A survey card sent afresh because its edit was refused is the survey's card from then on.

An owner taps a star and deletes the card while the bot answers: Telegram refuses the edit
("message to edit not found") and the chat layer sends the card afresh, with live buttons.
The survey must follow that card: its expiry (days later) takes the fresh card's buttons away
instead of editing the deleted one and leaving an expired survey answerable in chat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.models import Survey
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import button_texts, callback_of, running_bot

GONE = "Bad Request: message to edit not found"


async def test_a_card_sent_afresh_after_the_owner_deleted_it_loses_its_buttons_on_expiry(
        db_url: str, clock: FrozenClock, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        before = len(await owner.messages())
        await h.client.inject_fault("editMessageText", "status", status=400, description=GONE)
        # The tap arrives twice (a redelivery): one fresh card, recorded once.
        await owner.tap_data(card["message_id"], callback_of(card, "4⭐"), deliver_twice=True)
        fresh = (await h.client.wait_for(h.token, owner.chat_id, count=before + 1))[before]
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        async with h.db() as s:
            recorded = (await s.exec(select(Survey))).one().message_id
        clock.advance(timedelta(days=8))
        assert await h.app.run_job("expiry") == 1
        expired = await h.client.wait_for_message(h.token, owner.chat_id, contains="已过期")
        await h.outbox_idle()
        shown = await owner.messages()
    assert "1⭐" in button_texts(fresh) and "★★★★☆" in polite(fresh)  # live, next question
    assert recorded == fresh["message_id"] != card["message_id"]
    assert expired["message_id"] == fresh["message_id"] and button_texts(expired) == []
    assert len(shown) == before  # the deleted card gone, no second fresh card
    assert errors_logged() == []
