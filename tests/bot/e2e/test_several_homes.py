"""An owner with several homes in one chat: one contact binds them all, each survey names its
home, answers reach the right one, /stop and /language act on all; a phone bound to another
account is not taken."""

from __future__ import annotations

from sqlmodel import select

from surveys.models import Owner, Response, Survey
from tests.fixtures.chat import OWNERS, Harness, Person, button_texts, running_bot
from tests.fixtures.homes import add_riverside_flat, close_at_riverside
from tests.fixtures.menus import language_data

WANG = OWNERS[0]  # 张伟: 阳光花园 1-101, and (below) 江畔小区 7-701 with the same phone


async def _survey(h: Harness, survey_id: int) -> tuple[Survey, Response | None]:
    async with h.db() as s:
        survey = await s.get(Survey, survey_id)
        response = (await s.exec(select(Response).where(Response.survey_id == survey_id))
                    ).first()
        assert survey is not None
        return survey, response


async def test_owner_with_two_flats_gets_both_surveys_in_one_chat(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        await add_riverside_flat(h, WANG)
        owner = h.owner(WANG)
        bound = await owner.bind()
        assert "2 处房屋" in bound["text"]
        assert "阳光花园 1-101" in bound["text"] and "江畔小区 7-701" in bound["text"]
        again = await owner.share_contact()  # the same share twice binds nothing twice
        assert "2 处房屋" in again["text"]

        sunny = await h.close_order(WANG, "WO-SUN-1", title="厨房水管漏水维修")
        first = await owner.wait_survey()
        river = await close_at_riverside(h, WANG, "WO-RIV-1", "阳台门锁更换")
        second = await owner.wait_survey(count=2)
        assert "房屋：阳光花园 1-101" in first["text"] and "厨房水管漏水维修" in first["text"]
        assert "房屋：江畔小区 7-701" in second["text"] and "阳台门锁更换" in second["text"]

        # The riverside flat's survey is answered; the comment lands on it, not on the other.
        await owner.rate(second["message_id"], 5, 5, 4, 5)
        await owner.send("师傅换锁很快，谢谢")
        done = await owner.message(second["message_id"])
        assert "已提交" in done["text"] and "房屋：江畔小区 7-701" in done["text"]
        survey, response = await _survey(h, river.survey_id)
        assert survey.status == "submitted" and response is not None
        assert response.comment == "师傅换锁很快，谢谢" and response.attitude == 5
        survey, response = await _survey(h, sunny.survey_id)
        assert survey.status == "sent" and response is None
        untouched = await owner.message(first["message_id"])
        assert any("⭐" in t for t in button_texts(untouched))
        # The riverside survey was just rated: a complaint now is that home's, and says so.
        receipt = await owner.send("/complain 阳台门锁换好后又卡住了，打不开")
        assert receipt["text"].startswith("房屋：江畔小区 7-701\n") and "投诉" in receipt["text"]


async def test_stop_and_language_of_an_owner_with_two_flats_apply_to_both(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        await add_riverside_flat(h, WANG)
        owner = h.owner(WANG)
        await owner.bind()
        prompt = await owner.send("/language")
        await owner.tap_data(prompt["message_id"], language_data(prompt, "English"))
        river = await close_at_riverside(h, WANG, "WO-RIV-EN", "阳台门锁更换")
        survey = (await h.client.wait_for(h.token, owner.chat_id, count=1, predicate=lambda m: any(
            "⭐" in t for t in button_texts(m))))[0]
        assert "Home: 江畔小区 7-701" in survey["text"]
        assert (await _survey(h, river.survey_id))[0].language == "en"

        await owner.send("/stop")
        sunny = await h.close_order(WANG, "WO-SUN-STOP")
        river = await close_at_riverside(h, WANG, "WO-RIV-STOP", "楼道灯不亮")
        await h.outbox_idle()
        for result in (sunny, river):
            assert (await _survey(h, result.survey_id))[0].status == "skipped_opted_out"


async def test_a_phone_bound_to_another_account_is_not_taken_by_a_new_one(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        await h.owner(WANG).bind()
        # The number now sits in another Telegram account (recycled, or a relative's phone).
        newcomer = h.owner(Person(5998, "新号主", WANG.phone))
        await newcomer.send("/start")
        refused = await newcomer.share_contact()
        assert "已绑定另一个 Telegram 账号" in refused["text"] and "邀请链接" in refused["text"]
        async with h.db() as s:
            row = (await s.exec(select(Owner).where(Owner.phone == WANG.phone))).one()
        assert row.telegram_user_id == WANG.user_id
