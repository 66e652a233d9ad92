"""Follow-up rounds: an answer counts only on the question of the current round; an older
round's question is refused and changes nothing, and a button without a round (sent before
rounds were recorded) counts as the first round's."""

from __future__ import annotations

import pytest

from surveys.complaints.handling import resolve
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidTransition
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    World,
    answer_follow_up,
    complaint,
    open_complaint,
    outbox,
    resolve_and_answer,
)


async def _second_round_waiting(db: SessionFactory, world: World) -> int:
    """Open a complaint, answer its first question unsatisfied, resolve it again."""
    cid = await open_complaint(db, world)
    assert (await resolve_and_answer(db, cid, satisfied=False)).view.status == "escalated"
    await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    return cid


async def _refused(db: SessionFactory, cid: int, *, satisfied: bool, round_: int | None
                   ) -> None:
    with pytest.raises(InvalidTransition) as caught:
        await answer_follow_up(db, cid, satisfied=satisfied, round_=round_)
    assert caught.value.code == ErrorCode.FOLLOW_UP_STALE


async def test_satisfied_on_the_first_question_is_refused_while_the_second_round_waits(
    db: SessionFactory, world: World
) -> None:
    cid = await _second_round_waiting(db, world)
    await _refused(db, cid, satisfied=True, round_=0)
    await _refused(db, cid, satisfied=False, round_=0)  # nor a second escalation
    row = await complaint(db, cid)
    assert (row.status, row.escalations, row.closed_at) == ("follow_up", 1, None)
    assert await outbox(db, "complaint_closed") == []
    assert len(await outbox(db, "complaint_escalated")) == 3  # the first round's alerts only

    closed = await answer_follow_up(db, cid, satisfied=True, round_=1)
    assert closed.changed and closed.view.status == "closed_satisfied"
    again = await answer_follow_up(db, cid, satisfied=False, round_=1)  # a double tap, other button
    assert not again.changed and again.view.status == "closed_satisfied"
    await _refused(db, cid, satisfied=True, round_=0)  # the old question stays out of date
    assert len(await outbox(db, "complaint_closed")) == 1


async def test_a_button_without_a_round_answers_only_the_first_question(
    db: SessionFactory, world: World
) -> None:
    first = await open_complaint(db, world)
    await resolve(db=db, complaint_id=first, agent_telegram_user_id=AGENT_A_TG)
    closed = await answer_follow_up(db, first, satisfied=True, round_=None)
    assert closed.changed and closed.view.status == "closed_satisfied"

    cid = await _second_round_waiting(db, world)
    await _refused(db, cid, satisfied=True, round_=None)
    assert (await complaint(db, cid)).status == "follow_up"
