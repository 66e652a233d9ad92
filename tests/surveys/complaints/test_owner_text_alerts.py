"""Past the daily limit an owner's flood reaches managers as one alert at once and one summary
per 24 hours, not one alert per text; risk words still go at once; figures are recounted,
so a repeat adds nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col, select

from surveys.complaints.handling import acknowledge
from surveys.complaints.owner_text import (
    Outcome,
    OwnerTextResult,
    answer_confirmation,
    complain_explicitly,
    take_owner_text,
)
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import OutboxMessage, OutboxStatus, OwnerText
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    OWNER_TG,
    World,
    add_order,
    outbox,
    resolve_and_answer,
)

LIMIT_ONE = ComplaintConfig(owner_daily_complaints=1)
MANAGERS = sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])


async def _complain(db: SessionFactory, words: str) -> OwnerTextResult:
    return await complain_explicitly(db=db, telegram_user_id=OWNER_TG, text=words,
                                     complaint_config=LIMIT_ONE)


async def _past_the_limit(db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    assert (await _complain(db, "电梯坏了")).outcome == Outcome.OPENED


async def _alerts(db: SessionFactory) -> tuple[list[OutboxMessage], list[OutboxMessage]]:
    """The alerts sent at once and the summaries, each oldest first."""
    rows = await outbox(db, "owner_text_kept")
    return ([r for r in rows if r.dedupe_key.startswith("owner_text_kept:")],
            [r for r in rows if r.dedupe_key.startswith("owner_text_more:")])


def _payload(row: OutboxMessage) -> OwnerTextKeptPayload:
    return OwnerTextKeptPayload.of(row.payload or {})


async def test_a_flood_past_the_limit_alerts_each_manager_once_and_queues_one_summary(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await _past_the_limit(db, world)
    first = await _complain(db, "门禁也坏了")
    first_at = clock.current
    for n in range(1, 8):
        clock.advance(timedelta(minutes=10))
        kept = await _complain(db, f"第{n}次说了，门禁还是坏的，电话13812345678")
        assert kept.outcome == Outcome.KEPT
    at_once, summaries = await _alerts(db)
    assert sorted(r.chat_id for r in at_once) == MANAGERS
    assert {_payload(r).owner_text_id for r in at_once} == {first.owner_text_id}
    assert sorted(r.chat_id for r in summaries) == MANAGERS
    for row in summaries:
        payload = _payload(row)
        assert payload.more == 7 and row.next_attempt_at == first_at + timedelta(hours=24)
        quoted = payload.text.split("\n")
        assert len(quoted) == 5 and "第7次" in quoted[-1] and "第3次" in quoted[0]
        assert "13812345678" not in payload.text
    async with db() as s:
        texts = (await s.exec(select(OwnerText).order_by(col(OwnerText.id)))).all()
    assert len(texts) == 8 and {t.alert_id for t in texts} == {first.owner_text_id}


async def test_a_kept_text_with_risk_words_is_sent_at_once_and_counted_in_the_summary(
        db: SessionFactory, world: World) -> None:
    await _past_the_limit(db, world)
    await _complain(db, "门禁也坏了")
    await _complain(db, "门禁还是坏的")
    risky = await _complain(db, "再不修我就打12345投诉")
    at_once, summaries = await _alerts(db)
    assert [_payload(r).owner_text_id for r in at_once][-2:] == [risky.owner_text_id] * 2
    assert len(at_once) == 4 and {_payload(r).more for r in summaries} == {2}


async def test_a_repeated_tap_past_the_limit_counts_once_in_the_summary(
        db: SessionFactory, world: World) -> None:
    await add_order(db, world)
    question = await take_owner_text(db=db, telegram_user_id=OWNER_TG, text="地下车库有积水",
                                     complaint_config=LIMIT_ONE)
    assert question.outcome == Outcome.CONFIRM and question.owner_text_id is not None
    opened = await _complain(db, "电梯坏了")
    assert opened.complaint_id is not None
    await acknowledge(db=db, complaint_id=opened.complaint_id,
                      agent_telegram_user_id=AGENT_A_TG)
    await resolve_and_answer(db, opened.complaint_id, satisfied=True)  # nothing left in hand
    await _complain(db, "门禁也坏了")
    for _ in range(3):  # a double tap, then the same update delivered again
        tap = await answer_confirmation(db=db, telegram_user_id=OWNER_TG,
                                        owner_text_id=question.owner_text_id, register=True,
                                        complaint_config=LIMIT_ONE)
        assert tap.outcome == Outcome.KEPT
    at_once, summaries = await _alerts(db)
    assert len(at_once) == 2 and {_payload(r).more for r in summaries} == {1}
    assert {_payload(r).text for r in summaries} == {"“地下车库有积水”"}


async def test_a_summary_being_sent_is_not_rewritten(db: SessionFactory, world: World) -> None:
    await _past_the_limit(db, world)
    await _complain(db, "门禁也坏了")
    await _complain(db, "门禁还是坏的")
    async with db() as s, s.begin():
        await s.exec(update(OutboxMessage)
                     .where(col(OutboxMessage.dedupe_key).startswith("owner_text_more:"))
                     .values(status=OutboxStatus.SENDING))
    await _complain(db, "门禁到底什么时候修")
    _, summaries = await _alerts(db)
    assert {_payload(r).more for r in summaries} == {1}


async def test_after_its_24_hours_a_window_closes_and_the_next_kept_text_alerts_at_once(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await _past_the_limit(db, world)
    clock.advance(timedelta(hours=1))
    window = await _complain(db, "门禁也坏了")  # opens the window until +25 h
    clock.advance(timedelta(hours=23, minutes=1))
    assert (await _complain(db, "楼道灯也坏了")).outcome == Outcome.OPENED  # the limit reopened
    late = await _complain(db, "门禁还是坏的")  # still in the window: summed up
    clock.advance(timedelta(hours=1))
    fresh = await _complain(db, "水管漏水")  # a new window: at once
    assert late.outcome == fresh.outcome == Outcome.KEPT
    at_once, summaries = await _alerts(db)
    assert [_payload(r).owner_text_id for r in at_once] == [window.owner_text_id] * 2 + [
        fresh.owner_text_id] * 2
    assert [(_payload(r).more, _payload(r).text) for r in summaries] == [(1, "“门禁还是坏的”")] * 2


async def test_forgetting_the_owner_clears_them_from_the_summaries(
        db: SessionFactory, world: World) -> None:
    await _past_the_limit(db, world)
    await _complain(db, "门禁也坏了")
    await _complain(db, "门禁还是坏的")
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    _, summaries = await _alerts(db)
    assert summaries and all(_payload(r).text == "" and _payload(r).owner_name is None
                             for r in summaries)
