"""A Bot API server that answers a poll out of order, or with every update twice.

Telegram answers getUpdates oldest first, each update once. A server of another make, or one
replaying its queue after a restart, may answer newest first or repeat updates. Either way
the offset the bot then confirms leaves some updates to come once more, and a framework
handles the copies side by side. Each owner's words must still count once and be answered
once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from sqlmodel import col, select

from surveys.models import Complaint, ProcessedUpdate
from tests.bot.robustness.conftest import NO_THROTTLE, polite
from tests.fixtures.chat import OWNERS, Harness, running_bot

pytestmark = pytest.mark.timeout(180)
A, B, C = OWNERS


async def _all_handled(h: Harness, update_ids: list[int], timeout: float = 30) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with h.db() as s:
            done = (await s.exec(select(ProcessedUpdate.update_id).where(
                col(ProcessedUpdate.update_id).in_(update_ids),
                col(ProcessedUpdate.claim).is_(None)))).all()
        if len(done) == len(update_ids) and not (await h.client.updates(h.token))["pending"]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"updates {update_ids} not all handled within {timeout} s")


@pytest.mark.parametrize("kind", ["reverse", "twice"])
async def test_polls_answered_newest_first_or_doubled_count_and_answer_each_update_once(
        db_url: str, kind: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        await h.seed()
        owners = [h.owner(person) for person in OWNERS]
        for owner in owners:
            await owner.bind()
        before = [len(await owner.messages()) for owner in owners]
        await h.client.inject_fault("getUpdates", kind, count=4)
        # Each poll waits 0.4 s before it reads the queue: the updates below come in batches.
        await h.client.set_latency(0.4)
        sent = [await h.client.send_text(h.token, C.user_id, "/help"),
                await h.client.send_text(h.token, A.user_id, "/complain 电梯又坏了，一直没人修"),
                await h.client.send_text(h.token, B.user_id, "/complain 地下车库漏水"),
                await h.client.send_text(h.token, C.user_id, "/help")]
        await _all_handled(h, [u["update_id"] for u in sent])
        await h.client.set_latency(0)
        await asyncio.sleep(0.5)  # a late second answer would show now
        replies = [(await owner.messages())[count:] for owner, count in zip(owners, before,
                                                                             strict=True)]
        polls = await h.client.requests(h.token, "getUpdates")
        async with h.db() as s:
            complaints = sorted((await s.exec(select(Complaint.text))).all())
    scrambled = [int(p["fault_answer"].split()[1]) for p in polls
                 if str(p.get("fault_answer", "")).startswith(kind)]
    assert max(scrambled) >= 2, f"no poll carried two updates to scramble: {scrambled}"
    assert complaints == ["地下车库漏水", "电梯又坏了，一直没人修"]
    assert [len(r) for r in replies] == [1, 1, 2]  # A's receipt, B's receipt, C's two helps
    assert all("您的投诉 #" in polite(r[0]) for r in replies[:2])
    assert polite(replies[2][0]) == polite(replies[2][1])
    assert errors_logged() == []
