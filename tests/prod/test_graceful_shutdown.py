"""SIGTERM mid-work: the webhook update in flight is answered, claimed rows are marked SENT.

`ownervoice run --webhook` on SIGTERM stops accepting requests, lets the update being handled
finish (`bot.webhook.WebhookServer.close`), then closes the app, whose dispatcher waits for
every delivery it started and hands back the rows it had not started (`bot.app.App.close`).
Telegram hangs on each sendMessage here, so all of that is still going on at the signal.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sqlmodel import col, select

from surveys.models import OutboxMessage
from tests.fixtures.chat import RUNTIMES, TOKEN
from tests.prod.conftest import World, close_orders, outbox_settled, solo_replica

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(240)]

HANG = 3.0  # seconds Telegram takes over each sendMessage while the signal arrives


async def _rows(world: World, status: str) -> list[OutboxMessage]:
    async with world.db() as s:
        query = select(OutboxMessage).where(col(OutboxMessage.status) == status)
        return list((await s.exec(query)).all())


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_sigterm_answers_the_update_in_flight_marks_sent_rows_and_exits_0(
    pg_world: World, pg_db_url: str, tmp_path: Path, runtime: str
) -> None:
    async with solo_replica(pg_world, pg_db_url, tmp_path, runtime, owners=6) as solo:
        client, replica = solo.client, solo.replica
        surveyed, writer = solo.users[:5], solo.users[5]
        await client.inject_fault("sendMessage", "delay", count=50, delay=HANG)
        await close_orders(pg_world.db, surveyed, "WO-TERM")
        deadline = time.monotonic() + 30
        while not (sending := await _rows(pg_world, "sending")):
            assert time.monotonic() < deadline, replica.log_tail()
            await asyncio.sleep(0.05)
        await client.send_text(TOKEN, writer, "/help")
        await asyncio.sleep(1.0)  # the update reached the bot, whose reply now hangs
        assert await client.bot_messages(TOKEN, writer) == []  # not answered yet
        in_flight = {r.id for r in await _rows(pg_world, "sending")} | {r.id for r in sending}

        signalled = time.monotonic()
        # SIGTERM, then wait for the exit in a thread: the emulator shares this event loop,
        # and the draining bot still needs it to answer.
        code = await asyncio.to_thread(replica.stop, 60)
        took = time.monotonic() - signalled
        print(
            f"\n{runtime}: SIGTERM with {len(in_flight)} rows being sent and one update being "
            f"handled: exit {code} after {took:.1f} s"
        )
        assert code == 0, replica.log_tail()
        assert "Traceback" not in replica.log_path.read_text(), replica.log_tail(80)

        # The update in flight was answered before the process went away ...
        assert len(await client.bot_messages(TOKEN, writer)) == 1
        # ... every row it was sending was marked SENT, and nothing is left claimed.
        async with pg_world.db() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        status = {r.id: r.status for r in rows}
        assert {status[i] for i in in_flight} == {"sent"}, status
        assert "sending" not in status.values(), status
        for uid in surveyed:  # nothing sent twice so far
            assert len(await client.bot_messages(TOKEN, uid)) <= 1

        # Nothing lost: the rows it had not started go out once after a restart.
        await client.clear_faults()
        replica.start()
        await replica.ready()
        await outbox_settled(pg_world.db)
        for uid in surveyed:
            assert len(await client.bot_messages(TOKEN, uid)) == 1, uid
        assert len(await client.bot_messages(TOKEN, writer)) == 1  # not redelivered
