"""Tag corrections: an agent's waits for a manager, a manager's applies at once, all audited."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment.exports import load_rows
from surveys.assessment.reports import team_report
from surveys.assessment.summaries import top_tags
from surveys.complaints.correction_views import Outcome, confirmed_examples, training_examples
from surveys.complaints.corrections import correct_tags, correction_form, decide_correction
from surveys.core.audit import list_entries
from surveys.core.clock import FrozenClock
from surveys.core.clock import now as clock_now
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    CorrectionDecided,
    CorrectionPending,
    Forbidden,
    InvalidInput,
    InvalidTransition,
)
from surveys.models import TagCorrection
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    AGENT_B_TG,
    MANAGER_ALL_TG,
    MANAGER_ELSEWHERE_TG,
    MANAGER_HERE_TG,
    OWNER_TG,
    World,
    complaint,
    outbox,
    submit_response,
)

WORDS = "师傅态度很差，等了三天才来"
VERDICT: dict[str, Any] = {
    "polarity": "negative", "score": -0.8, "complaint": True,
    "aspects": {"attitude": "neg", "clarity": None, "timeliness": "neg", "resolution": None},
    "evidence": {"attitude": ["态度很差"], "timeliness": ["等了三天"], "polarity": []},
}
ONLY_LATE = {"attitude": None, "clarity": None, "timeliness": "neg", "resolution": None}
NOTHING = {"attitude": None, "clarity": None, "timeliness": None, "resolution": None}


async def _comment_complaint(db: SessionFactory, world: World, **kw: Any) -> int:
    """Open a complaint from a comment (ratings all 5) credited to agent A; return its id."""
    _, _, ids = await submit_response(db, world, comment=WORDS, classification=VERDICT, **kw)
    return ids[0]


async def test_an_agents_correction_waits_for_a_manager_and_changes_nothing_yet(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    result = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                                aspects=ONLY_LATE)
    assert result.outcome == Outcome.PENDING and result.changed
    assert (await complaint(db, cid)).tags == ["attitude", "timeliness"]
    cards = await outbox(db, "tag_correction_proposed")
    assert sorted(m.chat_id for m in cards) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])
    assert cards[0].payload["aspects"] == ONLY_LATE
    assert cards[0].payload["before"]["aspects"]["attitude"] == "neg"
    [entry] = await list_entries(db=db, action="tag_correction_proposed")
    assert entry.actor_role == "agent" and entry.subject_id == cid


async def test_a_confirmed_correction_rewrites_tags_and_evidence_and_tells_the_agent(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    proposed = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                                  aspects=ONLY_LATE)
    assert proposed.correction is not None
    done = await decide_correction(db=db, correction_id=proposed.correction.id,
                                   manager_telegram_user_id=MANAGER_HERE_TG, confirm=True)
    assert done.outcome == Outcome.APPLIED and done.changed
    row = await complaint(db, cid)
    assert row.tags == ["timeliness"]
    assert row.evidence["by_aspect"] == {"timeliness": ["等了三天"]}
    assert row.evidence["words"] == ["等了三天"] and not row.voided
    [told] = await outbox(db, "tag_correction_decided")
    assert told.chat_id == AGENT_A_TG and told.payload["correction_status"] == "applied"
    [entry] = await list_entries(db=db, action="tag_correction_applied")
    assert entry.detail["confirmed_by_manager_id"] == world.manager_here
    assert entry.detail["proposed_by_agent_id"] == world.agent_a
    again = await decide_correction(db=db, correction_id=proposed.correction.id,
                                    manager_telegram_user_id=MANAGER_HERE_TG, confirm=True)
    assert not again.changed  # a double tap
    with pytest.raises(CorrectionDecided):
        await decide_correction(db=db, correction_id=proposed.correction.id,
                                manager_telegram_user_id=MANAGER_ALL_TG, confirm=False)


async def test_a_rejected_correction_changes_nothing(db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    before = await complaint(db, cid)
    proposed = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                                  aspects=NOTHING, not_complaint=True)
    assert proposed.correction is not None
    done = await decide_correction(db=db, correction_id=proposed.correction.id,
                                   manager_telegram_user_id=MANAGER_ALL_TG, confirm=False)
    assert done.outcome == Outcome.REJECTED
    after = await complaint(db, cid)
    assert (after.tags, after.evidence, after.voided, after.status) == (
        before.tags, before.evidence, before.voided, before.status)
    assert await list_entries(db=db, action="tag_correction_rejected")
    assert await training_examples(db=db) == []


async def test_a_managers_correction_applies_at_once_and_the_agent_hears_of_it(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    done = await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                              aspects=ONLY_LATE | {"clarity": "neg"})
    assert done.outcome == Outcome.APPLIED
    assert (await complaint(db, cid)).tags == ["clarity", "timeliness"]
    assert [m.chat_id for m in await outbox(db, "tag_correction_applied")] == [AGENT_A_TG]
    same = await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                              aspects=ONLY_LATE | {"clarity": "neg"})
    assert same.outcome == Outcome.UNCHANGED and not same.changed


async def test_nobody_else_may_correct_a_complaint(db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    for stranger in (AGENT_B_TG, MANAGER_ELSEWHERE_TG, OWNER_TG, 999):
        with pytest.raises(Forbidden):
            await correct_tags(db=db, complaint_id=cid, telegram_user_id=stranger,
                               aspects=NOTHING)
        with pytest.raises(Forbidden):
            await correction_form(db=db, complaint_id=cid, telegram_user_id=stranger)
    proposed = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                                  aspects=ONLY_LATE)
    assert proposed.correction is not None
    for who in (AGENT_A_TG, MANAGER_ELSEWHERE_TG):  # nobody confirms their own or elsewhere
        with pytest.raises(Forbidden):
            await decide_correction(db=db, correction_id=proposed.correction.id,
                                    manager_telegram_user_id=who, confirm=True)


async def test_not_a_complaint_takes_it_out_of_the_scores_and_the_queue(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _comment_complaint(db, world)
    period = parse_period("week", timezone="Asia/Shanghai", now=clock_now())
    before = await team_report(db=db, period=period, config=PointsConfig())
    assert [p.complaints for p in before.rows if p.agent_id == world.agent_a] == [1]
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=NOTHING | {"attitude": "pos"}, not_complaint=True)
    row = await complaint(db, cid)
    assert (row.voided, row.status, row.tags) == (True, "dismissed", [])
    after = await team_report(db=db, period=period, config=PointsConfig())
    assert [p.complaints for p in after.rows if p.agent_id == world.agent_a] == [0]
    with pytest.raises(InvalidTransition):  # a dismissed complaint is corrected no more
        await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                           aspects=ONLY_LATE)
    [example] = await training_examples(db=db)
    assert (example.text, example.complaint) == (WORDS, False)
    assert example.aspects["attitude"] == "pos"


async def test_a_low_rating_keeps_its_own_tag_and_stays_a_complaint(
        db: SessionFactory, world: World) -> None:
    _, _, [cid] = await submit_response(db, world, ratings={"attitude": 1}, comment=WORDS,
                                        classification=VERDICT)
    with pytest.raises(InvalidInput):
        await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                           aspects=NOTHING, not_complaint=True)
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=NOTHING | {"resolution": "neg"})
    assert (await complaint(db, cid)).tags == ["resolution", "attitude"]


async def test_one_proposal_at_a_time_and_a_managers_correction_supersedes_it(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    first = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                               aspects=ONLY_LATE)
    twice = await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                               aspects=ONLY_LATE)
    assert twice.outcome == Outcome.PENDING and not twice.changed
    with pytest.raises(CorrectionPending):
        await correct_tags(db=db, complaint_id=cid, telegram_user_id=AGENT_A_TG,
                           aspects=NOTHING)
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=NOTHING | {"clarity": "neg"})
    assert first.correction is not None
    with pytest.raises(CorrectionDecided):
        await decide_correction(db=db, correction_id=first.correction.id,
                                manager_telegram_user_id=MANAGER_ALL_TG, confirm=True)
    assert (await complaint(db, cid)).tags == ["clarity"]


async def test_two_identical_corrections_at_once_apply_once(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    results = await asyncio.gather(*(
        correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                     aspects=ONLY_LATE) for _ in range(3)))
    assert sorted(r.changed for r in results) == [False, False, True]
    async with db() as s:
        rows = (await s.exec(select(TagCorrection))).all()
    assert [r.status for r in rows] == ["applied"]


async def test_training_data_is_the_latest_correction_and_forgets_erased_words(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=ONLY_LATE)
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=ONLY_LATE | {"resolution": "neg"})
    [example] = await training_examples(db=db)
    assert example.aspects == ONLY_LATE | {"resolution": "neg"} and example.complaint
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    assert await training_examples(db=db) == []


async def test_complaints_people_let_stand_are_confirmed_examples(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    stood = await _comment_complaint(db, world)
    corrected = await _comment_complaint(db, world)
    rejected = await _comment_complaint(db, world)
    await submit_response(db, world, ratings={"overall": 1}, comment=WORDS,
                          classification=VERDICT)  # a low rating opened it: not the words
    await correct_tags(db=db, complaint_id=corrected, telegram_user_id=MANAGER_HERE_TG,
                       aspects=ONLY_LATE)
    proposed = await correct_tags(db=db, complaint_id=rejected, telegram_user_id=AGENT_A_TG,
                                  aspects=NOTHING)
    assert proposed.correction is not None
    await decide_correction(db=db, correction_id=proposed.correction.id,
                            manager_telegram_user_id=MANAGER_HERE_TG, confirm=False)
    assert await confirmed_examples(db=db, seen_before=clock_now()) == []  # too recent
    clock.advance(timedelta(days=8))
    await _comment_complaint(db, world)  # opened after the cut-off
    found = await confirmed_examples(db=db, seen_before=clock_now() - timedelta(days=7))
    assert sorted(e.complaint_id for e in found) == sorted([stood, rejected])
    assert found[0].aspects == VERDICT["aspects"] and found[0].complaint


async def test_the_weekly_summary_and_the_export_follow_a_correction(
        db: SessionFactory, world: World) -> None:
    cid = await _comment_complaint(db, world)
    period = parse_period("week", timezone="Asia/Shanghai", now=clock_now())
    before = await top_tags(db=db, agent_id=world.agent_a, period=period)
    assert [t["tag"] for t in before] == ["attitude", "timeliness"]
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=ONLY_LATE | {"clarity": "neg"})
    after = await top_tags(db=db, agent_id=world.agent_a, period=period)
    assert [(t["tag"], t["words"]) for t in after] == [("clarity", []),
                                                       ("timeliness", ["等了三天"])]
    _, complaints = await load_rows(db=db, period=period)
    assert [c.tags for c in complaints] == [["clarity", "timeliness"]]
