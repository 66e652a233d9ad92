"""The outbox dispatcher against the emulator with Telegram's flood limits on."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer
from surveys.core.clock import FrozenClock
from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage, OutboxStatus, Survey, SurveyStatus
from surveys.outbox.dispatch import dispatch_once, run_dispatcher
from tests.fixtures.aiogram_bot import TOKEN
from tests.fixtures.outbox_rows import (
    FIRST_CHAT,
    drain,
    outbox_rows,
    render,
    seed_surveys,
    sent_texts_per_chat,
    survey_statuses,
)


def _assert_exactly_once(sent: dict[int, list[str]], survey_ids: list[int]) -> None:
    expected = {FIRST_CHAT + i: [f"survey #{sid}"] for i, sid in enumerate(survey_ids)}
    assert sent == expected


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
async def test_500_surveys_reach_500_owners_exactly_once_within_flood_limits(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    survey_ids = await seed_surveys(db, emulator, 500)
    config = DispatchConfig(tick_seconds=0.1)
    started = time.monotonic()
    await drain(db, messenger, config, within=60)
    elapsed = time.monotonic() - started

    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)
    assert await survey_statuses(db) == {SurveyStatus.SENT: 500}
    stats = emulator.state.bot(TOKEN).stats()
    assert stats["messages_sent"] == 500
    # The limiter keeps to 30 msg/s, so Telegram (the emulator) never has to refuse much.
    assert stats["too_many_requests"] <= 5, stats["too_many_requests"]
    assert elapsed >= 500 / 30 * 0.9  # it did not just ignore the limit either


@pytest.mark.slow
async def test_cancelled_dispatcher_leaves_no_row_unmarked_and_restart_sends_the_rest_once(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    await emulator.client.set_flood_limits(True, per_bot=100)
    survey_ids = await seed_surveys(db, emulator, 150)
    config = DispatchConfig(per_bot_per_second=100, tick_seconds=0.1, batch_size=50)
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_dispatcher(db=db, messenger=messenger, render=render, config=config, stop=stop)
    )
    state = emulator.state.bot(TOKEN)
    while sum(state.sends_per_chat.values()) < 40:  # noqa: ASYNC110 (polling another server)
        await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    rows = await outbox_rows(db)
    sent_rows = [r for r in rows if r.status == OutboxStatus.SENT]
    assert not [r for r in rows if r.status == OutboxStatus.SENDING]
    assert 40 <= len(sent_rows) < 150
    # Every message Telegram accepted is marked SENT, and nothing else is.
    assert len(sent_rows) == sum(state.sends_per_chat.values())

    await drain(db, messenger, config, within=30)
    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)


async def test_rows_of_a_crashed_dispatcher_are_claimed_again_after_their_lease(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger,
    clock: FrozenClock,
) -> None:
    survey_ids = await seed_surveys(db, emulator, 3)
    async with db() as s, s.begin():  # a dispatcher claimed them, then died before sending
        await s.exec(update(OutboxMessage).values(
            status=OutboxStatus.SENDING, claimed_by="dead:1",
            claimed_until=clock() + timedelta(seconds=60)))
    config = DispatchConfig()
    stats = await dispatch_once(db=db, messenger=messenger, render=render, config=config)
    assert stats.claimed == 0  # the lease is still running

    clock.advance(timedelta(seconds=61))
    stats = await dispatch_once(db=db, messenger=messenger, render=render, config=config)
    assert stats.sent == 3
    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)


async def test_injected_429s_and_5xx_are_retried_and_delivered_once(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    survey_ids = await seed_surveys(db, emulator, 10)
    await emulator.client.inject_fault("sendMessage", "status", count=3, status=502)
    await emulator.client.inject_fault("sendMessage", "retry_after", count=2, retry_after=1)
    await emulator.client.inject_fault("sendMessage", "status", count=1, status=500)
    config = DispatchConfig(retry_base_seconds=0.05, tick_seconds=0.05)
    await drain(db, messenger, config, within=30)

    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)
    rows = await outbox_rows(db)
    assert all(r.status == OutboxStatus.SENT for r in rows)
    assert sum(r.attempts for r in rows) == 10 + 4  # 429s are not counted as attempts
    assert emulator.state.bot(TOKEN).status_counts[429] >= 2


async def test_blocked_owner_becomes_undeliverable_without_a_retry_storm(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    survey_ids = await seed_surveys(db, emulator, 3)
    await emulator.client.block(TOKEN, FIRST_CHAT + 1)
    config = DispatchConfig(retry_base_seconds=0.05, tick_seconds=0.05)
    await drain(db, messenger, config, within=30)
    for _ in range(3):  # later ticks must not touch the failed row again
        await dispatch_once(db=db, messenger=messenger, render=render, config=config)

    async with db() as s:
        blocked = await s.get(Survey, survey_ids[1])
        assert blocked is not None and blocked.status == SurveyStatus.UNDELIVERABLE
    attempts = [r for r in emulator.state.bot(TOKEN).requests
                if r.get("method") == "sendMessage"
                and str((r.get("params") or {}).get("chat_id")) == str(FIRST_CHAT + 1)]
    assert len(attempts) == 1
    sent = await sent_texts_per_chat(emulator)
    assert set(sent) == {FIRST_CHAT, FIRST_CHAT + 2}


@pytest.mark.slow
async def test_repeated_crashes_and_restarts_still_deliver_each_survey_exactly_once(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    await emulator.client.set_flood_limits(True, per_bot=100)
    survey_ids = await seed_surveys(db, emulator, 120)
    config = DispatchConfig(per_bot_per_second=100, tick_seconds=0.05, batch_size=25)
    state = emulator.state.bot(TOKEN)
    for target in (10, 35, 60, 90):
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_dispatcher(db=db, messenger=messenger, render=render, config=config, stop=stop)
        )
        while sum(state.sends_per_chat.values()) < target:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        rows = await outbox_rows(db)
        assert not [r for r in rows if r.status == OutboxStatus.SENDING]
        assert len([r for r in rows if r.status == OutboxStatus.SENT]) == sum(
            state.sends_per_chat.values())

    await drain(db, messenger, config, within=30)
    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)


@pytest.mark.slow
async def test_two_dispatchers_on_one_outbox_never_send_a_row_twice(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    await emulator.client.set_flood_limits(True, per_bot=100)
    survey_ids = await seed_surveys(db, emulator, 120)
    config = DispatchConfig(per_bot_per_second=45, tick_seconds=0.05, batch_size=10)
    stop = asyncio.Event()
    replicas = [
        asyncio.create_task(run_dispatcher(db=db, messenger=messenger, render=render,
                                           config=config, stop=stop, worker=f"replica-{i}"))
        for i in range(2)
    ]
    try:
        await drain(db, messenger, config, within=30)  # plus a third one while draining
    finally:
        stop.set()
        stats = await asyncio.gather(*replicas)
    _assert_exactly_once(await sent_texts_per_chat(emulator), survey_ids)
    assert all(s.sent > 0 for s in stats)  # both replicas took part
