"""Claim each Telegram update once across replicas: updates arrive at least once, at any replica.

An update is claimed in the shared database before it is handled: the insert of
(bot id, update id) succeeds for exactly one replica, whichever receives it first. The claim
is a short lease its holder renews while it handles the update. When the holder finishes, the
row is marked handled and every later copy is dropped; when the holder fails, it releases the
claim; when the holder dies mid-handling (kill -9), the renewals stop, the lease runs out and
the next copy Telegram delivers takes the claim over. A copy that finds a live claim of another
replica waits for its outcome rather than being dropped: a dropped copy is acknowledged to
Telegram, and were the holder to die it would be lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import ProcessedUpdate

log = logging.getLogger(__name__)

# A dead replica's update waits this long for its next copy to be handled; a live holder
# renews its claim every third of it, so a slow handling is never taken over.
LEASE = timedelta(seconds=10)
FIRST_POLL = 0.02  # seconds between looks at another replica's live claim, doubling to 1 s


class Outcome(StrEnum):
    CLAIMED = "claimed"
    HANDLED = "handled"  # handled before, here or by another replica
    BUSY = "busy"  # another replica's claim is live


@dataclass(frozen=True)
class UpdateClaim:
    """This replica's claim on one update: finish or release it."""

    bot_id: int
    update_id: int
    token: str


def _key(bot_id: int, update_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return col(ProcessedUpdate.bot_id) == bot_id, col(ProcessedUpdate.update_id) == update_id


async def try_claim(*, db: SessionFactory, bot_id: int, update_id: int, token: str,
                    lease: timedelta = LEASE) -> Outcome:
    """Claim the update once, atomically: a new id, or one whose holder's lease ran out."""
    now = clock.now()
    try:
        async with db() as session, session.begin():
            session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id, at=now,
                                        claim=token, lease_until=now + lease))
        return Outcome.CLAIMED
    except IntegrityError:
        pass  # claimed or handled before: take over only an expired lease
    async with db() as session, session.begin():
        taken = await session.exec(
            update(ProcessedUpdate)
            .where(*_key(bot_id, update_id), col(ProcessedUpdate.lease_until).is_not(None),
                   col(ProcessedUpdate.lease_until) < now)
            .values(claim=token, lease_until=now + lease, at=now))
        if taken.rowcount:
            log.warning("update %s: the claim of a replica that stopped is taken over",
                        update_id)
            return Outcome.CLAIMED
        row = await session.get(ProcessedUpdate, (bot_id, update_id))
    # A row gone (released by a failed holder) is free again: the next look claims it.
    return Outcome.HANDLED if row is not None and row.lease_until is None else Outcome.BUSY


async def claim_update(*, db: SessionFactory, bot_id: int, update_id: int,
                       lease: timedelta = LEASE) -> UpdateClaim | None:
    """Claim an update for handling; None when it was handled (here or by another replica).

    While another replica holds a live claim this waits for its outcome: handled (None), or
    released or expired (claimed here).
    """
    token = uuid.uuid4().hex
    pause, give_up = FIRST_POLL, time.monotonic() + 10 * lease.total_seconds()
    while True:
        outcome = await try_claim(db=db, bot_id=bot_id, update_id=update_id, token=token,
                                  lease=lease)
        if outcome is Outcome.CLAIMED:
            return UpdateClaim(bot_id, update_id, token)
        if outcome is Outcome.HANDLED:
            return None
        if time.monotonic() > give_up:  # a holder alive that long: it will finish the update
            log.warning("update %s: another replica still handles it, this copy skipped",
                        update_id)
            return None
        await asyncio.sleep(pause)
        pause = min(pause * 2, 1.0)


async def renew_claim(*, db: SessionFactory, claim: UpdateClaim,
                      lease: timedelta = LEASE) -> bool:
    """Extend a live claim's lease; False when it is no longer this replica's."""
    async with db() as session, session.begin():
        renewed = await session.exec(
            update(ProcessedUpdate)
            .where(*_key(claim.bot_id, claim.update_id),
                   col(ProcessedUpdate.claim) == claim.token,
                   col(ProcessedUpdate.lease_until).is_not(None))
            .values(lease_until=clock.now() + lease))
    return bool(renewed.rowcount)


@contextlib.asynccontextmanager
async def kept(*, db: SessionFactory, claim: UpdateClaim, lease: timedelta = LEASE,
               every: float | None = None) -> AsyncIterator[None]:
    """Renew the claim every third of its lease (or `every` seconds) while the block runs."""
    period = every if every is not None else lease.total_seconds() / 3

    async def renew() -> None:
        while True:
            await asyncio.sleep(period)
            try:
                if not await renew_claim(db=db, claim=claim, lease=lease):
                    log.warning("update %s: the claim was lost while handling it",
                                claim.update_id)
                    return
            except Exception:  # the database may come back before the lease ends
                log.exception("update %s: the claim could not be renewed", claim.update_id)

    # Almost every update is handled before the first renewal: the task only sleeps.
    renewing = asyncio.create_task(renew())
    try:
        yield
    finally:
        renewing.cancel()
        try:
            await renewing
        except asyncio.CancelledError:
            # The renewal's own cancel ends here; a cancel of this task (a shutdown) goes on.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise


async def finish_update(*, db: SessionFactory, claim: UpdateClaim) -> None:
    """Mark a claimed update handled: every later copy is dropped."""
    async with db() as session, session.begin():
        await session.exec(update(ProcessedUpdate)
                           .where(*_key(claim.bot_id, claim.update_id))
                           .values(claim=None, lease_until=None))


async def release_update(*, db: SessionFactory, claim: UpdateClaim) -> None:
    """Give a claim back after a failure: the next copy of the update is handled afresh."""
    async with db() as session, session.begin():
        await session.exec(delete(ProcessedUpdate).where(
            *_key(claim.bot_id, claim.update_id), col(ProcessedUpdate.claim) == claim.token))


async def forget_old_updates(*, db: SessionFactory, older_than: timedelta) -> int:
    """Delete update ids older than the given age; return how many."""
    cutoff = clock.now() - older_than
    async with db() as session, session.begin():
        result = await session.exec(delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < cutoff))
    return int(result.rowcount or 0)
