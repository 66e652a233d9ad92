"""The bot's own message forwarded back to it is not the owner's words.

Owners forward things to the bot: a survey card they meant to keep or share lands back in
the chat as a message from them, carrying the card's whole text. Read as the owner's words it
became the survey's comment ("意见：📋 满意度回访 工单：…"), submitted and classified, or a
complaint in the card's words. The bot passes it over; the owner's own words still count.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from surveys.models import Response, Survey, SurveyStatus
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import running_bot
from tests.fixtures.updates import handled


async def test_the_survey_card_forwarded_back_is_no_comment_and_the_typed_one_is(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner()
        await owner.rate(card["message_id"], 5, 4, 5, 4)
        before = len(await owner.messages())
        update = await h.client.forward(h.token, owner.chat_id, card["message_id"])
        assert update["message"]["forward_origin"]["sender_user"]["is_bot"] is True
        await handled(h, update["update_id"])
        assert len(await owner.messages()) == before  # nothing said, nothing kept
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
            response = (await s.exec(select(Response))).one()
        assert survey.status != SurveyStatus.SUBMITTED and response.comment is None
        polite(await owner.send("师傅很专业，谢谢"))
        async with h.db() as s:
            survey = (await s.exec(select(Survey))).one()
            response = (await s.exec(select(Response))).one()
    assert survey.status == SurveyStatus.SUBMITTED and response.comment == "师傅很专业，谢谢"
    assert errors_logged() == []
