"""The intake API's idempotency keys: the first request with a key does the work, a repeat
gets its answer. `bot.api` decides what to answer; this module keeps the record
(`api_request`), so the transport never queries the database itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select

from surveys.core.db import SessionFactory
from surveys.models import ApiRequest

IN_PROGRESS = 0  # ApiRequest.status while the first request with the key is being handled


@dataclass(frozen=True)
class KeyRecord:
    """What the first request with a key left: its body's hash, and its answer once given."""

    request_sha256: str | None
    status: int  # IN_PROGRESS, or the HTTP status of the stored answer
    response: Any
    at: datetime

    @property
    def answered(self) -> bool:
        """Whether the first request's answer is stored (a repeat replays it)."""
        return self.status != IN_PROGRESS


async def reserve_key(*, db: SessionFactory, key: str, body_hash: str) -> bool:
    """Reserve the key for a request with this body; False when another request holds it."""
    try:
        async with db() as s, s.begin():
            s.add(ApiRequest(key=key, status=IN_PROGRESS, body={"request_sha256": body_hash}))
    except IntegrityError:  # the unique key: a request reserved it first
        return False
    return True


async def find_key(*, db: SessionFactory, key: str) -> KeyRecord | None:
    """Return the record of the key, or None when nobody holds it."""
    async with db() as s:
        found = (await s.exec(select(ApiRequest).where(ApiRequest.key == key))).first()
    if found is None:
        return None
    return KeyRecord(request_sha256=found.body.get("request_sha256"), status=found.status,
                     response=found.body.get("response"), at=found.at)


async def store_answer(*, db: SessionFactory, key: str, status: int,
                       answer: dict[str, Any]) -> None:
    """Keep the answer given to the key's request, for its repeats."""
    async with db() as s, s.begin():
        found = (await s.exec(select(ApiRequest).where(ApiRequest.key == key))).one()
        found.body = {**found.body, "response": answer}
        found.status = status
        s.add(found)


async def release_key(*, db: SessionFactory, key: str) -> None:
    """Free a key whose request gave no answer (it failed, or its process died)."""
    async with db() as s, s.begin():
        await s.exec(delete(ApiRequest).where(
            col(ApiRequest.key) == key, col(ApiRequest.status) == IN_PROGRESS))
