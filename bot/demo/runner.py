"""Run the demo: emulator on loopback, fresh SQLite file, the real app, then every step."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.demo.players import Player, Stage
from bot.demo.steps import STEPS
from bot.demo.transcript import Transcript
from bot.i18n import translator

TOKEN = "700000001:ownervoice-demo-token"
API_TOKEN = "demo-api-token"
INVITE_SECRET = "demo-invite-secret"

log = logging.getLogger(__name__)


@dataclass
class Demo:
    """Everything a step needs: the running app, the players and the transcript."""

    app: Any
    stage: Stage
    api_token: str = API_TOKEN
    invite_secret: str = INVITE_SECRET
    players: dict[int, Player] = field(default_factory=dict)
    owner_ids: dict[int, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # for later steps to share state
    out_dir: Path = Path("demo-output")  # where the report files go

    @property
    def db(self) -> Any:
        return self.app.db

    @property
    def transcript(self) -> Transcript:
        return self.stage.transcript

    def tr(self, message: str) -> str:
        """Translate a text the way the bot shows it (zh_CN)."""
        return translator("zh_CN")._(message)

    def player(self, user_id: int, name: str, phone: str, language_code: str = "zh-hans"
               ) -> Player:
        """Return (creating once) the player for a Telegram user."""
        if user_id not in self.players:
            self.players[user_id] = Player(self.stage, user_id, name, phone, language_code)
        return self.players[user_id]

    async def post_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Close a work order through the intake API, as the property system would."""
        assert self.app.api_url, "the intake API is not running"
        headers = {"Authorization": f"Bearer {self.api_token}"}
        async with aiohttp.ClientSession() as http, http.post(
                f"{self.app.api_url}/api/v1/work-orders/close", json=body,
                headers=headers) as resp:
            return resp.status, await resp.json()


async def _outbox_drained(db: Any, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    from surveys.outbox.store import pending_count

    deadline = time.monotonic() + timeout
    while await pending_count(db=db):
        if time.monotonic() > deadline:
            raise TimeoutError("the bot still has messages to send")
        await asyncio.sleep(0.02)


def _fresh_database(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "ownervoice-demo.db"
    for suffix in ("", "-wal", "-shm"):
        (folder / f"ownervoice-demo.db{suffix}").unlink(missing_ok=True)
    return database


async def run_demo(*, workdir: Path | None = None, runtime: str = "aiogram",
                   transcript: Transcript | None = None, out_dir: Path | None = None) -> int:
    """Play every step; return 0 when all went through."""
    from bot.app import build_app
    from bot.config import ApiConfig, DatabaseConfig, InviteConfig, Settings, TelegramConfig
    from bot.emulator.server import running_emulator
    from surveys.core.config import DispatchConfig

    transcript = transcript or Transcript()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ownervoice-demo-") as tmp:
        folder = Path(workdir or tmp)
        database = _fresh_database(folder)
        async with running_emulator() as emulator:
            settings = Settings(
                runtime=runtime,  # type: ignore[arg-type]
                telegram=TelegramConfig(token=TOKEN, api_base=emulator.base_url),  # type: ignore[arg-type]
                database=DatabaseConfig(url=f"sqlite+aiosqlite:///{database}"),
                api=ApiConfig(host="127.0.0.1", port=0, token=API_TOKEN),  # type: ignore[arg-type]
                invites=InviteConfig(secret=INVITE_SECRET),  # type: ignore[arg-type]
                dispatch=DispatchConfig(tick_seconds=0.2),
            )
            await emulator.client.name_bot(TOKEN, username="ownervoice_demo_bot",
                                           first_name="业主之声")
            transcript.write("业主之声 ownervoice — offline demo")
            transcript.write(f"Bot API emulator on {emulator.base_url}; database {database}; "
                             f"runtime {runtime}")
            app = build_app(settings, polling_timeout=1)
            async with app:
                stage = Stage(emulator.client, TOKEN, transcript,
                              settle=lambda: _outbox_drained(app.db))
                demo = Demo(app=app, stage=stage,
                            out_dir=out_dir or folder / "reports")
                for number, entry in enumerate(STEPS, start=1):
                    transcript.section(f"{number}. {entry.title}")
                    await entry.func(demo)
            transcript.write()
            transcript.write(f"Demo finished in {time.monotonic() - started:.1f} s.")
    return 0
