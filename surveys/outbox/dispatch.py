"""The outbox dispatcher: sends each row once, within Telegram's limits, surviving restarts.

Exactly-once, as far as Telegram allows:

1. `claim` marks due rows SENDING with a lease (claimed_by, claimed_until) and commits
   *before* anything is sent.
2. Each claimed row is sent, then marked SENT with its message_id in one transaction. The
   send+mark of a row runs in its own task that the dispatcher never cancels: cancelling the
   dispatcher (shutdown, restart) waits for in-flight rows to be marked and puts rows it had
   not started back to PENDING.
3. Rows whose lease ran out (the process died) are claimed again by the next dispatcher.

Residual window (documented, not fixable without an idempotent Bot API): if the process is
killed hard (kill -9, power loss) after Telegram accepted a message but before the SENT mark
committed, or the connection drops after Telegram accepted it (a network error we must
retry), the row is sent again once its lease expires. The window is one HTTP round trip plus
one short commit per in-flight row (at most `concurrency` rows).

The database is the only durable state: per-chat spacing and pauses are kept in memory and
start afresh after a restart, which at worst sends one message a chat slightly early.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket

from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.outbox.batch import Batch
from surveys.outbox.limits import DispatchStats, Limiter
from surveys.outbox.ports import Messenger
from surveys.outbox.sending import Render

log = logging.getLogger(__name__)


def default_worker_id() -> str:
    """Name this dispatcher for leases: host, pid and a random suffix."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{random.randrange(16**6):06x}"


async def dispatch_once(
    *,
    db: SessionFactory,
    messenger: Messenger,
    render: Render,
    config: DispatchConfig,
    limiter: Limiter | None = None,
    worker: str | None = None,
    stop: asyncio.Event | None = None,
    postgres: bool | None = None,
) -> DispatchStats:
    """Claim one batch of due rows and deliver it; return what happened."""
    batch = Batch(
        db=db, messenger=messenger, render=render, config=config,
        limiter=limiter or Limiter.from_config(config), worker=worker or default_worker_id(),
        postgres=_is_postgres(db) if postgres is None else postgres,
    )
    return await batch.run(stop)


def _is_postgres(db: SessionFactory) -> bool:
    bind = db.kw.get("bind")
    return bool(bind is not None and bind.dialect.name == "postgresql")


async def run_dispatcher(
    *,
    db: SessionFactory,
    messenger: Messenger,
    render: Render,
    config: DispatchConfig,
    stop: asyncio.Event,
    wake: asyncio.Event | None = None,
    limiter: Limiter | None = None,
    worker: str | None = None,
    stats: DispatchStats | None = None,
) -> DispatchStats:
    """Deliver the outbox until `stop` is set; set `wake` to look for new rows at once."""
    limiter = limiter or Limiter.from_config(config)
    worker = worker or default_worker_id()
    total = stats if stats is not None else DispatchStats()
    postgres = _is_postgres(db)
    log.info("dispatcher %s started", worker)
    while not stop.is_set():
        try:
            batch = await dispatch_once(
                db=db, messenger=messenger, render=render, config=config, limiter=limiter,
                worker=worker, stop=stop, postgres=postgres,
            )
        except asyncio.CancelledError:
            raise
        except Exception:  # the database hiccuped: log, wait a tick, carry on
            log.exception("dispatch batch failed")
            batch = DispatchStats()
        total.add(batch)
        if batch.claimed and batch.claimed > batch.rescheduled:
            continue  # there may be more due rows right now
        await _wait_any(stop, wake, config.tick_seconds)
    log.info("dispatcher %s stopped", worker)
    return total


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, seconds: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    if wake is not None:
        wake.clear()
