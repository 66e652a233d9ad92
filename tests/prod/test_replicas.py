"""Several `ownervoice` replicas on one PostgreSQL: each survey sent once, each job slot once.

The weekly summary is the real job (`bot.staff.jobs.weekly_summaries`): its schedule is set
to a minute during the test, so every replica's scheduler fires it at the same slot.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from surveys.models import Agent, AuditLog, JobRun, OutboxMessage
from surveys.people.directory import add_agent
from tests.fixtures.chat import RUNTIMES, TOKEN
from tests.prod.conftest import COMMUNITY, World, close_orders, outbox_settled, seed_bound_owners
from tests.prod.replicas import fleet

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(300)]


async def _sends_per_chat(world: World, users: list[int]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for uid in users:
        counts[uid] = len(await world.emulator.client.bot_messages(TOKEN, uid))
    return counts


AGENT_USERS = {"A001": 820_001, "A002": 820_002}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def _bind_agents(world: World) -> None:
    """Bind the seeded agent and a second one to emulator chats (as their invite would)."""
    await add_agent(db=world.db, external_id="A002", name="李建国", community_code=COMMUNITY)
    async with world.db() as s, s.begin():
        for agent in (await s.exec(select(Agent))).all():
            uid = AGENT_USERS[agent.external_id]
            agent.telegram_user_id = agent.chat_id = uid
            agent.language = "zh_CN"
            s.add(agent)
    for external_id, uid in AGENT_USERS.items():
        await world.emulator.client.user(uid, external_id)


def _weekly_slot(launch: datetime) -> tuple[datetime, dict[str, str]]:
    """Pick the first minute at least 30 s away and the settings firing the summary then."""
    at = (launch + timedelta(seconds=90)).replace(second=0, microsecond=0)
    env = {
        "OWNERVOICE_SCHEDULE__TIMEZONE": "UTC",
        "OWNERVOICE_SCHEDULE__WEEKLY_SUMMARY_DAY": WEEKDAYS[at.weekday()],
        "OWNERVOICE_SCHEDULE__WEEKLY_SUMMARY_TIME": at.strftime("%H:%M"),
    }
    return at, env


async def test_three_replicas_send_each_survey_once_and_run_each_job_slot_once(
    pg_world: World, pg_db_url: str, tmp_path: Path
) -> None:
    users = await seed_bound_owners(pg_world.db, pg_world.emulator, 120)
    await _bind_agents(pg_world)
    weekly_at, schedule_env = _weekly_slot(datetime.now(UTC).replace(tzinfo=None))
    replicas = fleet(
        count=3,
        db_url=pg_db_url,
        api_base=pg_world.emulator.base_url,
        tmp=tmp_path,
        extra_env=schedule_env,
    )
    await replicas.start()
    try:
        await close_orders(pg_world.db, users, "WO-R")
        await outbox_settled(pg_world.db)
        sends = await _sends_per_chat(pg_world, users)
        assert sorted(set(sends.values())) == [1], {u: n for u, n in sends.items() if n != 1}
        async with pg_world.db() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        # Only the surveys: on a loaded machine the weekly summary's slot (below) can pass
        # before they settle, and its two rows are checked on their own further down.
        surveys = [r for r in rows if r.kind == "survey"]
        others = [(r.kind, r.chat_id) for r in rows if r.kind not in ("survey", "weekly_summary")]
        assert len(surveys) == 120 and {r.status for r in surveys} == {"sent"}, others
        assert not others, others
        workers = Counter(str(r.claimed_by).rsplit(":", 2)[1] for r in surveys)
        assert len(workers) >= 2, f"one replica did all the work: {workers}"
        stats = await pg_world.emulator.client.stats(TOKEN)
        print(
            f"\nsurveys per replica (pid: rows) {dict(workers)}; "
            f"429s from the emulator: {stats.get('too_many_requests')}"
        )

        # The probe fires every minute and the weekly summary at `weekly_at`, on every
        # replica: wait past that slot (and the summaries' delivery).
        wait = (weekly_at - datetime.now(UTC).replace(tzinfo=None)).total_seconds() + 4
        await asyncio.sleep(max(wait, 0))
        await outbox_settled(pg_world.db)
        async with pg_world.db() as s:
            probes = (
                await s.exec(select(AuditLog).where(col(AuditLog.action) == "probe.run"))
            ).all()
            weekly_runs = (
                await s.exec(select(JobRun).where(col(JobRun.job) == "weekly_summary"))
            ).all()
            summaries = (
                await s.exec(
                    select(OutboxMessage).where(col(OutboxMessage.kind) == "weekly_summary")
                )
            ).all()
        slots = Counter(p.detail["slot"] for p in probes)
        assert slots, "the probe job never ran"
        assert set(slots.values()) == {1}, f"a job slot ran more than once: {slots}"
        assert weekly_at.isoformat() in slots, f"no probe at {weekly_at}: {slots}"

        # The weekly summary: every replica's scheduler fired it at the slot ...
        fired = [
            r.log_path.read_text().count('Running job "weekly_summary') for r in replicas.replicas
        ]
        assert fired == [1, 1, 1], f"weekly_summary fired per replica: {fired}"
        # ... one replica ran it (the ledger has one row for the slot) ...
        assert [(r.slot, r.finished_at is not None) for r in weekly_runs] == [(weekly_at, True)]
        # ... and each agent's chat got exactly one weekly summary.
        assert sorted(r.chat_id for r in summaries) == sorted(AGENT_USERS.values())
        for uid in AGENT_USERS.values():
            got = await pg_world.emulator.client.bot_messages(TOKEN, uid)
            assert len(got) == 1, f"agent {uid} got {len(got)} messages: {got}"
        print(f"weekly summary at {weekly_at:%H:%M} UTC: fired on {fired}, sent to agents once")
    finally:
        replicas.stop()
    for replica in replicas.replicas:
        assert replica.proc is not None and replica.proc.returncode == 0, replica.log_tail()


@pytest.mark.parametrize("runtime", RUNTIMES)  # each runtime's Messenger sends the batch
async def test_kill_9_during_a_dispatch_batch_loses_nothing_and_duplicates_at_most_in_flight(
    pg_world: World, pg_db_url: str, tmp_path: Path, runtime: str
) -> None:
    users = await seed_bound_owners(pg_world.db, pg_world.emulator, 150)
    replicas = fleet(
        count=2,
        db_url=pg_db_url,
        api_base=pg_world.emulator.base_url,
        tmp=tmp_path,
        runtime=runtime,
    )
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
            f"\n{runtime}: kill -9 with {in_flight} rows claimed by the victim: lost {len(lost)}, "
            f"duplicated {duplicated}"
        )
        assert lost == []
        # Only a message whose HTTP request reached Telegram before the kill, but whose
        # "sent" mark did not reach the database, can go out twice.
        assert duplicated <= in_flight
        assert victim.runtimes() == [runtime, runtime]
    finally:
        replicas.stop()
