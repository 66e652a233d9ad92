"""An update being answered when the bot stops is answered and recorded as handled before
`App.close()` returns, so before the chat session and the database engine close. PTB's
Application.stop waits for its handlers; the aiogram runtime waits for its own. Every test
runs on both runtimes (the module uses `running_bot`).
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlmodel import select

from surveys.core.db import create_engine, session_factory
from surveys.models import ProcessedUpdate
from tests.fixtures.chat import OWNERS, Harness, running_bot

SLOW_REPLY = 2.0  # seconds the Bot API takes over the reply while the bot stops


async def processed(db_url: str, update_id: int) -> ProcessedUpdate | None:
    """Return the update's claim row, read on an engine of its own."""
    engine = create_engine(db_url)
    try:
        async with session_factory(engine)() as s:
            return (await s.exec(select(ProcessedUpdate).where(
                ProcessedUpdate.update_id == update_id))).first()
    finally:
        await engine.dispose()


async def claimed(h: Harness, update_id: int) -> None:
    """Wait until the update is claimed: its handler is at work."""
    for _ in range(600):
        if await processed(h.settings.database.url, update_id) is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"update {update_id} was never claimed")


async def test_an_update_being_answered_when_the_bot_stops_is_answered_before_it_closes(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.client.inject_fault("sendMessage", "delay", delay=SLOW_REPLY)
        update = await h.client.send_text(h.token, OWNERS[0].user_id, "/help")
        await claimed(h, update["update_id"])
        await h.app.close()  # the Bot API is still there: only the bot's waiting can count

        row = await processed(db_url, update["update_id"])
        assert row is not None and row.claim is None  # handled, not left claimed
        reply = (await owner.messages())[-1]
        assert "/stop" in reply["text"]  # the help, sent in full
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
