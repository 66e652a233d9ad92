"""The weekly summary's complaint topics: each tag shows the words that decided it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.i18n import Translator
from bot.render.summary import tag_line
from scoring.periods import local_today, week_period
from surveys.assessment.summaries import top_tags
from surveys.complaints.opening import open_direct
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import Complaint
from surveys.outbox.payloads import TopTag
from tests.fixtures.complaint_world import (
    OWNER_TG,
    World,
    add_order,
    build_world,
    submit_response,
)

COMMENT = "师傅态度敷衍，等了三天才来"
CLASSIFIED = {  # scoring.classifier.classify(COMMENT).to_dict(), as stored on the Response
    "polarity": "negative", "score": -0.99, "complaint": True,
    "aspects": {"attitude": "neg", "clarity": None, "timeliness": "neg", "resolution": None},
    "evidence": {"attitude": ["敷衍"], "clarity": [], "timeliness": ["才来", "等了三天", "三天才"],
                 "resolution": [], "polarity": []},
}
PRAISED_TIMELINESS = {
    "polarity": "negative", "score": -0.7, "complaint": True,
    "aspects": {"attitude": "neg", "timeliness": "pos"},
    "evidence": {"attitude": ["态度很差"], "timeliness": ["来得很快"]},
}


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    return await build_world(db)


async def _tags(db: SessionFactory, world: World, clock: FrozenClock) -> dict[str, dict]:
    period = week_period(local_today(clock.current, "Asia/Shanghai"), "Asia/Shanghai")
    return {t["tag"]: t for t in await top_tags(db=db, agent_id=world.agent_a, period=period,
                                                 limit=10)}


async def test_each_tag_shows_its_own_words_and_a_rating_only_tag_its_rating(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await submit_response(db, world, ratings={"overall": 2}, comment=COMMENT,
                          classification=CLASSIFIED)
    tags = await _tags(db, world, clock)
    assert tags["attitude"]["words"] == ["敷衍"]
    assert tags["timeliness"]["words"] == ["才来", "等了三天", "三天才"]
    assert tags["overall"]["words"] == [] and tags["overall"]["ratings"] == [2]

    zh = Translator("zh_CN")
    attitude, overall = TopTag.model_validate(tags["attitude"]), TopTag.model_validate(
        tags["overall"])
    assert tag_line(zh, attitude) == "• 服务态度 ×1（如：敷衍）"
    assert tag_line(zh, overall) == "• 总体满意度 ×1（总体 2⭐）"
    assert tag_line(Translator("en"), overall) == "• overall ×1 (Overall 2⭐)"
    timeliness = TopTag.model_validate(tags["timeliness"])
    assert tag_line(zh, timeliness) == "• 及时性 ×1（如：才来、等了三天、三天才）"
    assert tag_line(Translator("en"), timeliness).endswith("(e.g. 才来, 等了三天, 三天才)")


async def test_a_praised_aspect_rated_low_shows_the_rating_not_the_praise(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    await submit_response(db, world, ratings={"timeliness": 1}, comment="来得很快，但是态度很差",
                          classification=PRAISED_TIMELINESS)
    await submit_response(db, world, ratings={"timeliness": 2})
    tags = await _tags(db, world, clock)
    assert tags["attitude"]["words"] == ["态度很差"]
    assert tags["timeliness"] == {"tag": "timeliness", "count": 2, "words": [],
                                  "ratings": [1, 2]}


async def test_complaints_stored_before_per_aspect_evidence_still_split_words_by_tag(
    db: SessionFactory, world: World, clock: FrozenClock
) -> None:
    pytest.importorskip("scoring.classifier.api")
    await submit_response(db, world, ratings={"overall": 2}, comment=COMMENT,
                          classification=CLASSIFIED)
    await add_order(db, world)
    await open_direct(db=db, telegram_user_id=OWNER_TG, text="说明不清楚，问题也没解决，太失望了",
                      complaint_config=ComplaintConfig())
    async with db() as s, s.begin():  # the flat evidence rows had before the fix
        for row in (await s.exec(select(Complaint))).all():
            row.evidence = {k: v for k, v in row.evidence.items() if k != "by_aspect"}
            s.add(row)
    tags = await _tags(db, world, clock)
    assert tags["attitude"]["words"] == ["敷衍"]
    assert tags["timeliness"]["words"] == ["才来", "等了三天", "三天才"]
    assert tags["overall"]["words"] == []
    assert tags["clarity"]["words"] == ["不清楚"]
    assert tags["resolution"]["words"] == ["没解决"]
