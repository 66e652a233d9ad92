"""Name the project files the two main journeys cross, in the order they are first entered.

Usage: python bench/journeys.py [--runtime aiogram|ptb]

The bundled Bot API emulator and the real app (long polling, SQLite file, outbox sender,
intake API) run in this process; one owner is bound. Then, with a profiler hook on:

- "closed work order → survey sent": POST /api/v1/work-orders/close, until the survey message
  is in the owner's chat and the survey is marked sent;
- "star tap": the owner taps 5⭐, until the survey message is edited in place.

A file counts when a function of it runs with the journey's entry point on its call stack (the
intake API's request handler and the outbox sender; the runtime's update handler), so the bot's
other background work (polling, other jobs) is left out. The emulator's own
files and this script are not counted. docs/architecture.md quotes the result.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "700000003:ownervoice-journeys-token"
API_TOKEN = "journeys-api-token"
USER = 810_001
PROJECT = ("bot/", "surveys/", "scoring/")
# (file, function) of each journey's entry points.
TAP_ROOTS = {("bot/aiogram_app/runtime.py", "callback"), ("bot/ptb_app/runtime.py", "_on_update")}
# The sender delivers each row in a task of its own, and records a delivery in another (one
# a cancel cannot stop): every function of batch.py and marks.py is a root.
ORDER_ROOTS = {("bot/api/__init__.py", "errors_middleware"),
               ("surveys/outbox/dispatch.py", "run_dispatcher"), ("surveys/outbox/batch.py", "*"),
               ("surveys/outbox/marks.py", "*")}


class Tracer:
    """Record the project files entered under one of the root functions, in first-call order."""

    def __init__(self, roots: Iterable[tuple[str, str]]) -> None:
        self.roots = set(roots)
        self.files: dict[str, None] = {}
        self._names: dict[str, str | None] = {}

    def _relative(self, filename: str) -> str | None:
        if filename not in self._names:
            try:
                name = Path(filename).resolve().relative_to(ROOT).as_posix()
            except ValueError:
                name = None
            keep = name is not None and name.startswith(PROJECT) and not name.startswith(
                "bot/emulator/")
            self._names[filename] = name if keep else None
        return self._names[filename]

    def _under_root(self, frame: FrameType | None) -> bool:
        while frame is not None:
            name = self._relative(frame.f_code.co_filename)
            if name is not None and ((name, frame.f_code.co_name) in self.roots
                                     or (name, "*") in self.roots):
                return True
            frame = frame.f_back
        return False

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or frame.f_code.co_name == "<module>":  # not a module's first import
            return
        name = self._relative(frame.f_code.co_filename)
        if name is not None and name not in self.files and self._under_root(frame):
            self.files[name] = None

    def __enter__(self) -> Tracer:
        sys.setprofile(self)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)


async def _until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.02)
    return found


def _survey_message(emulator: Any) -> dict[str, Any] | None:
    for message in emulator.state.chat_messages(TOKEN, USER):
        if message.get("sender") == "bot" and "⭐" in str(message.get("reply_markup") or ""):
            return dict(message)
    return None


def _star(message: dict[str, Any], rating: int) -> str:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard") or []:
        for button in row:
            if button["text"].startswith(f"{rating}⭐"):
                return str(button["callback_data"])
    raise RuntimeError(f"no {rating}⭐ button")


async def journeys(runtime: str, workdir: Path) -> dict[str, list[str]]:
    """Run both journeys once on the runtime; return the files each crossed."""
    import aiohttp

    from bot.app import build_app
    from bot.config import ApiConfig, DatabaseConfig, InviteConfig, Settings, TelegramConfig
    from bot.emulator.server import running_emulator
    from surveys.core.config import DispatchConfig
    from surveys.core.courtesy import CourtesyConfig
    from surveys.people.binding import bind_owner_by_contact
    from surveys.people.directory import add_agent, add_community, add_owner

    async with running_emulator() as emulator:
        settings = Settings(
            runtime=runtime,  # type: ignore[arg-type]
            telegram=TelegramConfig(token=TOKEN, api_base=emulator.base_url),  # type: ignore[arg-type]
            database=DatabaseConfig(url=f"sqlite+aiosqlite:///{workdir / f'{runtime}.db'}"),
            api=ApiConfig(host="127.0.0.1", port=0, token=API_TOKEN),  # type: ignore[arg-type]
            invites=InviteConfig(secret="journeys-secret"),  # type: ignore[arg-type]
            dispatch=DispatchConfig(tick_seconds=0.05),
            # Run at any hour: quiet hours would hold the survey until 08:00.
            courtesy=CourtesyConfig(quiet_hours="off"),
        )
        app = build_app(settings, schedule=False, polling_timeout=1)
        async with app:
            await add_community(db=app.db, code="j", name="阳光花园")
            await add_agent(db=app.db, external_id="A1", name="王晓梅", community_code="j")
            emulator.state.user(USER, "张伟")
            await add_owner(db=app.db, community_code="j", name="张伟", phone="13800138001",
                            building="1", room="101")
            await bind_owner_by_contact(db=app.db, telegram_user_id=USER, chat_id=USER,
                                        phone="13800138001", contact_user_id=USER,
                                        language="zh_CN")
            body = {"external_id": "WO-1", "community_code": "j", "agent_external_id": "A1",
                    "owner": {"name": "张伟", "phone": "13800138001", "building": "1",
                              "room": "101"}, "kind": "repair", "title": "厨房水管漏水维修"}
            found: dict[str, list[str]] = {}
            with Tracer(ORDER_ROOTS) as tracer:
                async with aiohttp.ClientSession() as http, http.post(
                        f"{app.api_url}/api/v1/work-orders/close", json=body,
                        headers={"Authorization": f"Bearer {API_TOKEN}"}) as resp:
                    assert resp.status == 201, await resp.text()
                survey = await _until(lambda: _survey_message(emulator), "the survey message")
                await asyncio.sleep(0.3)  # the sender marks the survey sent after the call
            found["closed work order → survey sent"] = list(tracer.files)
            before = survey["text"]
            with Tracer(TAP_ROOTS) as tracer:
                emulator.state.tap(TOKEN, USER, survey["message_id"], _star(survey, 5))
                await _until(lambda: (_survey_message(emulator) or {}).get("text") != before,
                             "the edited survey")
                await asyncio.sleep(0.3)  # the update is marked handled after the edit
            found["star tap"] = list(tracer.files)
    return found


def main(argv: list[str] | None = None) -> int:
    """Print each journey's files in order and their count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="aiogram", choices=["aiogram", "ptb"])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ownervoice-journeys-") as tmp:
        found = asyncio.run(journeys(args.runtime, Path(tmp)))
    for journey, files in found.items():
        print(f"{journey} ({args.runtime}): {len(files)} files")
        for n, name in enumerate(files, start=1):
            print(f"  {n:2d}. {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
