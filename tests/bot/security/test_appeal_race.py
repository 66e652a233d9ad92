"""Two managers deciding one appeal at the same moment: exactly one decision stands."""

from __future__ import annotations

import asyncio

import pytest

from surveys.appeals.service import decide_appeal, file_appeal
from surveys.core.audit import list_entries
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.core.errors import AppealAlreadyDecided
from surveys.models import Appeal
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    World,
    build_world,
    complaint,
    outbox,
    submit_response,
)

ROUNDS = 4


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    return await build_world(db)


async def test_two_managers_deciding_one_appeal_at_once_leave_one_decision(
    db: SessionFactory, world: World
) -> None:
    for _ in range(ROUNDS):
        _, _, ids = await submit_response(db, world, ratings={"overall": 1})
        filed = await file_appeal(db=db, agent_telegram_user_id=AGENT_A_TG,
                                  complaint_id=ids[0], reason="不是我负责的工单")
        results = await asyncio.gather(
            decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_ALL_TG,
                          decision="void", reason="作废"),
            decide_appeal(db=db, appeal_id=filed.id, manager_telegram_user_id=MANAGER_HERE_TG,
                          decision="uphold", reason="维持"),
            return_exceptions=True,
        )
        won = [r for r in results if not isinstance(r, BaseException)]
        lost = [r for r in results if isinstance(r, BaseException)]
        assert len(won) == 1, results
        assert len(lost) == 1 and isinstance(lost[0], AppealAlreadyDecided), results
        async with db() as s:
            stored = await s.get(Appeal, filed.id)
        assert stored is not None and stored.status == won[0].status  # type: ignore[union-attr]
        assert (await complaint(db, ids[0])).voided == (won[0].status == "voided")  # type: ignore[union-attr]
        decided = [e for e in await list_entries(db=db, action="appeal_decided")
                   if e.subject_id == filed.id]
        assert len(decided) == 1
        told = [m for m in await outbox(db, "appeal_decided")
                if m.payload.get("appeal_id") == filed.id]
        assert len(told) == 1 and told[0].payload["status"] == won[0].status  # type: ignore[union-attr]
