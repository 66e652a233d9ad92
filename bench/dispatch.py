"""Benchmark: sustained outbox delivery against the emulator enforcing Telegram's flood limits.

Runs, in one process and one emulator (separate bot tokens, so separate flood buckets):

- ownervoice: N surveys through the real outbox (database) and dispatcher with its limiter,
  sent by the real aiogram Messenger;
- naive baseline: the same N messages sent as fast as 8 concurrent senders can, relying only
  on 429 `retry_after` to slow down (no database, no limiter).

Reports each run's sustained delivery rate (successful sends between the first and the last,
from the emulator's own request log) as a ratio of the 30 msg/s limit, the 429s received,
and lost/duplicated messages (from the emulator's per-chat log; must be zero).

    .venv/bin/python bench/dispatch.py [--surveys 600] [--db-url URL] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlmodel import col, select

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer, running_emulator
from surveys.core.config import DispatchConfig, SurveyConfig
from surveys.core.db import SessionFactory, create_engine, create_schema, session_factory
from surveys.intake.survey_message import survey_payload
from surveys.models import (
    Agent,
    Community,
    OutboxMessage,
    OutboxStatus,
    Owner,
    Survey,
    WorkOrder,
)
from surveys.outbox.dispatch import run_dispatcher
from surveys.outbox.ports import OutgoingMessage, RetryLater
from surveys.outbox.store import enqueue

LIMIT = 30.0
OURS_TOKEN = "900001:bench-ownervoice"
NAIVE_TOKEN = "900002:bench-naive"
FIRST_CHAT = 5_000_000


def render(row: OutboxMessage) -> OutgoingMessage:
    """Render a survey row as a short text naming the survey."""
    return OutgoingMessage(chat_id=row.chat_id, text=f"survey #{row.payload['survey_id']}")


async def seed(db: SessionFactory, emulator: EmulatorServer, n: int, run_id: str) -> None:
    """Create n bound owners and n queued surveys (unique per run, so PostgreSQL can be reused)."""
    for i in range(n):
        emulator.state.user(FIRST_CHAT + i, f"Owner{i}")
    config = SurveyConfig()
    async with db() as s, s.begin():
        community = Community(code=f"bench-{run_id}", name="Bench Garden")
        agent = Agent(external_id=f"bench-{run_id}", name="Agent")
        s.add_all([community, agent])
        await s.flush()
        cid: int = community.id  # type: ignore[assignment]
        owners = [
            Owner(
                community_id=cid,
                name=f"O{i}",
                phone=f"139{i:08d}",
                telegram_user_id=None,
                chat_id=FIRST_CHAT + i,
            )
            for i in range(n)
        ]
        s.add_all(owners)
        await s.flush()
        orders = [
            WorkOrder(
                external_id=f"bench-{run_id}-{i}",
                community_id=cid,
                owner_id=o.id,
                agent_id=agent.id,  # type: ignore[arg-type]
                title=f"Order {i}",
            )
            for i, o in enumerate(owners)
        ]
        s.add_all(orders)
        await s.flush()
        surveys = [
            Survey(
                work_order_id=w.id,
                owner_id=o.id,  # type: ignore[arg-type]
                agent_id=agent.id,
            )
            for w, o in zip(orders, owners, strict=True)
        ]
        s.add_all(surveys)
        await s.flush()
        for survey, order, owner in zip(surveys, orders, owners, strict=True):
            await enqueue(
                s,
                kind="survey",
                dedupe_key=f"survey:{survey.id}",
                chat_id=owner.chat_id,
                survey_id=survey.id,  # type: ignore[arg-type]
                payload=survey_payload(
                    survey=survey,
                    order=order,
                    agent=agent,
                    community=community,
                    survey_config=config,
                ),
            )


def _bot(base_url: str, token: str) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))


def _measure(emulator: EmulatorServer, token: str, n: int, wall: float) -> dict[str, Any]:
    state = emulator.state.bot(token)
    ok = sorted(
        e["time"]
        for e in state.requests
        if e.get("method") == "sendMessage" and e.get("status") == 200
    )
    span = (ok[-1] - ok[0]) if len(ok) > 1 else 0.0
    rate = (len(ok) - 1) / span if span > 0 else 0.0
    per_chat = state.sends_per_chat
    expected = {FIRST_CHAT + i for i in range(n)}
    lost = sum(1 for chat in expected if per_chat.get(chat, 0) == 0)
    duplicated = sum(count - 1 for chat, count in per_chat.items() if count > 1)
    return {
        "delivered": len(ok),
        "lost": lost,
        "duplicated": duplicated,
        "unexpected_chats": len(set(per_chat) - expected),
        "seconds": round(wall, 2),
        "rate_per_s": round(rate, 2),
        "ratio_of_limit": round(rate / LIMIT, 3),
        "http_429": state.too_many_requests,
    }


async def run_ours(emulator: EmulatorServer, db_url: str, n: int) -> dict[str, Any]:
    """Deliver n surveys through the outbox and dispatcher; return the measurements."""
    engine = create_engine(db_url)
    await create_schema(engine)
    db = session_factory(engine)
    await seed(db, emulator, n, run_id=str(int(time.time() * 1000)))
    bot = _bot(emulator.base_url, OURS_TOKEN)
    stop = asyncio.Event()
    config = DispatchConfig(per_bot_per_second=LIMIT, tick_seconds=0.1)
    started = time.monotonic()
    task = asyncio.create_task(
        run_dispatcher(
            db=db, messenger=AiogramMessenger(bot), render=render, config=config, stop=stop
        )
    )
    try:
        while True:
            async with db() as s:
                left = len(
                    (
                        await s.exec(
                            select(OutboxMessage.id).where(
                                col(OutboxMessage.status).in_(
                                    [OutboxStatus.PENDING, OutboxStatus.SENDING]
                                )
                            )
                        )
                    ).all()
                )
            if not left:
                break
            await asyncio.sleep(0.2)
        wall = time.monotonic() - started
    finally:
        stop.set()
        await task
        await bot.session.close()
        await engine.dispose()
    return _measure(emulator, OURS_TOKEN, n, wall)


async def run_naive(emulator: EmulatorServer, n: int, concurrency: int = 8) -> dict[str, Any]:
    """Send n messages as fast as possible, slowing down only when told by a 429."""
    bot = _bot(emulator.base_url, NAIVE_TOKEN)
    messenger = AiogramMessenger(bot)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def sender() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            while True:
                try:
                    await messenger.send(
                        OutgoingMessage(chat_id=FIRST_CHAT + i, text=f"naive #{i}")
                    )
                    break
                except RetryLater as exc:
                    await asyncio.sleep(exc.retry_after)

    started = time.monotonic()
    try:
        await asyncio.gather(*(sender() for _ in range(concurrency)))
    finally:
        await bot.session.close()
    return _measure(emulator, NAIVE_TOKEN, n, time.monotonic() - started)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Run both senders against one emulator enforcing 30 msg/s per bot and 1 msg/s per chat."""
    async with running_emulator(flood_limits=True, per_bot=LIMIT, per_chat=1.0) as emulator:
        with tempfile.TemporaryDirectory() as tmp:
            db_url = args.db_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            ours = await run_ours(emulator, db_url, args.surveys)
        naive = await run_naive(emulator, args.surveys) if not args.no_baseline else None
    return {
        "surveys": args.surveys,
        "limit_per_s": LIMIT,
        "database": "postgresql" if args.db_url and "postgres" in args.db_url else "sqlite",
        "ownervoice": ours,
        "naive_baseline": naive,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--surveys", type=int, default=600)
    parser.add_argument("--db-url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(main_async(args))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"dispatch benchmark: {args.surveys} surveys, emulator limit {LIMIT:g} msg/s "
            f"per bot, 1 msg/s per chat ({result['database']})"
        )
        for name in ("ownervoice", "naive_baseline"):
            r = result[name]
            if r is None:
                continue
            print(
                f"  {name:15s} ratio {r['ratio_of_limit']:.3f} ({r['rate_per_s']} msg/s), "
                f"{r['seconds']} s, 429s {r['http_429']}, delivered {r['delivered']}, "
                f"lost {r['lost']}, duplicated {r['duplicated']}"
            )
    ours = result["ownervoice"]
    ok = ours["lost"] == 0 and ours["duplicated"] == 0 and ours["ratio_of_limit"] >= 0.9
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
