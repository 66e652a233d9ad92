"""Benchmark end-to-end handling of survey taps on both chat runtimes, side by side.

Usage: python bench/updates.py [--owners N] [--sequential N] [--rounds N] [--runtimes aiogram,ptb]

For each runtime: the bundled Bot API emulator and the real app (long polling, SQLite file,
outbox sender) run in this process; N owners are bound and each gets a survey. Then:

- sequential: one owner taps a star, we wait for the survey message to be edited, next owner
  (latency with no other load);
- burst: every owner taps at once, `--rounds` times (each round waits for all edits).

Latency is measured from the emulator receiving the tap (the update is queued) to the edited
message being stored in the emulator (its editMessageText handler has run); updates/s is
taps / wall time of the burst rounds. Everything a tap costs is in it: long poll, update
parsing, dedupe row, identity lookup, rating transaction, rendering, editMessageText.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "700000002:ownervoice-bench-token"
FIRST_USER = 800_000


@dataclass
class Result:
    runtime: str
    sequential_ms: list[float] = field(default_factory=list)
    burst_ms: list[float] = field(default_factory=list)
    burst_seconds: float = 0.0

    @property
    def updates_per_second(self) -> float:
        return len(self.burst_ms) / self.burst_seconds if self.burst_seconds else 0.0


def pct(values: list[float], q: float) -> float:
    """Return the q-th percentile (nearest rank) of the values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


class EditClock:
    """Time when each message edit is stored, by wrapping the emulator's editMessageText."""

    def __init__(self) -> None:
        self.waiters: dict[tuple[int, int], asyncio.Future[float]] = {}
        self._original: tuple[str, Callable[..., Awaitable[Any]]] | None = None

    def install(self) -> None:
        from bot.emulator.registry import METHODS

        self._original = METHODS["editmessagetext"]
        name, handler = self._original

        async def timed(emu: Any, bot: Any, params: Any) -> Any:
            result = await handler(emu, bot, params)
            stored = time.perf_counter()
            if isinstance(result, dict):
                key = (int(result["chat"]["id"]), int(result["message_id"]))
                waiter = self.waiters.pop(key, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(stored)
            return result

        METHODS["editmessagetext"] = (name, timed)

    def uninstall(self) -> None:
        from bot.emulator.registry import METHODS

        if self._original is not None:
            METHODS["editmessagetext"] = self._original

    def expect(self, chat_id: int, message_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[(chat_id, message_id)] = future
        return future


def _star_data(message: dict[str, Any], rating: int) -> str:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
        for button in row:
            if button["text"].lstrip("✅").startswith(f"{rating}⭐"):
                return str(button["callback_data"])
    raise RuntimeError(f"no {rating}⭐ button on message {message.get('message_id')}")


async def _surveys(emulator: Any, users: list[int], timeout: float = 120) -> dict[int, int]:  # noqa: ASYNC109
    """Wait until every user has a survey message; return user -> message_id."""
    found: dict[int, int] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(users):
        for uid in users:
            if uid in found:
                continue
            for m in emulator.state.chat_messages(TOKEN, uid):
                if m.get("sender") == "bot" and "⭐" in str(m.get("reply_markup") or ""):
                    found[uid] = int(m["message_id"])
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(found)}/{len(users)} surveys arrived")
        await asyncio.sleep(0.05)
    return found


async def _tap(emulator: Any, clock: EditClock, uid: int, message_id: int, rating: int) -> float:
    """Tap a star on the current survey message; return the latency in ms."""
    current = next(
        m for m in emulator.state.chat_messages(TOKEN, uid) if m["message_id"] == message_id
    )
    data = _star_data(current, rating)
    stored = clock.expect(uid, message_id)
    received = time.perf_counter()
    emulator.state.tap(TOKEN, uid, message_id, data)
    return (await asyncio.wait_for(stored, timeout=60) - received) * 1000


async def bench_runtime(
    runtime: str, *, owners: int, sequential: int, rounds: int, workdir: Path
) -> Result:
    """Run both phases against one runtime."""
    from bot.app import build_app
    from bot.config import ApiConfig, DatabaseConfig, InviteConfig, Settings, TelegramConfig
    from bot.emulator.server import running_emulator
    from surveys.core.config import DispatchConfig
    from surveys.intake.close import close_work_order
    from surveys.intake.order_in import WorkOrderIn
    from surveys.people.binding import bind_owner_by_contact
    from surveys.people.directory import OwnerIn, add_agent, add_community, add_owner

    result = Result(runtime)
    clock = EditClock()
    async with running_emulator() as emulator:
        settings = Settings(
            runtime=runtime,  # type: ignore[arg-type]
            telegram=TelegramConfig(token=TOKEN, api_base=emulator.base_url),  # type: ignore[arg-type]
            database=DatabaseConfig(url=f"sqlite+aiosqlite:///{workdir / f'{runtime}.db'}"),
            api=ApiConfig(host="127.0.0.1", port=0),
            invites=InviteConfig(secret="bench-secret"),  # type: ignore[arg-type]
            dispatch=DispatchConfig(
                per_bot_per_second=1000,
                per_chat_interval_seconds=0,
                tick_seconds=0.05,
                concurrency=32,
            ),
        )
        app = build_app(settings, serve_api=False, schedule=False, polling_timeout=5)
        async with app:
            await add_community(db=app.db, code="bench", name="基准花园")
            await add_agent(db=app.db, external_id="A1", name="王晓梅", community_code="bench")
            users = [FIRST_USER + n for n in range(owners)]
            for n, uid in enumerate(users):
                phone = f"1380000{n:04d}"
                emulator.state.user(uid, f"业主{n}")
                await add_owner(
                    db=app.db,
                    community_code="bench",
                    name=f"业主{n}",
                    phone=phone,
                    building="1",
                    room=str(100 + n),
                )
                await bind_owner_by_contact(
                    db=app.db,
                    telegram_user_id=uid,
                    chat_id=uid,
                    phone=phone,
                    contact_user_id=uid,
                    language="zh_CN",
                )
                await close_work_order(
                    db=app.db,
                    order=WorkOrderIn(
                        external_id=f"B-{n}",
                        community_code="bench",
                        owner=OwnerIn(
                            name=f"业主{n}", phone=phone, building="1", room=str(100 + n)
                        ),
                        agent_external_id="A1",
                        kind="repair",
                        title="厨房水管漏水维修",  # type: ignore[arg-type]
                    ),
                    survey_config=settings.survey,
                )
            app.wake_dispatcher()
            surveys = await _surveys(emulator, users)
            clock.install()
            try:
                for uid in users[:sequential]:
                    result.sequential_ms.append(await _tap(emulator, clock, uid, surveys[uid], 5))
                for r in range(rounds):
                    started = time.perf_counter()
                    taps = [_tap(emulator, clock, uid, surveys[uid], 4 + r % 2) for uid in users]
                    result.burst_ms += await asyncio.gather(*taps)
                    result.burst_seconds += time.perf_counter() - started
            finally:
                clock.uninstall()
    return result


def report(results: list[Result], owners: int, rounds: int) -> str:
    """Return a Markdown table of the results."""
    lines = [
        f"| runtime | sequential p50 ms | sequential p95 ms | burst ({owners} owners × "
        f"{rounds}) updates/s | burst p50 ms | burst p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    pooled = []
    for name in dict.fromkeys(r.runtime for r in results):
        runs = [r for r in results if r.runtime == name]
        if len(runs) > 1:
            pooled.append(
                Result(
                    f"{name} (all {len(runs)} runs)",
                    [x for r in runs for x in r.sequential_ms],
                    [x for r in runs for x in r.burst_ms],
                    sum(r.burst_seconds for r in runs),
                )
            )
    for r in results + pooled:
        lines.append(
            f"| {r.runtime} | {statistics.median(r.sequential_ms):.1f} | "
            f"{pct(r.sequential_ms, 95):.1f} | {r.updates_per_second:.0f} | "
            f"{statistics.median(r.burst_ms):.0f} | {pct(r.burst_ms, 95):.0f} |"
        )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> list[Result]:
    """Run the tap benchmark for each runtime and repeat."""
    results = []
    with tempfile.TemporaryDirectory(prefix="ownervoice-bench-") as tmp:
        for repeat in range(args.repeat):
            for runtime in args.runtimes.split(","):
                folder = Path(tmp) / f"{repeat}"
                folder.mkdir(exist_ok=True)
                print(f"… {runtime} (run {repeat + 1})", file=sys.stderr, flush=True)
                results.append(
                    await bench_runtime(
                        runtime,
                        owners=args.owners,
                        sequential=args.sequential,
                        rounds=args.rounds,
                        workdir=folder,
                    )
                )
    return results


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the tap benchmark and print its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=200, help="owners tapping at once")
    parser.add_argument("--sequential", type=int, default=50, help="one-at-a-time taps")
    parser.add_argument("--rounds", type=int, default=3, help="burst rounds")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the runtimes N times")
    parser.add_argument("--runtimes", default="aiogram,ptb")
    args = parser.parse_args(argv)
    args.sequential = min(args.sequential, args.owners)
    import logging

    logging.basicConfig(level=logging.ERROR)
    results = asyncio.run(main_async(args))
    print(report(results, args.owners, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
