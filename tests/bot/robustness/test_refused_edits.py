"""A message Telegram will not edit any more is shown afresh, never answered with a failure.

The survey card is edited in place as the owner answers. An owner who tidies the chat deletes
it (in a private chat it is gone for the bot too: "message to edit not found"), and Telegram
refuses now and then to edit a message of the bot's ("message can't be edited"). The owner's
answer is stored either way: telling them "系统暂时出了点问题" made them send the comment
again, which then came back as a new message to register as a complaint.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from surveys.models import Survey, SurveyStatus
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import button_texts, callback_of, running_bot

COMMENT = "维修师傅很准时，就是走的时候没有清理地面"


async def test_a_comment_after_the_owner_deleted_the_survey_card_is_thanked_and_shown_afresh(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner()
        await owner.rate(card["message_id"], 4, 5, 4, 5)
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        before = len(await owner.messages())
        await h.client.send_text(h.token, owner.chat_id, COMMENT)
        replies = await h.client.wait_for(h.token, owner.chat_id, count=before + 2, timeout=10)
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
    texts = [polite(m) for m in replies[before:]]
    assert survey.status == SurveyStatus.SUBMITTED
    assert any(COMMENT in t and "已提交" in t for t in texts), texts  # the card, afresh
    assert errors_logged() == []


async def test_a_star_tap_whose_card_telegram_will_not_edit_gets_the_next_question_afresh(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner()
        before = len(await owner.messages())
        await h.client.inject_fault("editMessageText", "status", status=400,
                                    description="Bad Request: message can't be edited")
        answer = await owner.tap_data(card["message_id"], callback_of(card, "2⭐"))
        fresh = (await h.client.wait_for(h.token, owner.chat_id, count=before + 1))[before]
    assert "系统暂时出了点问题" not in (answer.get("text") or "")
    assert "★★☆☆☆" in polite(fresh) and "1⭐" in button_texts(fresh)  # asks the next one
    assert errors_logged() == []

