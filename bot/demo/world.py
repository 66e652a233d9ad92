"""What every demo step shares: the cast, and `Demo` (the running app, players, transcript)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import App
from bot.demo.failures import DemoFailed, DemoFailure
from bot.demo.players import Player, Stage
from bot.demo.transcript import Transcript
from bot.i18n import N_, translator
from surveys.core.db import SessionFactory

TOKEN = "700000001:ownervoice-demo-token"
API_TOKEN = "demo-api-token"
INVITE_SECRET = "demo-invite-secret"

COMMUNITY = ("sunny-garden", "阳光花园")
AGENTS = (("A001", "王晓梅", "13700137001"), ("A002", "李建国", "13700137002"))
OWNERS = (  # user id, name, phone, building, room
    (7001, "张伟", "13800138001", "1", "101"),
    (7002, "刘芳", "13800138002", "2", "202"),
    (7003, "陈静", "13800138003", "3", "303"),
)
ORDERS = (  # external id, owner index, agent, kind, title
    ("WO-2026-0001", 0, "A001", "repair", "厨房水管漏水维修"),
    ("WO-2026-0002", 1, "A002", "repair", "电梯按钮失灵"),
    ("WO-2026-0003", 2, "A001", "enquiry", "物业费缴费咨询"),
)


@dataclass
class Demo:
    """Everything a step needs: the running app, the players and the transcript."""

    app: App
    stage: Stage
    api_token: str = API_TOKEN
    invite_secret: str = INVITE_SECRET
    players: dict[int, Player] = field(default_factory=dict)
    owner_ids: dict[int, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # for later steps to share state
    out_dir: Path = Path("demo-output")  # where the report files go

    @property
    def db(self) -> SessionFactory:
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

    def note_closed(self, order: str, status: int, answer: dict[str, Any]) -> None:
        """Narrate an intake API close: the order, the HTTP status, the survey it made."""
        self.transcript.note(N_("POST /api/v1/work-orders/close {order} → {status} survey "
                                "#{survey} {survey_status}"), order=order, status=status,
                             survey=answer.get("survey_id"),
                             survey_status=self.transcript.word(answer.get("survey_status")))

    async def post_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Close a work order through the intake API, as the property system would."""
        assert self.app.api_url, "the intake API is not running"
        headers = {"Authorization": f"Bearer {self.api_token}"}
        async with aiohttp.ClientSession() as http, http.post(
                f"{self.app.api_url}/api/v1/work-orders/close", json=body,
                headers=headers) as resp:
            if resp.status >= 300:  # the demo's orders are all valid: a refusal is a fault
                raise DemoFailed(DemoFailure.INTAKE_REFUSED, order=str(body.get("external_id")),
                                 status=resp.status)
            return resp.status, await resp.json()
