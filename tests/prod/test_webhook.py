"""Webhook mode: one server for Telegram's updates, the intake API and health checks.

Every test runs on both chat runtimes (aiogram, then PTB) through the `chat_runtime` fixture.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.app import build_app
from bot.emulator.server import EmulatorServer, running_emulator
from bot.webhook import SECRET_HEADER, WebhookServer, webhook_secret
from surveys.people.directory import add_community, add_owner
from tests.fixtures.chat import OWNERS, TOKEN, current_runtime, settings_for
from tests.fixtures.raw_http import raw_post
from tests.fixtures.updates import OLD_POLL, message

pytestmark = pytest.mark.usefixtures("chat_runtime")

SECRET = webhook_secret(None, TOKEN)


@dataclass
class Served:
    emulator: EmulatorServer
    app: Any
    server: WebhookServer
    http: aiohttp.ClientSession

    @property
    def hook(self) -> str:
        return f"{self.server.bound_url}{self.server.path}"


@asynccontextmanager
async def webhook_bot(db_url: str) -> AsyncIterator[Served]:
    async with running_emulator() as emulator:
        settings = settings_for(emulator, db_url, runtime=current_runtime())
        app = build_app(settings, polling=False, serve_api=False, schedule=False)
        assert app.runtime.name == current_runtime()
        server = WebhookServer(
            app,
            url="https://bot.example.com/tg/hook",
            host="127.0.0.1",
            port=0,
            secret=SECRET,
            register=False,
        )
        async with app, aiohttp.ClientSession() as http:
            await server.start()
            try:
                # The emulator plays Telegram: it posts updates to the bound address.
                await app.bot.set_webhook(
                    url=f"{server.bound_url}{server.path}", secret_token=SECRET
                )
                yield Served(emulator, app, server, http)
            finally:
                # The emulator's shutdown waits on a webhook it cannot reach any more.
                await app.bot.delete_webhook()
                await server.close()


def _update(update_id: int, text: str = "/help") -> dict[str, Any]:
    user = {"id": 7001, "is_bot": False, "first_name": "测试", "language_code": "zh-hans"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "text": text,
            "chat": {"id": 7001, "type": "private"},
            "from": user,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_updates_without_or_with_a_wrong_secret_are_refused(db_url: str) -> None:
    async with webhook_bot(db_url) as s:
        client = s.emulator.client
        await client.user(7001, "测试")
        async with s.http.post(s.hook, json=_update(1)) as resp:
            assert resp.status == 401
            assert (await resp.json())["error"] == "unauthorized"
        async with s.http.post(
            s.hook, json=_update(2), headers={SECRET_HEADER: SECRET[:-1] + "x"}
        ) as resp:
            assert resp.status == 401
        assert await client.bot_messages(TOKEN, 7001) == []  # nothing was handled
        async with s.http.post(s.hook, json=_update(3), headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 200
        assert len(await client.wait_for(TOKEN, 7001, count=1, timeout=10)) == 1


async def test_hostile_secret_bytes_bodies_and_encodings_are_a_4xx_with_a_code(
    db_url: str,
) -> None:

    async with webhook_bot(db_url) as s:
        url = URL(s.hook)
        assert url.host is not None and url.port is not None
        secret = (SECRET_HEADER.encode(), SECRET.encode())
        json_type = (b"Content-Type", b"application/json")
        cases = [
            ([(SECRET_HEADER.encode(), b"\xff\xfe" + SECRET.encode())], b"{}", 401),
            ([secret, json_type], b'{"update_id": ' + b"9" * 5000 + b"}", 400),
            ([secret, json_type, (b"Content-Encoding", b"gzip")], b"\x1f\x8b\x08garbage", 400),
            ([secret, json_type, (b"Content-Encoding", b"zstd")], b"{}", 415),
        ]
        for headers, body, status in cases:
            answer = await raw_post(url.host, url.port, url.path, headers=headers, body=body)
            assert answer.status == status, (headers, answer)
            assert answer.json()["error"] and answer.json()["detail"]


async def test_an_owner_binds_over_the_webhook_the_same_as_over_polling(db_url: str) -> None:
    async with webhook_bot(db_url) as s:
        person = OWNERS[0]
        await add_community(db=s.app.db, code="sunny", name="阳光花园")
        await add_owner(
            db=s.app.db,
            community_code="sunny",
            name=person.name,
            phone=person.phone,
            building=person.building,
            room=person.room,
        )
        client = s.emulator.client
        await client.user(person.user_id, person.name)
        await client.send_text(TOKEN, person.user_id, "/start")
        await client.wait_for(TOKEN, person.user_id, count=1, timeout=10)
        await client.share_contact(TOKEN, person.user_id, person.phone)
        replies = await client.wait_for(TOKEN, person.user_id, count=2, timeout=10)
        assert person.name in replies[-1]["text"] or "绑定" in replies[-1]["text"]


async def test_an_update_the_framework_cannot_read_is_acknowledged_and_the_next_handled(
    db_url: str,
) -> None:
    # Telegram repeats an update answered with any status but 2xx (setWebhook), and the
    # emulator, like it, delivers the next ones only after it: a 400 held up everyone.
    async with webhook_bot(db_url) as s:
        person, client = OWNERS[0], s.emulator.client
        await client.user(person.user_id, person.name)
        await client.send_raw(TOKEN, {"message": message(person, poll=OLD_POLL)})
        await client.send_text(TOKEN, person.user_id, "/help")
        replies = await client.wait_for(TOKEN, person.user_id, count=1, timeout=10)
        assert "/stop" in replies[0]["text"]
        info = await s.app.bot.get_webhook_info()
        assert info.last_error_message is None


async def test_health_readiness_and_the_intake_api_share_the_server(db_url: str) -> None:
    async with webhook_bot(db_url) as s:
        base = s.server.bound_url
        async with s.http.get(f"{base}/healthz") as resp:
            assert resp.status == 200
        async with s.http.get(f"{base}/readyz") as resp:
            body = await resp.json()
            assert resp.status == 200, body
            assert body == {"ok": True, "database": True, "bot": True, "dispatcher": True}
        async with s.http.post(f"{base}/api/v1/work-orders/close", json={}) as resp:
            assert resp.status == 401  # the intake API, with its own bearer auth
        async with s.http.post(s.hook, data=b"{not json", headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 400
        # An update the framework cannot read is acknowledged as skipped: Telegram repeats
        # every answer but a 2xx, and the same bytes would fail again.
        broken = _update(9)
        broken["message"]["chat"] = {"id": "not a number", "type": 5}
        del broken["message"]["date"]
        async with s.http.post(s.hook, json=broken, headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 200
            assert await resp.json() == {"ok": True, "skipped": "unreadable_update"}
        async with s.http.post(s.hook, json=_update(10), headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 200  # and the next good one is handled as usual
        app = s.app
    assert not app.webhook_ready  # closed: readiness is withdrawn first
