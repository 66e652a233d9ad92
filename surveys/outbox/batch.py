"""One claimed batch of outbox rows: deliver each, mark it, hand back what was not started.

`surveys.outbox.dispatch` loops over batches; the exactly-once rules are described there.
What a row may not be sent for is in `skips`, the Bot API call in `sending`, the record of
the outcome in `marks`; this module decides, per row, what follows from an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from surveys.core import clock
from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.core.ids import require_id
from surveys.models import OutboxMessage, OutboxStatus, SurveyStatus
from surveys.outbox.limits import OUTAGE_ATTEMPTS, DispatchStats, Limiter, backoff
from surveys.outbox.marks import finish, mark_sent, uncancellable
from surveys.outbox.ports import (
    ChatUnreachable,
    DeliveryError,
    Messenger,
    RetryLater,
    SentUnreadable,
    TransientFailure,
    Undeliverable,
)
from surveys.outbox.quiet import quiet_until
from surveys.outbox.reach import mark_unreachable
from surveys.outbox.sending import Render, Sent, send_row
from surveys.outbox.skips import skip_reason
from surveys.outbox.store import claim, release, renew_lease

log = logging.getLogger("surveys.outbox.dispatch")  # one logger name for the dispatcher's lines


class Batch:
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
                    deferred.append((require_id(row), clock.now() + timedelta(seconds=wait)))
                    started += 1
                    continue
                await slots.acquire()
                await self.limiter.acquire()
                wait = self.limiter.chat_wait(row.chat_id)  # a 429 may have paused it meanwhile
                if wait > 0:
                    slots.release()
                    deferred.append((require_id(row), clock.now() + timedelta(seconds=wait)))
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
                await uncancellable(release(db=self.db, rows=deferred, worker=self.worker))
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
                db=self.db, row_id=require_id(row), worker=self.worker, lease=self.lease
            )
            if until is None:
                log.warning("outbox row %s: lease lost before sending; skipped", row.id)
                return
        held = quiet_until(row)
        if held is not None:  # queued before the quiet hours, reached only inside them
            await release(db=self.db, rows=[(require_id(row), held)], worker=self.worker)
            self.stats.rescheduled += 1
            return
        reason = await skip_reason(db=self.db, row=row)
        if reason is not None:
            await self._fail(row, error=f"skipped: {reason[0]}", survey_status=reason[1])
            self.stats.skipped += 1
            return
        try:
            sent = await self._send_noted(row)
        except SentUnreadable as exc:
            # Telegram has it: sending again would give the owner a second copy.
            log.warning("outbox row %s (%s): accepted, but the answer could not be read (%s); "
                        "counted as sent, message id unknown", row.id, row.kind, exc)
            sent = Sent(None)
        except RetryLater as exc:
            self.stats.rate_limited += 1
            self.limiter.pause(row.chat_id, exc.retry_after, whole_bot=exc.whole_bot)
            due = clock.now() + timedelta(seconds=exc.retry_after)
            await release(db=self.db, rows=[(row.id, due)], worker=self.worker,  # type: ignore[list-item]
                          error=f"429: {exc}")
            self.stats.rescheduled += 1
            return
        except TransientFailure as exc:
            # Nothing answered for a while: Telegram (or the network) is out of reach, and the
            # failure says nothing about this message. Counting it would fail every queued
            # row within minutes (`max_attempts`); it waits the longest backoff instead.
            outage = self.limiter.unanswered_for(self.config.outage_seconds)
            await self._retry(row, f"transient: {exc}", counted=not outage)
            return
        except Undeliverable as exc:
            log.info("outbox row %s (%s) undeliverable: %s", row.id, row.kind, exc)
            if isinstance(exc, ChatUnreachable):
                # Before the row is finished: whoever sees it failed sees the owner marked, and
                # a crash in between leaves the row to be tried (and finished) again.
                await mark_unreachable(db=self.db, chat_id=row.chat_id, now=clock.now())
            await self._fail(row, error=f"undeliverable: {exc}",
                             survey_status=SurveyStatus.UNDELIVERABLE)
            self.stats.failed += 1
            return
        # Sent: from here on nothing may stop us from recording it.
        await uncancellable(mark_sent(db=self.db, row=row, worker=self.worker,
                                      message_id=sent.message_id, stood_in=sent.stood_in))
        self.stats.sent += 1

    async def _send_noted(self, row: OutboxMessage) -> Sent:
        """Send; note every answer from the Bot API (a refusal too) but a transient failure."""
        try:
            sent = await send_row(messenger=self.messenger, render=self.render, row=row)
        except TransientFailure:
            raise
        except DeliveryError:
            self.limiter.answered()
            raise
        self.limiter.answered()
        return sent

    async def _retry(self, row: OutboxMessage, error: str, *, counted: bool = True) -> None:
        if not counted:
            due = clock.now() + timedelta(seconds=backoff(OUTAGE_ATTEMPTS, self.config))
            await release(db=self.db, rows=[(require_id(row), due)], worker=self.worker,
                          error=error)
            self.stats.rescheduled += 1
            return
        attempts = row.attempts + 1
        if attempts >= self.config.max_attempts:
            log.warning("outbox row %s (%s) failed after %s attempts: %s",
                        row.id, row.kind, attempts, error)
            await self._fail(row, error=error, attempts=attempts,
                             survey_status=SurveyStatus.UNDELIVERABLE)
            self.stats.failed += 1
            return
        due = clock.now() + timedelta(seconds=backoff(attempts, self.config))
        await release(db=self.db, rows=[(row.id, due)], worker=self.worker,  # type: ignore[list-item]
                      attempts_delta=1, error=error)
        self.stats.retried += 1

    async def _fail(self, row: OutboxMessage, *, error: str, survey_status: str | None,
                    attempts: int | None = None) -> None:
        await finish(db=self.db, row=row, worker=self.worker, status=OutboxStatus.FAILED,
                     error=error, survey_status=survey_status, attempts=attempts)
