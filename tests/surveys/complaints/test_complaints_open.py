"""Opening complaints: from a submitted response (low rating, complaint comment) or directly."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from surveys.complaints.evidence import evidence_words, negative_aspects
from surveys.complaints.opening import open_direct
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput, NotBound
from surveys.models import Agent, Community, Complaint, Survey, WorkOrder
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    DUTY_TG,
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    OTHER_OWNER_TG,
    OWNER_PHONE,
    OWNER_TG,
    World,
    add_order,
    complaint,
    outbox,
    submit_response,
)

COMPLAINT_COMMENT = {
    "polarity": "negative",
    "score": -0.7,
    "complaint": True,
    "aspects": {"attitude": "neg", "timeliness": "pos"},
    "evidence": {"attitude": ["态度很差"], "timeliness": ["来得很快"]},
}


async def test_low_rating_opens_complaint_with_tags_evidence_and_24h_deadline(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    survey_id, _, ids = await submit_response(db, world, ratings={"attitude": 2, "clarity": 2})
    assert len(ids) == 1
    c = await complaint(db, ids[0])
    assert c.source == "low_rating"
    assert c.survey_id == survey_id
    assert c.agent_id == world.agent_a
    assert c.tags == ["attitude", "clarity"]
    assert c.evidence == {"words": [], "ratings": {"attitude": 2, "clarity": 2},
                          "by_aspect": {}}
    assert not c.urgent
    assert c.ack_deadline == clock.current + timedelta(hours=24)
    assert c.status == "open"
    opened = await outbox(db, "complaint_opened")
    assert [m.chat_id for m in opened] == [AGENT_A_TG]
    assert opened[0].payload["complaint_id"] == c.id
    assert opened[0].payload["work_order_title"] == "厨房水管漏水"
    assert opened[0].payload["owner_name"] == "陈女士"
    # No rating of 1 and not urgent: managers are not disturbed.
    assert await outbox(db, "manager_alert") == []


async def test_urgent_order_gets_two_hour_deadline_and_alerts_managers_of_its_community(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    _, _, ids = await submit_response(db, world, ratings={"timeliness": 2}, urgent=True)
    c = await complaint(db, ids[0])
    assert c.urgent
    assert c.ack_deadline == clock.current + timedelta(hours=2)
    alerts = await outbox(db, "manager_alert")
    # The all-communities manager and this community's manager; not the other community's,
    # not the inactive one.
    assert sorted(m.chat_id for m in alerts) == [MANAGER_ALL_TG, MANAGER_HERE_TG]
    assert alerts[0].payload["reasons"] == ["urgent"]


async def test_rating_of_one_alerts_managers(db: SessionFactory, world: World) -> None:
    await submit_response(db, world, ratings={"overall": 1})
    alerts = await outbox(db, "manager_alert")
    assert len(alerts) == 2
    assert alerts[0].payload["reasons"] == ["rating_1"]
    assert alerts[0].payload["ratings"]["overall"] == 1


async def test_acknowledgement_deadlines_follow_the_configured_hours_normal_and_urgent(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    config = ComplaintConfig(ack_hours=8, urgent_ack_hours=0.5)
    _, _, normal = await submit_response(db, world, ratings={"overall": 2},
                                         complaint_config=config)
    _, _, urgent = await submit_response(db, world, ratings={"overall": 2}, urgent=True,
                                         complaint_config=config)
    assert (await complaint(db, normal[0])).ack_deadline == clock.current + timedelta(hours=8)
    assert (await complaint(db, urgent[0])).ack_deadline == clock.current + timedelta(
        minutes=30
    )


async def test_complaint_comment_opens_comment_complaint_with_negative_aspects(
    db: SessionFactory, world: World
) -> None:
    _, _, ids = await submit_response(
        db, world, ratings={"overall": 4}, comment="来得很快，但是态度很差",
        classification=COMPLAINT_COMMENT,
    )
    assert len(ids) == 1
    c = await complaint(db, ids[0])
    assert c.source == "comment"
    assert c.text == "来得很快，但是态度很差"
    assert c.tags == ["attitude"]
    assert c.evidence["words"] == ["态度很差"]  # praise of timeliness is not evidence
    assert c.evidence["ratings"] == {}


async def test_low_rating_and_complaint_comment_open_one_complaint_with_both_tags(
    db: SessionFactory, world: World
) -> None:
    _, _, ids = await submit_response(
        db, world, ratings={"timeliness": 1}, comment="态度很差",
        classification=COMPLAINT_COMMENT,
    )
    assert len(ids) == 1
    c = await complaint(db, ids[0])
    assert c.source == "low_rating"
    assert c.tags == ["attitude", "timeliness"]
    # Timeliness was praised in words and rated low: its evidence is the rating alone.
    assert c.evidence == {"words": ["态度很差"], "ratings": {"timeliness": 1},
                          "by_aspect": {"attitude": ["态度很差"]}}


async def test_good_response_opens_no_complaint_and_sends_nothing(
    db: SessionFactory, world: World
) -> None:
    _, _, ids = await submit_response(
        db, world, ratings={"overall": 3}, comment="还行",
        classification={"polarity": "neutral", "complaint": False, "aspects": {}},
    )
    assert ids == []
    assert await outbox(db) == []


async def test_a_three_opens_a_complaint_when_the_low_rating_threshold_is_raised_to_three(
        db: SessionFactory, world: World) -> None:
    _, _, ids = await submit_response(db, world, ratings={"clarity": 3},
                                      survey_config=SurveyConfig(low_rating_threshold=3))
    assert len(ids) == 1


async def test_submitting_twice_keeps_one_complaint_and_one_alert(
    db: SessionFactory, world: World
) -> None:
    order_id = await add_order(db, world)
    _, _, first = await submit_response(db, world, ratings={"overall": 1}, order_id=order_id)
    _, _, second = await submit_response(db, world, ratings={"overall": 1}, order_id=order_id)
    assert first == second
    async with db() as s:
        assert len((await s.exec(select(Complaint))).all()) == 1
    assert len(await outbox(db, "complaint_opened")) == 1
    assert len(await outbox(db, "manager_alert")) == 2


async def test_complaint_is_credited_to_the_survey_agent_after_reassignment(
    db: SessionFactory, world: World
) -> None:
    order_id = await add_order(db, world)
    async with db() as s, s.begin():
        order = await s.get(WorkOrder, order_id)
        assert order is not None
        s.add(Survey(work_order_id=order_id, owner_id=world.owner_id, agent_id=world.agent_a))
        order.agent_id = world.agent_b  # reassigned after closing
    _, _, ids = await submit_response(db, world, ratings={"overall": 2}, order_id=order_id)
    assert (await complaint(db, ids[0])).agent_id == world.agent_a


async def test_unbound_agent_makes_managers_hear_of_every_complaint(
    db: SessionFactory, world: World
) -> None:
    async with db() as s, s.begin():
        agent = await s.get(Agent, world.agent_a)
        assert agent is not None
        agent.chat_id = None
    await submit_response(db, world, ratings={"overall": 2})
    assert await outbox(db, "complaint_opened") == []
    alerts = await outbox(db, "manager_alert")
    assert len(alerts) == 2
    assert alerts[0].payload["reasons"] == ["agent_unreachable"]


async def test_payloads_never_carry_the_owners_phone(db: SessionFactory, world: World) -> None:
    await submit_response(db, world, ratings={"overall": 1}, comment="电话13812345678打不通")
    rows = await outbox(db)
    assert rows
    for row in rows:
        dumped = json.dumps(row.payload, ensure_ascii=False)
        assert "phone" not in dumped
        assert dumped.count(OWNER_PHONE) <= 1  # only inside the owner's own words
        assert row.payload["owner_unit"] == "3-1201"


async def test_direct_complaint_goes_to_the_last_orders_credited_agent(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await add_order(db, world, agent_id=world.agent_b, title="旧工单")
    clock.advance(timedelta(days=1))
    latest = await add_order(db, world, agent_id=world.agent_a, title="电梯故障", urgent=True)
    clock.advance(timedelta(hours=1))
    c = await open_direct(db=db, telegram_user_id=OWNER_TG, text="  电梯还是坏的，没人管  ",
                          complaint_config=ComplaintConfig())
    assert c.source == "direct"
    assert c.agent_id == world.agent_a
    assert c.work_order_id == latest
    assert c.text == "电梯还是坏的，没人管"
    assert c.urgent and c.ack_deadline == clock.current + timedelta(hours=2)
    opened = await outbox(db, "complaint_opened")
    assert [m.chat_id for m in opened] == [AGENT_A_TG]
    assert opened[0].payload["work_order_title"] == "电梯故障"
    assert len(await outbox(db, "manager_alert")) == 2  # urgent order


async def test_direct_complaint_without_orders_goes_to_the_duty_agent(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    c = await open_direct(db=db, telegram_user_id=OTHER_OWNER_TG, text="楼道灯坏了一周",
                          complaint_config=ComplaintConfig())
    assert c.agent_id == world.duty_agent
    assert c.work_order_id is None
    assert c.ack_deadline == clock.current + timedelta(hours=24)
    opened = await outbox(db, "complaint_opened")
    assert [m.chat_id for m in opened] == [DUTY_TG]
    assert opened[0].payload["locale"] == "en"


async def test_direct_complaint_on_a_departed_agents_order_goes_to_the_duty_agent(
    db: SessionFactory, world: World
) -> None:
    await add_order(db, world, agent_id=world.agent_b)
    async with db() as s, s.begin():
        agent = await s.get(Agent, world.agent_b)
        assert agent is not None
        agent.active = False
    c = await open_direct(db=db, telegram_user_id=OWNER_TG, text="没修好",
                          complaint_config=ComplaintConfig())
    assert c.agent_id == world.duty_agent


async def test_direct_complaint_from_a_stranger_or_empty_is_refused(
    db: SessionFactory, world: World
) -> None:
    with pytest.raises(NotBound):
        await open_direct(db=db, telegram_user_id=999, text="投诉",
                          complaint_config=ComplaintConfig())
    with pytest.raises(InvalidInput):
        await open_direct(db=db, telegram_user_id=OWNER_TG, text="   ",
                          complaint_config=ComplaintConfig())
    assert await outbox(db) == []


def test_classification_shapes_are_read_tolerantly() -> None:
    listed = {
        "aspects": [{"aspect": "clarity", "polarity": "neg"}, {"aspect": "attitude",
                                                               "polarity": "pos"}],
        "evidence": ["说不清楚", "说不清楚"],
    }
    assert negative_aspects(listed) == ["clarity"]
    assert evidence_words(listed) == ["说不清楚"]
    nested = {"aspects": {"resolution": {"label": "neg", "evidence": ["没修好"]}}}
    assert negative_aspects(nested) == ["resolution"]
    assert evidence_words(nested) == ["没修好"]
    assert negative_aspects(None) == [] and evidence_words({}) == []


async def test_direct_complaint_with_nobody_to_handle_it_alerts_managers(
    db: SessionFactory, world: World
) -> None:
    async with db() as s, s.begin():
        community = await s.get(Community, world.community_id)
        assert community is not None
        community.duty_agent_id = None
    c = await open_direct(db=db, telegram_user_id=OTHER_OWNER_TG, text="物业电话没人接",
                          complaint_config=ComplaintConfig())
    assert c.agent_id is None
    alerts = await outbox(db, "manager_alert")
    assert sorted(m.chat_id for m in alerts) == [MANAGER_ALL_TG, MANAGER_HERE_TG]
    assert alerts[0].payload["reasons"] == ["no_agent"]
    assert alerts[0].payload["agent_name"] is None


async def test_direct_complaint_is_tagged_by_the_classifier(
    db: SessionFactory, world: World
) -> None:
    pytest.importorskip("scoring.classifier.api")
    c = await open_direct(db=db, telegram_user_id=OWNER_TG, text="客服态度很差，爱答不理",
                          complaint_config=ComplaintConfig())
    assert "attitude" in c.tags
    assert c.evidence["words"]
    assert c.evidence["by_aspect"]["attitude"]
    assert set(c.evidence["by_aspect"]["attitude"]) <= set(c.evidence["words"])
