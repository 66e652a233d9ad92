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
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col

from surveys import clock
from surveys.config import DispatchConfig
from surveys.db import SessionFactory
from surveys.dispatch_limits import DispatchStats, Limiter, backoff
from surveys.intake import expiry_for
from surveys.models import OutboxMessage, OutboxStatus, Owner, Survey, SurveyStatus
from surveys.outbox import claim, release, renew_lease
from surveys.ports import (
    MessageNotModified,
    Messenger,
    OutgoingMessage,
    RetryLater,
    TransientFailure,
    Undeliverable,
)

log = logging.getLogger(__name__)

Render = Callable[[OutboxMessage], OutgoingMessage]


def default_worker_id() -> str:
    """Name this dispatcher for leases: host, pid and a random suffix."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{random.randrange(16**6):06x}"


class _Batch:
    """One claimed batch being delivered by one dispatcher."""

    def __init__(
        self, *, db: SessionFactory, messenger: Messenger, render: Render,
        config: DispatchConfig, limiter: Limiter, worker: str, postgres: bool,
    ) -> None:
        self.db, self.messenger, self.render = db, messenger, render
        self.config, self.limiter, self.worker = config, limiter, worker
        self.postgres = postgres
        self.stats = DispatchStats()
        self.lease = timedelta(seconds=config.lease_seconds)

    async def run(self, stop: asyncio.Event | None) -> DispatchStats:
        rows = await claim(
            db=self.db, worker=self.worker, limit=self.config.batch_size, lease=self.lease,
            postgres=self.postgres,
        )
        self.stats.claimed = len(rows)
        deferred: list[tuple[int, datetime]] = []
        inflight: set[asyncio.Task[None]] = set()
        slots = asyncio.Semaphore(self.config.concurrency)
        started = 0
        try:
            for row in rows:
                if stop is not None and stop.is_set():
                    break
                wait = self.limiter.chat_wait(row.chat_id)
                if wait > 0:
                    deferred.append((row.id, clock.now() + timedelta(seconds=wait)))  # type: ignore[arg-type]
                    started += 1
                    continue
                await slots.acquire()
                await self.limiter.acquire()
                wait = self.limiter.chat_wait(row.chat_id)  # a 429 may have paused it meanwhile
                if wait > 0:
                    slots.release()
                    deferred.append((row.id, clock.now() + timedelta(seconds=wait)))  # type: ignore[arg-type]
                    started += 1
                    continue
                self.limiter.took(row.chat_id)
                task = asyncio.create_task(self._deliver(row))
                task.add_done_callback(lambda _t: slots.release())
                inflight.add(task)
                task.add_done_callback(inflight.discard)
                started += 1
        finally:
            # Never abandon a row between send and mark: wait for every in-flight delivery
            # even when we are being cancelled, then hand back what we did not start.
            cancelled = False
            while inflight:
                try:
                    await asyncio.shield(asyncio.gather(*inflight, return_exceptions=True))
                except asyncio.CancelledError:
                    cancelled = True
            now = clock.now()
            deferred.extend((r.id, now) for r in rows[started:])  # type: ignore[misc]
            self.stats.rescheduled += len(deferred)
            try:
                await _uncancellable(release(db=self.db, rows=deferred, worker=self.worker))
            except asyncio.CancelledError:
                cancelled = True
            if cancelled:  # a cancel that arrived while we were finishing up still counts
                raise asyncio.CancelledError
        return self.stats

    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            await self._deliver_unguarded(row)
        except Exception:  # a bug (render, DB): keep the row retrying, never kill the loop
            log.exception("outbox row %s (%s) failed unexpectedly", row.id, row.kind)
            with contextlib.suppress(Exception):
                await self._retry(row, "unexpected error")

    async def _deliver_unguarded(self, row: OutboxMessage) -> None:
        if row.claimed_until is not None and (
            row.claimed_until - clock.now() < self.lease / 4
        ):
            until = await renew_lease(
                db=self.db, row_id=row.id, worker=self.worker, lease=self.lease  # type: ignore[arg-type]
            )
            if until is None:
                log.warning("outbox row %s: lease lost before sending; skipped", row.id)
                return
        reason = await self._skip_reason(row)
        if reason is not None:
            await self._finish(row, OutboxStatus.FAILED, error=f"skipped: {reason[0]}",
                               survey_status=reason[1])
            self.stats.skipped += 1
            return
        try:
            message_id = await self._send(row)
        except RetryLater as exc:
            self.stats.rate_limited += 1
            self.limiter.pause(row.chat_id, exc.retry_after, whole_bot=exc.whole_bot)
            due = clock.now() + timedelta(seconds=exc.retry_after)
            await release(db=self.db, rows=[(row.id, due)], worker=self.worker,  # type: ignore[list-item]
                          error=f"429: {exc}")
            self.stats.rescheduled += 1
            return
        except TransientFailure as exc:
            await self._retry(row, f"transient: {exc}")
            return
        except Undeliverable as exc:
            log.info("outbox row %s (%s) undeliverable: %s", row.id, row.kind, exc)
            await self._finish(row, OutboxStatus.FAILED, error=f"undeliverable: {exc}",
                               survey_status=SurveyStatus.UNDELIVERABLE)
            self.stats.failed += 1
            return
        # Sent: from here on nothing may stop us from recording it.
        await _uncancellable(self._mark_sent(row, message_id))
        self.stats.sent += 1

    async def _send(self, row: OutboxMessage) -> int | None:
        message = self.render(row)
        edit_id = message.extra.get("edit_message_id") or row.payload.get("edit_message_id")
        if edit_id:
            with contextlib.suppress(MessageNotModified):
                await self.messenger.edit(
                    chat_id=message.chat_id, message_id=int(edit_id), text=message.text,
                    buttons=message.buttons,
                )
            return int(edit_id)
        for key, method in (("document_path", self.messenger.send_document),
                            ("photo_path", self.messenger.send_photo)):
            path = message.extra.get(key)
            if path:
                data = await asyncio.to_thread(Path(path).read_bytes)
                return await method(
                    chat_id=message.chat_id, filename=message.extra.get("filename")
                    or Path(path).name, data=data, caption=message.text or None,
                )
        return await self.messenger.send(message)

    async def _skip_reason(self, row: OutboxMessage) -> tuple[str, str | None] | None:
        """Return why a row must not be sent now (checked at send time), or None."""
        if row.survey_id is None:
            return None
        async with self.db() as s:
            survey = await s.get(Survey, row.survey_id)
            owner = await s.get(Owner, survey.owner_id) if survey else None
        if survey is None or owner is None:
            return ("survey gone", None)
        if row.kind == "survey":
            if survey.status != SurveyStatus.PENDING:
                return (f"survey is {survey.status}", None)
            if owner.opted_out:
                return ("owner opted out", SurveyStatus.SKIPPED_OPTED_OUT)
            if owner.chat_id is None:
                return ("owner unbound", SurveyStatus.SKIPPED_UNBOUND)
        elif row.kind == "reminder":
            if survey.status != SurveyStatus.SENT:
                return (f"survey is {survey.status}", None)
            if owner.opted_out:
                return ("owner opted out", None)
        return None

    async def _retry(self, row: OutboxMessage, error: str) -> None:
        attempts = row.attempts + 1
        if attempts >= self.config.max_attempts:
            log.warning("outbox row %s (%s) failed after %s attempts: %s",
                        row.id, row.kind, attempts, error)
            await self._finish(row, OutboxStatus.FAILED, error=error, attempts=attempts,
                               survey_status=SurveyStatus.UNDELIVERABLE)
            self.stats.failed += 1
            return
        due = clock.now() + timedelta(seconds=backoff(attempts, self.config))
        await release(db=self.db, rows=[(row.id, due)], worker=self.worker,  # type: ignore[list-item]
                      attempts_delta=1, error=error)
        self.stats.retried += 1

    async def _finish(
        self, row: OutboxMessage, status: OutboxStatus, *, error: str,
        survey_status: str | None, attempts: int | None = None,
    ) -> None:
        async with self.db() as s, s.begin():
            await s.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id,
                       col(OutboxMessage.claimed_by) == self.worker)
                .values(status=status, last_error=error[:2000], claimed_until=None,
                        attempts=attempts if attempts is not None else row.attempts)
            )
            if survey_status and row.survey_id and row.kind == "survey":
                await s.exec(
                    update(Survey)
                    .where(col(Survey.id) == row.survey_id,
                           col(Survey.status) == SurveyStatus.PENDING)
                    .values(status=survey_status)
                )

    async def _mark_sent(self, row: OutboxMessage, message_id: int | None) -> None:
        now = clock.now()
        async with self.db() as s, s.begin():
            result = await s.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row.id,
                       col(OutboxMessage.claimed_by) == self.worker,
                       col(OutboxMessage.status) == OutboxStatus.SENDING)
                .values(status=OutboxStatus.SENT, sent_at=now, message_id=message_id,
                        claimed_until=None, attempts=row.attempts + 1)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                log.error("outbox row %s was sent but its lease had passed to another "
                          "dispatcher: it may be sent twice", row.id)
            if row.kind == "survey" and row.survey_id is not None:
                await s.exec(
                    update(Survey)
                    .where(col(Survey.id) == row.survey_id,
                           col(Survey.status) == SurveyStatus.PENDING)
                    .values(status=SurveyStatus.SENT, sent_at=now, chat_id=row.chat_id,
                            message_id=message_id, expires_at=expiry_for(now, row.payload))
                )


async def _uncancellable(coro: object) -> None:
    """Run a coroutine to completion even if the caller is cancelled meanwhile."""
    task = asyncio.ensure_future(coro)  # type: ignore[call-overload]
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()
    if cancelled:
        raise asyncio.CancelledError


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
    batch = _Batch(
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
