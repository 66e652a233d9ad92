"""An owner's thanks or praise sent outside a survey is thanked, not filed as a complaint
against the agent of their last order; a problem, or anything sent with /complain, still is."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys.core.db import SessionFactory
from surveys.models import Complaint
from tests.fixtures.bot_world import OWNER, Talk, bind_owner, build_talk, close_order, sent


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    return await build_talk(db)


async def _complaints(talk: Talk) -> list[str]:
    async with talk.db() as s:
        return [c.text for c in (await s.exec(select(Complaint))).all()]


@pytest.mark.parametrize("words", ["谢谢师傅！", "非常满意，辛苦了"])
async def test_thanks_after_an_order_gets_a_thank_you_and_opens_no_complaint(
        talk: Talk, words: str) -> None:
    await bind_owner(talk, OWNER)
    await close_order(talk, OWNER)
    [reply] = sent(await talk.send(OWNER, words))
    assert "投诉 #" not in reply and "谢谢" in reply and "/complain" in reply
    assert await _complaints(talk) == []


async def test_a_thumbs_up_after_an_order_gets_a_short_thank_you_and_opens_no_complaint(
        talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    await close_order(talk, OWNER)
    [reply] = sent(await talk.send(OWNER, "👍"))
    assert reply == "谢谢您！有需要随时找我们。"
    assert await _complaints(talk) == []


async def test_a_problem_outside_a_survey_and_thanks_sent_with_complain_are_complaints(
        talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    await close_order(talk, OWNER)
    assert "您的投诉 #" in sent(await talk.send(OWNER, "电梯又坏了，一直没人修"))[0]
    assert "您的投诉 #" in sent(await talk.send(OWNER, "/complain 谢谢你们的“及时”处理"))[0]
    assert len(await _complaints(talk)) == 2
