"""The intake API called twice at once: one order, one survey, honest answers, never a 5xx."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import timedelta

import pytest
from sqlmodel import select

import bot.api
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.intake.api_keys import IN_PROGRESS
from surveys.models import ApiRequest, Survey, WorkOrder
from tests.fixtures.intake_api import AUTH, URL, Api, api, order

__all__ = ["api"]  # the fixture, imported so pytest finds it here


async def _post(api: Api, body: object, key: str | None = None) -> tuple[int, dict[str, object]]:
    base, http = api
    headers = {**AUTH, "Content-Type": "application/json",
               **({"Idempotency-Key": key} if key is not None else {})}
    async with http.post(base + URL, data=json.dumps(body), headers=headers) as resp:
        return resp.status, await resp.json()


async def _reserve(db: SessionFactory, key: str, body: object, age: timedelta) -> None:
    """Leave a reservation as a request still running (or a crashed process) would."""
    digest = hashlib.sha256(json.dumps(body).encode()).hexdigest()
    async with db() as s, s.begin():
        s.add(ApiRequest(key=f"close:{key}", status=IN_PROGRESS,
                         body={"request_sha256": digest}, at=clock.now() - age))


async def _counts(db: SessionFactory) -> tuple[int, int]:
    async with db() as s:
        return (len((await s.exec(select(WorkOrder))).all()),
                len((await s.exec(select(Survey))).all()))


async def test_same_close_sent_concurrently_without_a_key_makes_one_order(
        api: Api, db: SessionFactory) -> None:
    answers = await asyncio.gather(*(_post(api, order()) for _ in range(6)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 5 + [201], answers
    assert len({body["work_order_id"] for _, body in answers}) == 1
    assert await _counts(db) == (1, 1)


async def test_same_close_sent_concurrently_with_one_key_makes_one_order(
        api: Api, db: SessionFactory) -> None:
    answers = await asyncio.gather(*(_post(api, order(), key="k-twice") for _ in range(6)))
    assert all(status in (200, 201) for status, _ in answers), answers
    assert len({body["work_order_id"] for _, body in answers}) == 1
    assert await _counts(db) == (1, 1)
    replay = await _post(api, order(), key="k-twice")
    assert replay[0] in (200, 201) and replay[1]["work_order_id"] == answers[0][1]["work_order_id"]


async def test_one_key_with_two_bodies_at_once_accepts_only_one(
        api: Api, db: SessionFactory) -> None:
    first, second = order(), order(external_id="WO-2002", title="电梯故障")
    answers = await asyncio.gather(_post(api, first, key="k-race"),
                                   _post(api, second, key="k-race"))
    statuses = sorted(status for status, _ in answers)
    assert statuses[0] in (200, 201) and statuses[1] == 422, answers
    assert await _counts(db) == (1, 1)
    async with db() as s:
        assert len((await s.exec(select(ApiRequest))).all()) == 1


async def test_a_repeat_while_the_first_is_still_running_is_a_409_after_waiting(
        api: Api, db: SessionFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.api, "KEY_WAIT_SECONDS", 0.3)
    await _reserve(db, "k-busy", order(), timedelta(seconds=1))
    status, body = await _post(api, order(), key="k-busy")
    assert (status, body["error"]) == (409, "idempotency_key_in_progress")
    assert await _counts(db) == (0, 0)


async def test_a_reservation_left_by_a_crashed_process_is_taken_over(
        api: Api, db: SessionFactory) -> None:
    await _reserve(db, "k-crashed", order(), bot.api.KEY_ABANDONED_AFTER + timedelta(seconds=5))
    status, body = await _post(api, order(), key="k-crashed")
    assert status == 201 and body["created"] is True
    assert (await _post(api, order(), key="k-crashed")) == (201, body)


async def test_a_key_whose_request_failed_can_be_used_again(
        api: Api, db: SessionFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    real = bot.api.close_work_order
    monkeypatch.setattr(bot.api, "close_work_order", broken)
    assert (await _post(api, order(), key="k-retry"))[0] == 500
    monkeypatch.setattr(bot.api, "close_work_order", real)
    status, body = await _post(api, order(), key="k-retry")
    assert status == 201 and body["created"] is True
