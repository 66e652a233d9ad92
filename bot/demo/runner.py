"""Run the demo: emulator on loopback, fresh SQLite file, the real app, then every step."""

from __future__ import annotations

import asyncio
import logging
import socket
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bot.app import build_app
from bot.config import (
    ApiConfig,
    ClassifierConfig,
    DatabaseConfig,
    InviteConfig,
    Settings,
    TelegramConfig,
)
from bot.demo.failures import DemoFailed, DemoFailure
from bot.demo.players import Stage
from bot.demo.script import STEPS, Step
from bot.demo.transcript import Transcript
from bot.demo.world import API_TOKEN, INVITE_SECRET, TOKEN, Demo
from bot.emulator.server import running_emulator
from surveys.core.config import DispatchConfig, WebConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.outbox.store import pending_count

log = logging.getLogger(__name__)


async def _outbox_drained(db: SessionFactory, timeout: float = 120.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while await pending_count(db=db):
        if time.monotonic() > deadline:
            raise DemoFailed(DemoFailure.OUTBOX_STUCK, seconds=f"{timeout:g}")
        await asyncio.sleep(0.02)


def _free_port() -> int:
    """Return a loopback port free now (the web links must name the API's port up front)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "ownervoice-demo.db"
    for suffix in ("", "-wal", "-shm"):
        (folder / f"ownervoice-demo.db{suffix}").unlink(missing_ok=True)
    return database


async def _play(entry: Step, demo: Demo, number: int) -> None:
    """Play one step; whatever stops it says which step it was in."""
    try:
        await entry.func(demo)
    except DemoFailed as failed:
        failed.step = (number, entry.title)
        raise
    except Exception as exc:
        broke = DemoFailed(DemoFailure.STEP_BROKE)
        broke.step = (number, entry.title)
        raise broke from exc


async def run_demo(*, workdir: Path | None = None, runtime: str = "aiogram",
                   transcript: Transcript | None = None, out_dir: Path | None = None,
                   steps: Sequence[Step] | None = None) -> int:
    """Play every step (or the first `steps`); return 0 when all went through."""
    transcript = transcript or Transcript()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ownervoice-demo-") as tmp:
        folder = Path(workdir or tmp)
        database = _fresh_database(folder)
        async with running_emulator() as emulator:
            port = _free_port()
            settings = Settings(
                runtime=runtime,
                telegram=TelegramConfig(token=TOKEN, api_base=emulator.base_url),
                database=DatabaseConfig(url=f"sqlite+aiosqlite:///{database}"),
                api=ApiConfig(host="127.0.0.1", port=port, token=API_TOKEN),
                web=WebConfig(base_url=f"http://127.0.0.1:{port}"),
                invites=InviteConfig(secret=INVITE_SECRET),
                dispatch=DispatchConfig(tick_seconds=0.2),
                # The demo runs at any hour and closes several orders for one owner: the
                # company sets no quiet hours and no fatigue cap; the courtesy step gives the
                # community its own window and shows one deferral on a test clock.
                courtesy=CourtesyConfig(quiet_hours="off", fatigue_days=0),
                # The shipped classifier: nothing learned in this fresh folder.
                classifier=ClassifierConfig(data_dir=str(folder / "classifier-data")),
            )
            await emulator.client.name_bot(TOKEN, username="ownervoice_demo_bot",
                                           first_name="业主之声")
            tr = transcript.tr
            transcript.write(tr._("业主之声 ownervoice — offline demo"))
            transcript.write(tr._("Bot API emulator on {url}; database {database}; "
                                  "runtime {runtime}", url=emulator.base_url,
                                  database=database, runtime=runtime))
            # No scheduler: a step that needs a job runs it with app.run_job, so a slow machine
            # cannot fire an interval job in the middle of the transcript.
            app = build_app(settings, polling_timeout=1, schedule=False)
            async with app:
                stage = Stage(emulator.client, TOKEN, transcript,
                              settle=lambda: _outbox_drained(app.db))
                demo = Demo(app=app, stage=stage,
                            out_dir=out_dir or folder / "reports")
                for number, entry in enumerate(steps or STEPS, start=1):
                    transcript.section(f"{number}. {tr._(entry.title)}")
                    await _play(entry, demo, number)
            transcript.write()
            transcript.write(tr._("Demo finished in {seconds} s.",
                                  seconds=f"{time.monotonic() - started:.1f}"))
    return 0
