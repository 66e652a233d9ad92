"""GET /healthz: the process answers and the database is reachable (no token).

It shares the public survey port, and with a backlog of queued messages its outbox count
costs the database milliseconds: one answer serves every check for a second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from surveys.core.db import SessionFactory
from surveys.outbox.store import pending_count

log = logging.getLogger(__name__)

HEALTH_FRESH_SECONDS = 1.0  # how long one health answer serves every /healthz


@dataclass
class Health:
    """The last health answer, and a lock so one check at a time asks the database."""

    db: SessionFactory
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    at: float = -HEALTH_FRESH_SECONDS
    answer: tuple[int, dict[str, Any]] = (503, {})


HEALTH = web.AppKey("health", Health)


async def healthz(request: web.Request) -> web.Response:
    """Answer GET /healthz: whether the database is reachable, and the outbox rows pending."""
    # No token and the public survey port: a flood of checks gets the answer of the last
    # second, so it costs the database one outbox count a second, not one a request.
    health = request.app[HEALTH]
    async with health.lock:
        if time.monotonic() - health.at >= HEALTH_FRESH_SECONDS:
            health.answer, health.at = await _check(health.db), time.monotonic()
    status, answer = health.answer
    return web.json_response(answer, status=status)


async def _check(db: SessionFactory) -> tuple[int, dict[str, Any]]:
    try:
        pending = await pending_count(db=db)
    except Exception as exc:  # report, do not crash: this is what health checks are for
        log.warning("health check: database unreachable: %s", exc)
        return 503, {"ok": False, "database": False}
    return 200, {"ok": True, "database": True, "outbox_pending": pending}
