"""One claimed batch of outbox rows: deliver each, mark it, hand back what was not started.

`surveys.outbox.dispatch` loops over batches; the exactly-once rules are described there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import col

from surveys.core import clock
from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.core.expiry import expiry_for
from surveys.core.ids import require_id
from surveys.core.pii import mask_secrets
from surveys.models import OutboxMessage, OutboxStatus, Owner, Survey, SurveyStatus
from surveys.outbox.limits import OUTAGE_ATTEMPTS, DispatchStats, Limiter, backoff
from surveys.outbox.ports import (
    ChatUnreachable,
    DeliveryError,
    MessageNotModified,
    Messenger,
    OutgoingMessage,
    RetryLater,
    SentUnreadable,
    TransientFailure,
    Undeliverable,
)
from surveys.outbox.quiet import quiet_until
from surveys.outbox.reach import mark_unreachable, unreachable
from surveys.outbox.recipients import manager_gone
from surveys.outbox.store import claim, release, renew_lease
from surveys.people.homes import home_if_several

log = logging.getLogger("surveys.outbox.dispatch")  # one logger name for the dispatcher's lines

Render = Callable[[OutboxMessage], OutgoingMessage]


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
        reason = await self._skip_reason(row)
        if reason is not None:
            await self._finish(row, OutboxStatus.FAILED, error=f"skipped: {reason[0]}",
                               survey_status=reason[1])
            self.stats.skipped += 1
            return
        try:
            message_id = await self._send_noted(row)
        except SentUnreadable as exc:
            # Telegram has it: sending again would give the owner a second copy.
            log.warning("outbox row %s (%s): accepted, but the answer could not be read (%s); "
                        "counted as sent, message id unknown", row.id, row.kind, exc)
            message_id = None
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
            await self._finish(row, OutboxStatus.FAILED, error=f"undeliverable: {exc}",
                               survey_status=SurveyStatus.UNDELIVERABLE)
            self.stats.failed += 1
            return
        # Sent: from here on nothing may stop us from recording it.
        await _uncancellable(self._mark_sent(row, message_id))
        self.stats.sent += 1

    async def _send_noted(self, row: OutboxMessage) -> int | None:
        """Send; note every answer from the Bot API (a refusal too) but a transient failure."""
        try:
            message_id = await self._send(row)
        except TransientFailure:
            raise
        except DeliveryError:
            self.limiter.answered()
            raise
        self.limiter.answered()
        return message_id

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
            return ("manager deactivated", None) if await manager_gone(self.db, row) else None
        async with self.db() as s:
            survey = await s.get(Survey, row.survey_id)
            owner = await s.get(Owner, survey.owner_id) if survey else None
            home = await home_if_several(s, owner, survey.work_order_id if survey else None)
        if home is not None:  # named at send time: the account may have gained a home since
            row.payload = {**row.payload, "home": home}
        if survey is None or owner is None:
            return ("survey gone", None)
        if row.kind == "survey":
            if survey.status != SurveyStatus.PENDING:
                return (f"survey is {survey.status}", None)
            if owner.opted_out:
                return ("owner opted out", SurveyStatus.SKIPPED_OPTED_OUT)
            if owner.chat_id is None:
                return ("owner unbound", SurveyStatus.SKIPPED_UNBOUND)
            if unreachable(owner, clock.now()):
                return ("chat unreachable", SurveyStatus.UNDELIVERABLE)
        elif row.kind == "reminder":
            if survey.status != SurveyStatus.SENT:
                return (f"survey is {survey.status}", None)
            if owner.opted_out:
                return ("owner opted out", None)
            if unreachable(owner, clock.now()):
                return ("chat unreachable", None)
        return None

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
                .values(status=status, last_error=mask_secrets(error)[:2000], claimed_until=None,
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
            if not result.rowcount:
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
                # The orders folded into it were surveyed by this message too (points count
                # them as sent; their answer is copied when this one is submitted).
                await s.exec(
                    update(Survey)
                    .where(col(Survey.folded_into_id) == row.survey_id,
                           col(Survey.status) == SurveyStatus.FOLDED)
                    .values(sent_at=now)
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
