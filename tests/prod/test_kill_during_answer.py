"""kill -9 while the bot handles an owner's tap, then restart: the answer is kept, once.

Run on both chat runtimes: the replica is `ownervoice run --webhook` with OWNERVOICE_RUNTIME.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from surveys.models import Response
from tests.fixtures.chat import RUNTIMES, TOKEN, callback_of
from tests.prod.conftest import World, close_orders, outbox_settled, solo_replica

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_kill_9_during_an_answer_keeps_the_rating_once_and_the_survey_goes_on(
    pg_world: World, pg_db_url: str, tmp_path: Path, runtime: str
) -> None:
    async with solo_replica(pg_world, pg_db_url, tmp_path, runtime, owners=1) as solo:
        client, replica, uid = solo.client, solo.replica, solo.users[0]
        await close_orders(pg_world.db, solo.users, "WO-TAP")
        await outbox_settled(pg_world.db)
        survey = (await client.bot_messages(TOKEN, uid))[-1]
        # Telegram hangs on the bot's reply to the tap, so the process dies mid-answer.
        await client.inject_fault("answerCallbackQuery", "delay", count=5, delay=8)
        await client.inject_fault("editMessageText", "delay", count=5, delay=8)
        await client.tap(TOKEN, uid, survey["message_id"], callback_of(survey, "4⭐"))
        await asyncio.sleep(1.5)
        replica.kill()
        await client.clear_faults()
        replica.start()
        await replica.ready()
        # Telegram redelivers the webhook the dead process never acknowledged.
        await asyncio.sleep(3)
        async with pg_world.db() as s:
            responses = (await s.exec(select(Response))).all()
        assert [r.overall for r in responses] == [4]
        # The owner taps again (the message may not have been edited): the survey goes on.
        before = len(await client.callback_answers(TOKEN))
        await client.tap(TOKEN, uid, survey["message_id"], callback_of(survey, "4⭐"))
        for _ in range(100):
            if len(await client.callback_answers(TOKEN)) > before:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"the restarted bot did not answer: {replica.log_tail()}")
        message = (await client.bot_messages(TOKEN, uid))[-1]
        assert message["edits"], "the survey message was never moved on to the next question"
        async with pg_world.db() as s:
            responses = (await s.exec(select(Response))).all()
        assert len(responses) == 1 and responses[0].overall == 4
        assert replica.runtimes() == [runtime, runtime]  # both starts ran the chosen runtime
