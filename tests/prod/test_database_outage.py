"""The database goes away for a while: polite "try later" replies, nothing half-kept, recovery."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from surveys.models import OutboxMessage
from tests.fixtures.chat import TOKEN
from tests.prod.conftest import World, close_orders, seed_bound_owners
from tests.prod.proxy import CuttableProxy
from tests.prod.replicas import fleet

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(300)]

TRY_LATER = ("请稍后再试", "请一分钟后再试", "try again")


async def _reply_to(world: World, uid: int, text: str, timeout: float = 20) -> str:  # noqa: ASYNC109
    client = world.emulator.client
    before = len(await client.bot_messages(TOKEN, uid))
    await client.send_text(TOKEN, uid, text)
    found = await client.wait_for(TOKEN, uid, count=before + 1, timeout=timeout)
    return str(found[before]["text"])


async def test_bot_says_try_later_while_the_database_is_away_and_recovers(
    pg_world: World, pg_db_url: str, tmp_path: Path
) -> None:
    users = await seed_bound_owners(pg_world.db, pg_world.emulator, 3)
    url = make_url(pg_db_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    via_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    replicas = fleet(count=1, db_url=via_proxy, api_base=pg_world.emulator.base_url, tmp=tmp_path)
    await replicas.start()
    replica = replicas.replicas[0]
    try:
        normal = await _reply_to(pg_world, users[0], "/help")
        assert not any(t in normal for t in TRY_LATER)

        await proxy.cut()
        answer = await _reply_to(pg_world, users[1], "/help")
        assert any(t in answer for t in TRY_LATER), answer
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{replica.base}/healthz") as resp:
                assert resp.status == 200  # the process is alive ...
            async with http.get(f"{replica.base}/readyz") as resp:
                assert resp.status == 503  # ... but not ready
            order = {
                "external_id": "WO-OUTAGE",
                "community_code": "sunny",
                "owner": {"name": "业主2", "phone": "13900000002"},
                "agent_external_id": "A001",
            }
            headers = {"Authorization": "Bearer test-api-token"}
            async with http.post(
                f"{replica.base}/api/v1/work-orders/close", json=order, headers=headers
            ) as resp:
                body = await resp.json()
                assert resp.status == 503, body  # refused, not accepted and lost
                assert resp.headers.get("Retry-After")
        # Meanwhile the property system's other path (here: directly) closes an order.
        await close_orders(pg_world.db, users[2:], "WO-DURING")
        await asyncio.sleep(3)

        await proxy.start()
        deadline = time.monotonic() + 60
        async with aiohttp.ClientSession() as http:
            while True:
                async with http.get(f"{replica.base}/readyz") as resp:
                    if resp.status == 200:
                        break
                assert time.monotonic() < deadline, replica.log_tail()
                await asyncio.sleep(0.5)
        recovered = await _reply_to(pg_world, users[1], "/help")
        assert not any(t in recovered for t in TRY_LATER), recovered
        # The survey queued during the outage is delivered after it, once.
        try:
            found = await pg_world.emulator.client.wait_for(TOKEN, users[2], count=1, timeout=30)
        except TimeoutError:
            async with pg_world.db() as s:
                rows = (await s.exec(select(OutboxMessage))).all()
            detail = f"{[r.model_dump() for r in rows]}\n{replica.log_tail(80)}"
            raise AssertionError(detail) from None
        assert len(found) == 1
        assert replica.proc is not None and replica.proc.poll() is None  # never crashed
    finally:
        replicas.stop()
        await proxy.cut()
