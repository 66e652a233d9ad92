"""Several `ownervoice` replicas on one PostgreSQL: each survey sent once, each job slot once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from surveys.models import AuditLog, OutboxMessage
from tests.fixtures.chat import TOKEN
from tests.prod.conftest import World, close_orders, outbox_settled, seed_bound_owners
from tests.prod.replicas import fleet

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(300)]


async def _sends_per_chat(world: World, users: list[int]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for uid in users:
        counts[uid] = len(await world.emulator.client.bot_messages(TOKEN, uid))
    return counts


async def test_three_replicas_send_each_survey_once_and_run_each_job_slot_once(
    pg_world: World, pg_db_url: str, tmp_path: Path
) -> None:
    users = await seed_bound_owners(pg_world.db, pg_world.emulator, 120)
    replicas = fleet(count=3, db_url=pg_db_url, api_base=pg_world.emulator.base_url, tmp=tmp_path)
    await replicas.start()
    started = datetime.utcnow()
    try:
        await close_orders(pg_world.db, users, "WO-R")
        await outbox_settled(pg_world.db)
        sends = await _sends_per_chat(pg_world, users)
        assert sorted(set(sends.values())) == [1], {u: n for u, n in sends.items() if n != 1}
        async with pg_world.db() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        assert len(rows) == 120 and {r.status for r in rows} == {"sent"}
        workers = Counter(str(r.claimed_by).rsplit(":", 2)[1] for r in rows)
        assert len(workers) >= 2, f"one replica did all the work: {workers}"
        stats = await pg_world.emulator.client.stats(TOKEN)
        print(
            f"\nsurveys per replica (pid: rows) {dict(workers)}; "
            f"429s from the emulator: {stats.get('too_many_requests')}"
        )

        # The probe job fires every minute on every replica; wait for a slot all three saw.
        wait = 62 - started.second + 3
        await asyncio.sleep(wait)
        async with pg_world.db() as s:
            probes = (
                await s.exec(select(AuditLog).where(col(AuditLog.action) == "probe.run"))
            ).all()
        slots = Counter(p.detail["slot"] for p in probes)
        assert slots, "the probe job never ran"
        assert set(slots.values()) == {1}, f"a job slot ran more than once: {slots}"
    finally:
        replicas.stop()
    for replica in replicas.replicas:
        assert replica.proc is not None and replica.proc.returncode == 0, replica.log_tail()


async def test_kill_9_during_a_dispatch_batch_loses_nothing_and_duplicates_at_most_in_flight(
    pg_world: World, pg_db_url: str, tmp_path: Path
) -> None:
    users = await seed_bound_owners(pg_world.db, pg_world.emulator, 150)
    replicas = fleet(count=2, db_url=pg_db_url, api_base=pg_world.emulator.base_url, tmp=tmp_path)
    await replicas.start()
    victim = replicas.replicas[1]
    try:
        await close_orders(pg_world.db, users, "WO-K")
        # Kill once the batch is under way.
        for _ in range(400):
            async with pg_world.db() as s:
                sent = len(
                    (
                        await s.exec(
                            select(OutboxMessage.id).where(col(OutboxMessage.status) == "sent")
                        )
                    ).all()
                )
            if sent >= 30:
                break
            await asyncio.sleep(0.05)
        assert victim.proc is not None
        pid = victim.proc.pid
        victim.kill()
        async with pg_world.db() as s:
            in_flight = len(
                (
                    await s.exec(
                        select(OutboxMessage.id).where(
                            col(OutboxMessage.status) == "sending",
                            col(OutboxMessage.claimed_by).contains(f":{pid}:"),
                        )
                    )
                ).all()
            )
        victim.start()  # restart; its old leases expire and are claimed again
        await victim.ready()
        await outbox_settled(pg_world.db)
        sends = await _sends_per_chat(pg_world, users)
        lost = [u for u, n in sends.items() if n == 0]
        duplicated = sum(n - 1 for n in sends.values() if n > 1)
        print(
            f"\nkill -9 with {in_flight} rows claimed by the victim: lost {len(lost)}, "
            f"duplicated {duplicated}"
        )
        assert lost == []
        # Only a message whose HTTP request reached Telegram before the kill, but whose
        # "sent" mark did not reach the database, can go out twice.
        assert duplicated <= in_flight
    finally:
        replicas.stop()
