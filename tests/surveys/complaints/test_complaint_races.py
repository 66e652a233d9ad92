"""Taps that race on one complaint: every state change starts from the state it read.

An agent who taps Acknowledge and then Resolved within a second, or two devices tapping at
once, must never leave a complaint resolved with the status of an earlier step.
"""

from __future__ import annotations

import asyncio

from surveys.complaints.handling import acknowledge, record_follow_up, reply_to_owner, resolve
from surveys.complaints.views import ComplaintResult
from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    OWNER_TG,
    World,
    complaint,
    open_complaint,
    outbox,
)

ROUNDS = 12


async def _settled(task: object) -> object:
    try:
        return await task  # type: ignore[misc]
    except DomainError as exc:  # a refusal is an answer; a lost update is not
        return exc


async def test_acknowledge_and_resolve_together_always_end_in_follow_up(
    db: SessionFactory, world: World
) -> None:
    for _ in range(ROUNDS):
        cid = await open_complaint(db, world)
        await asyncio.gather(
            _settled(acknowledge(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)),
            _settled(resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)),
            _settled(reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                    text="马上处理")))
        row = await complaint(db, cid)
        assert (row.status, row.acknowledged_at is not None, row.resolved_at is not None) == (
            "follow_up", True, True), f"complaint {cid} lost an update: {row.status}"
        answered = await record_follow_up(db=db, complaint_id=cid,
                                          owner_telegram_user_id=OWNER_TG, satisfied=True,
                                          follow_up_round=0)
        assert answered.changed and answered.view.status == "closed_satisfied"
    follow_ups = await outbox(db, "complaint_follow_up")
    acks = await outbox(db, "complaint_acknowledged")
    assert len(follow_ups) == ROUNDS and len(acks) <= ROUNDS


async def test_two_follow_up_answers_at_once_close_or_escalate_the_complaint_once(
    db: SessionFactory, world: World
) -> None:
    for _ in range(ROUNDS):
        cid = await open_complaint(db, world)
        await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
        results = await asyncio.gather(*(
            _settled(record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=OWNER_TG,
                                      satisfied=satisfied, follow_up_round=0))
            for satisfied in (True, False)))
        won = [r for r in results if isinstance(r, ComplaintResult) and r.changed]
        assert len(won) == 1, f"complaint {cid}: {results}"
        first = won[0]
        # The other tap changes nothing. A "satisfied" that reads the complaint only after the
        # "not satisfied" escalated it is refused as out of date, as it would be a second later
        # (the owner is told it is being handled again); every other loser is a quiet repeat.
        loser = next(r for r in results if r is not first)
        if isinstance(loser, DomainError):
            assert (first.view.status, loser.code) == ("escalated",
                                                       ErrorCode.FOLLOW_UP_ESCALATED), loser
        else:
            assert isinstance(loser, ComplaintResult) and not loser.changed
        assert (await complaint(db, cid)).status == first.view.status
    # "Satisfied" closes; "not satisfied" escalates (the agent gets the card back): one each.
    told = await outbox(db, "complaint_closed") + [
        row for row in await outbox(db, "complaint_escalated") if row.dedupe_key.endswith(":agent")]
    assert len(told) == ROUNDS


async def test_a_template_tapped_twice_at_once_is_relayed_once(
    db: SessionFactory, world: World
) -> None:
    for _ in range(ROUNDS):
        cid = await open_complaint(db, world)
        results = await asyncio.gather(*(
            reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                           text="马上处理", tap_key="template:sorry:41") for _ in range(2)))
        assert sorted(r.changed for r in results) == [False, True]
        assert [m.text for m in results[0].view.messages] == ["马上处理"]
    assert len(await outbox(db, "complaint_reply")) == ROUNDS
