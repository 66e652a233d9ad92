"""The survey in chat: stars edited in place, changing answers, comment, thanks."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Response, Survey
from tests.fixtures.chat import OWNERS, button_texts, running_bot


async def _response(h, survey_id: int) -> Response | None:  # type: ignore[no-untyped-def]
    async with h.db() as s:
        return (await s.exec(select(Response).where(Response.survey_id == survey_id))).first()


async def _survey(h, survey_id: int) -> Survey:  # type: ignore[no-untyped-def]
    async with h.db() as s:
        found = await s.get(Survey, survey_id)
        assert found is not None
        return found


async def test_full_survey_is_answered_in_one_message_and_thanked(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0], "WO-100",
                                                       title="卫生间下水道堵塞")
        assert "卫生间下水道堵塞" in survey["text"] and "王晓梅" in survey["text"]
        assert "总体满意度" in survey["text"]
        message = await owner.rate(survey["message_id"], 5, 4, 5)
        assert "及时性" in message["text"].splitlines()[-1]  # asking the last question
        message = await owner.rate(survey["message_id"], 5)
        assert "不写意见，直接提交" in button_texts(message)
        thanks = await owner.send("师傅很专业，修得又快又好，谢谢！")
        assert "感谢您的反馈" in thanks["text"]
        final = await owner.message(survey["message_id"])
        assert "已提交" in final["text"] and not button_texts(final)
        assert len(final["edits"]) >= 5  # four ratings and the submission, all in place
        response = await _response(h, result.survey_id)
        assert response is not None
        assert (response.overall, response.attitude, response.clarity, response.timeliness) == (
            5, 4, 5, 5)
        assert response.comment == "师傅很专业，修得又快又好，谢谢！"
        assert (await _survey(h, result.survey_id)).status == "submitted"


async def test_duplicate_delivery_of_a_tap_records_it_once(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0])
        mid = survey["message_id"]
        message = await owner.message(mid)
        data = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
                    for b in row if b["text"] == "3⭐")
        await owner.tap_data(mid, data, deliver_twice=True)
        # The comment's message redelivered with the same update_id is handled once too.
        await owner.rate(mid, 3, 3, 3)
        before = len(await owner.messages())
        update = await h.client.send_text(h.token, owner.chat_id, "还行吧")
        await h.client.redeliver(h.token, update["update_id"])
        await h.client.wait_for(h.token, owner.chat_id, count=before + 1)
        await owner.send("/help")  # a later update is processed after both copies
        texts = [m["text"] for m in await owner.messages()]
        assert sum(t.startswith("感谢您的反馈") for t in texts) == 1
        edits = (await owner.message(mid))["edits"]
        assert len(edits) == 5  # 3 (once), 3, 3, 3, submitted
        response = await _response(h, result.survey_id)
        assert response is not None and response.comment == "还行吧"
