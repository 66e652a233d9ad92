"""A photo, video or file with a caption: the caption is the owner's words.

Owners photograph the leak and write "厨房又漏水了" under it. The bot cannot keep the photo,
but the words go where the same text would go (the survey comment, a complaint's words, the
follow-up, the chatter rules), and the owner is told, in their language, that the photo
itself was not kept, so they describe it or call if it matters. Media without a caption keep
the old answer ("我只能识别文字消息").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import select

from bot.i18n import translator
from surveys.models import Complaint, ComplaintMessage, Response, Survey, SurveyStatus
from tests.bot.robustness.conftest import polite
from tests.bot.roles.conftest import press, staff_world
from tests.fixtures.chat import OWNERS, OwnerSession, running_bot

COMMENT = "厨房又漏水了，上次维修才过了三天"
CHATTER = "谢谢"
NOT_KEPT = ("I have your words, but I cannot keep the photo, video or file itself. If what it "
            "shows matters, please describe it in words or call the property service centre.")


async def photo_replies(owner: OwnerSession, caption: str, count: int) -> list[str]:
    """Send a photo with a caption; return the texts of the bot's next `count` messages."""
    h = owner.h
    before = len(await owner.messages())
    await h.client.send_photo(h.token, owner.chat_id, caption=caption)
    replies = await h.client.wait_for(h.token, owner.chat_id, count=before + count, timeout=10)
    return [polite(m) for m in replies[before:]]


async def test_a_photo_caption_after_the_stars_is_the_survey_comment_and_the_photo_is_owned_up(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner()
        await owner.rate(card["message_id"], 4, 5, 4, 5)
        texts = await photo_replies(owner, COMMENT, 1)
        await h.outbox_idle()
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
            response = (await s.exec(select(Response))).one()
        shown = await owner.message(card["message_id"])
    assert survey.status == SurveyStatus.SUBMITTED and response.comment == COMMENT
    assert COMMENT in str(shown["text"])  # the card shows the words as the comment
    assert texts[0] == translator("zh_CN")._(NOT_KEPT) and "您" in texts[0]
    assert errors_logged() == []


async def test_a_photo_caption_gets_the_answer_the_same_text_gets_after_the_photo_note(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        typed, photographed = h.owner(OWNERS[0]), h.owner(OWNERS[1])
        await typed.bind()
        await photographed.bind()
        answer = polite(await typed.send(CHATTER))
        texts = await photo_replies(photographed, CHATTER, 2)
    assert texts == [translator("zh_CN")._(NOT_KEPT), answer]
    assert errors_logged() == []


async def test_photo_captions_open_a_complaint_join_it_and_answer_its_follow_up(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.close_order(OWNERS[0], "WO-700", title="电梯维修")
        await owner.wait_survey()
        opened = await photo_replies(owner, "电梯又坏了，一直没人修", 2)
        card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-700")
        joined = await photo_replies(owner, "今天还是没人来，地下车库也有积水", 2)
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="地下车库也有积水")
        await press(world.agent, card["message_id"], "已解决")
        await h.client.wait_for_message(h.token, owner.chat_id, contains="满意吗")
        follow_up = await photo_replies(owner, "电梯还是不能用", 2)
        async with h.db() as s:
            [complaint] = (await s.exec(select(Complaint))).all()
            words = list((await s.exec(select(ComplaintMessage.text))).all())
    assert "电梯又坏了，一直没人修" in complaint.text
    assert words == ["今天还是没人来，地下车库也有积水", "电梯还是不能用"]
    assert f"您的投诉 #{complaint.id}" in opened[1]
    assert f"已将这条补充加入您的投诉 #{complaint.id}" in joined[1]
    assert "不满意" in follow_up[1]
    assert {opened[0], joined[0], follow_up[0]} == {translator("zh_CN")._(NOT_KEPT)}
    assert errors_logged() == []


async def test_an_english_owner_is_told_in_english_that_the_photo_was_not_kept(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[2])  # language_code "en"
        await owner.bind()
        texts = await photo_replies(owner, CHATTER, 2)
    assert texts[0] == NOT_KEPT


async def test_a_photo_without_a_caption_is_still_only_text_and_taps(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        reply: dict[str, Any] = await owner.send_update("send_photo")
    assert polite(reply) == "抱歉，我只能识别文字消息和按钮点击。"
