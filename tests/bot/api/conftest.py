"""The intake API served on a real loopback port, with a seeded community and agent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.api import create_api_app
from bot.config import ApiConfig, Settings
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.people.directory import add_agent, add_community

API_TOKEN = "test-intake-token-0123456789"


@pytest.fixture
async def api(db: SessionFactory) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    """Yield (base URL, HTTP session) of a running intake API."""
    await add_community(db=db, code="GG", name="绿地花园")
    await add_agent(db=db, external_id="A-7", name="李客服", community_code="GG")
    settings = Settings(api=ApiConfig(token=SecretStr(API_TOKEN), max_body_bytes=64_000),
                        courtesy=CourtesyConfig.off())  # the wall clock must not decide
    server = TestServer(create_api_app(db=db, settings=settings), host="127.0.0.1", port=0)
    await server.start_server()
    async with aiohttp.ClientSession() as http:
        yield str(server.make_url("")).rstrip("/"), http
    await server.close()


def order(**overrides: Any) -> dict[str, Any]:
    """Return a valid close-work-order body, with fields overridden."""
    body: dict[str, Any] = {
        "external_id": "WO-1001",
        "community_code": "GG",
        "owner": {"name": "王先生", "phone": "138 1234 5678", "building": "3", "room": "1201"},
        "agent_external_id": "A-7",
        "kind": "repair",
        "urgency": "normal",
        "title": "厨房水管漏水",
    }
    body.update(overrides)
    return body


AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
