"""Update claims in the shared database: one replica handles an update, a dead one's is retried."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.core.handled_updates import (
    LEASE,
    Outcome,
    UpdateClaim,
    claim_update,
    finish_update,
    forget_old_updates,
    kept,
    release_update,
    try_claim,
)
from surveys.models import ProcessedUpdate

BOT = 123456789


@pytest.fixture
async def replicas(db_url: str) -> AsyncIterator[list[SessionFactory]]:
    """Three session factories on engines of their own: three replicas on one database."""
    engines = [create_engine(db_url) for _ in range(3)]
    yield [session_factory(engine) for engine in engines]
    for engine in engines:
        await engine.dispose()


async def test_replicas_claiming_one_update_at_once_give_it_to_exactly_one(
        replicas: list[SessionFactory]) -> None:
    for update_id in range(1, 6):
        outcomes = await asyncio.gather(*(
            try_claim(db=db, bot_id=BOT, update_id=update_id, token=f"r{i}")
            for i, db in enumerate(replicas)))
        assert sorted(outcomes) == sorted([Outcome.CLAIMED, Outcome.BUSY, Outcome.BUSY])


async def test_a_handled_update_is_never_claimed_again(db: SessionFactory) -> None:
    claim = await claim_update(db=db, bot_id=BOT, update_id=7)
    assert claim is not None
    await finish_update(db=db, claim=claim)
    assert await try_claim(db=db, bot_id=BOT, update_id=7, token="late") is Outcome.HANDLED
    assert await claim_update(db=db, bot_id=BOT, update_id=7) is None
    assert await claim_update(db=db, bot_id=BOT + 1, update_id=7) is not None  # another bot's


async def test_an_update_released_after_a_failure_is_claimed_again_at_once(
        db: SessionFactory) -> None:
    claim = await claim_update(db=db, bot_id=BOT, update_id=8)
    assert claim is not None
    await release_update(db=db, claim=claim)
    again = await claim_update(db=db, bot_id=BOT, update_id=8)
    assert again is not None and again.token != claim.token


async def test_the_claim_of_a_replica_that_died_is_taken_over_only_when_its_lease_ends(
        db: SessionFactory, clock: FrozenClock) -> None:
    assert await try_claim(db=db, bot_id=BOT, update_id=9, token="dead") is Outcome.CLAIMED
    clock.advance(LEASE - timedelta(seconds=1))
    assert await try_claim(db=db, bot_id=BOT, update_id=9, token="next") is Outcome.BUSY
    clock.advance(timedelta(seconds=2))
    assert await try_claim(db=db, bot_id=BOT, update_id=9, token="next") is Outcome.CLAIMED
    assert await try_claim(db=db, bot_id=BOT, update_id=9, token="third") is Outcome.BUSY
    async with db() as s:
        row = await s.get(ProcessedUpdate, (BOT, 9))
    assert row is not None and row.claim == "next"


async def test_a_claim_renewed_while_its_holder_works_is_never_taken_over(
        db: SessionFactory, clock: FrozenClock) -> None:
    claim = await claim_update(db=db, bot_id=BOT, update_id=16)
    assert claim is not None
    async with kept(db=db, claim=claim, every=0.02):
        for _ in range(3):  # three leases long, renewed meanwhile
            clock.advance(LEASE * 0.6)
            await asyncio.sleep(0.15)
            assert await try_claim(db=db, bot_id=BOT, update_id=16, token="b") is Outcome.BUSY
    clock.advance(LEASE + timedelta(seconds=1))  # the holder stopped renewing (died)
    assert await try_claim(db=db, bot_id=BOT, update_id=16, token="b") is Outcome.CLAIMED


async def test_a_late_release_by_the_dead_holder_leaves_the_new_claim_alone(
        db: SessionFactory, clock: FrozenClock) -> None:
    old = await claim_update(db=db, bot_id=BOT, update_id=10)
    assert old is not None
    clock.advance(LEASE + timedelta(seconds=1))
    new = await claim_update(db=db, bot_id=BOT, update_id=10)
    assert new is not None
    await release_update(db=db, claim=old)
    assert await try_claim(db=db, bot_id=BOT, update_id=10, token="third") is Outcome.BUSY


async def _copy_waiting_behind(replicas: list[SessionFactory], update_id: int
                               ) -> tuple[UpdateClaim, asyncio.Task[UpdateClaim | None]]:
    """The first replica holds the update; the second, given a copy, waits 0.2 s on it."""
    first, second = replicas[:2]
    held = await claim_update(db=first, bot_id=BOT, update_id=update_id)
    assert held is not None
    waiting = asyncio.create_task(claim_update(db=second, bot_id=BOT, update_id=update_id))
    await asyncio.sleep(0.2)
    return held, waiting


async def test_a_copy_arriving_while_another_replica_handles_waits_for_its_outcome(
        replicas: list[SessionFactory]) -> None:
    held, waiting = await _copy_waiting_behind(replicas, 11)
    assert not waiting.done()
    await finish_update(db=replicas[0], claim=held)
    assert await asyncio.wait_for(waiting, 5) is None


async def test_a_copy_waiting_on_a_claim_that_is_released_handles_the_update(
        replicas: list[SessionFactory]) -> None:
    held, waiting = await _copy_waiting_behind(replicas, 12)
    await release_update(db=replicas[0], claim=held)
    assert await asyncio.wait_for(waiting, 5) is not None


async def test_old_claims_and_marks_are_pruned_and_recent_ones_kept(
        db: SessionFactory, clock: FrozenClock) -> None:
    handled = await claim_update(db=db, bot_id=BOT, update_id=13)
    assert handled is not None
    await finish_update(db=db, claim=handled)
    assert await claim_update(db=db, bot_id=BOT, update_id=14) is not None  # never finished
    clock.advance(timedelta(days=8))
    assert await claim_update(db=db, bot_id=BOT, update_id=15) is not None
    assert await forget_old_updates(db=db, older_than=timedelta(days=7)) == 2
    assert await try_claim(db=db, bot_id=BOT, update_id=15, token="x") is Outcome.BUSY
