"""The owner conversation called directly (no emulator): binding, the survey journey,
stale and forged taps, /stop, /language, unreadable input and the one rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import callbacks
from bot.conversation.actions import Send
from bot.conversation.throttle import Throttle
from surveys.core.db import SessionFactory
from surveys.models import Response, Survey
from surveys.people.binding import create_invite
from tests.fixtures.bot_world import (
    AGENT,
    ENGLISH_OWNER,
    KEY,
    OTHER_OWNER,
    OWNER,
    PHONES,
    STRANGER,
    Talk,
    bind_owner,
    build_talk,
    close_order,
    edits,
    menus,
    owner_row,
    sent,
    toasts,
)


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    return await build_talk(db)


async def _response(talk: Talk, survey_id: int) -> Response | None:
    async with talk.db() as s:
        return (await s.exec(select(Response).where(Response.survey_id == survey_id))).first()


async def _survey(talk: Talk, survey_id: int) -> Survey:
    async with talk.db() as s:
        found = await s.get(Survey, survey_id)
    assert found is not None
    return found


async def test_start_asks_for_the_phone_with_a_share_contact_button(talk: Talk) -> None:
    [reply] = await talk.send(OWNER, "/start")
    assert isinstance(reply, Send) and "手机号码" in reply.message.text
    assert reply.message.request_contact == "📱 分享我的手机号码"


async def test_sharing_ones_own_contact_binds_the_owner(talk: Talk) -> None:
    reply = sent(await talk.contact(OWNER, PHONES[OWNER]))
    assert "张伟" in reply[0] and "绑定成功" in reply[0]
    assert (await owner_row(talk.db, PHONES[OWNER])).telegram_user_id == OWNER


async def test_a_forged_contact_is_refused_and_binds_nobody(talk: Talk) -> None:
    [reply] = await talk.contact(OTHER_OWNER, PHONES[OWNER], contact_user_id=OWNER)
    assert isinstance(reply, Send) and "本人" in reply.message.text
    assert reply.message.request_contact  # asked again, with the button
    assert (await owner_row(talk.db, PHONES[OWNER])).telegram_user_id is None


async def test_an_unknown_phone_gets_a_polite_refusal_and_the_keyboard_goes(talk: Talk) -> None:
    [reply] = await talk.contact(STRANGER, "13999999999")
    assert isinstance(reply, Send) and "没有找到" in reply.message.text
    assert reply.message.remove_reply_keyboard


async def test_an_english_client_is_answered_in_english(talk: Talk) -> None:
    assert "share your phone number" in sent(await talk.send(ENGLISH_OWNER, "/start"))[0]


async def test_an_invite_binds_once_and_a_reused_one_is_refused(talk: Talk) -> None:
    owner = await owner_row(talk.db, PHONES[OTHER_OWNER])
    assert owner.id is not None
    token = await create_invite(db=talk.db, role="owner", subject_id=owner.id,
                                ttl=timedelta(hours=1), secret="unit-tier-invite-secret")
    assert "绑定成功" in sent(await talk.send(OTHER_OWNER, f"/start {token}"))[0]
    assert (await owner_row(talk.db, PHONES[OTHER_OWNER])).telegram_user_id == OTHER_OWNER
    assert "无效" in sent(await talk.send(OWNER, f"/start {token}"))[0]


async def test_the_survey_is_answered_in_place_and_the_comment_submits_it(talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    actions = await talk.tap(OWNER, talk.rate(survey_id, "overall", 5), message_id=9)
    assert toasts(actions) == ["⭐⭐⭐⭐⭐"]
    [edit] = edits(actions)
    assert edit.message_id == 9 and "服务态度" in edit.text.splitlines()[-1]
    for question, stars in (("attitude", 4), ("clarity", 5), ("timeliness", 5)):
        last = await talk.tap(OWNER, talk.rate(survey_id, question, stars), message_id=9)
    assert any("不写意见" in b.text for row in edits(last)[0].buttons or [] for b in row)
    thanks = await talk.send(OWNER, "师傅很专业，谢谢！")
    assert any("感谢您的反馈" in text for text in sent(thanks))
    response = await _response(talk, survey_id)
    assert response is not None and response.comment == "师傅很专业，谢谢！"
    assert (response.overall, response.attitude, response.clarity, response.timeliness) == (
        5, 4, 5, 5)
    assert (await _survey(talk, survey_id)).status == "submitted"


async def test_an_earlier_answer_can_be_changed_and_skip_submits_without_comment(
    talk: Talk,
) -> None:
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    for question, stars in (("overall", 2), ("attitude", 5), ("clarity", 5), ("timeliness", 5)):
        await talk.tap(OWNER, talk.rate(survey_id, question, stars))
    again = await talk.tap(OWNER, callbacks.ask(KEY, survey_id, "overall"))
    assert "总体满意度" in edits(again)[0].text.splitlines()[-1]
    await talk.tap(OWNER, talk.rate(survey_id, "overall", 4))
    done = await talk.tap(OWNER, callbacks.skip(KEY, survey_id))
    assert "已提交" in edits(done)[0].text and any("感谢" in t for t in sent(done))
    response = await _response(talk, survey_id)
    assert response is not None and (response.overall, response.comment) == (4, None)


async def test_a_double_tap_records_the_rating_once_and_still_answers(talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    data = talk.rate(survey_id, "overall", 3)
    first, second = await talk.tap(OWNER, data), await talk.tap(OWNER, data)
    assert toasts(first) == toasts(second) == ["⭐⭐⭐"]
    response = await _response(talk, survey_id)
    assert response is not None and response.overall == 3 and response.attitude is None


async def test_forged_stale_and_foreign_taps_change_nothing(talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    await bind_owner(talk, OTHER_OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    forged = talk.rate(survey_id, "overall", 1).replace(":1:", ":5:", 1)
    assert "失效" in (toasts(await talk.tap(OWNER, forged))[0] or "")
    assert "失效" in (toasts(await talk.tap(OWNER, "garbage"))[0] or "")
    foreign = await talk.tap(OTHER_OWNER, talk.rate(survey_id, "overall", 1))
    assert "不属于您" in (toasts(foreign)[0] or "")
    assert await _response(talk, survey_id) is None
    await talk.tap(OWNER, callbacks.skip(KEY, survey_id))  # not all answered: refused
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await talk.tap(OWNER, talk.rate(survey_id, question, 5))
    await talk.tap(OWNER, callbacks.skip(KEY, survey_id))
    stale = await talk.tap(OWNER, talk.rate(survey_id, "overall", 1))
    assert "已经提交" in (toasts(stale)[0] or "")
    response = await _response(talk, survey_id)
    assert response is not None and response.overall == 5


async def test_a_comment_of_five_thousand_characters_is_refused_without_storing(
    talk: Talk,
) -> None:
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await talk.tap(OWNER, talk.rate(survey_id, question, 4))
    reply = sent(await talk.send(OWNER, "好" * 5000))
    assert "太长" in reply[0]
    response = await _response(talk, survey_id)
    assert response is not None and response.comment is None


async def test_stop_opts_out_and_start_opts_back_in(talk: Talk) -> None:
    assert "还没有绑定" in sent(await talk.send(STRANGER, "/stop"))[0]
    await bind_owner(talk, OWNER)
    assert "不再收到" in sent(await talk.send(OWNER, "/stop"))[0]
    assert (await owner_row(talk.db, PHONES[OWNER])).opted_out
    assert "欢迎回来" in sent(await talk.send(OWNER, "/start"))[0]
    assert not (await owner_row(talk.db, PHONES[OWNER])).opted_out


async def test_language_is_stored_with_the_menu_and_a_bad_argument_gets_buttons(
    talk: Talk,
) -> None:
    await bind_owner(talk, OWNER)
    actions = await talk.send(OWNER, "/language en")
    assert [m.commands[0][0] for m in menus(actions)] == ["start"]
    assert actions.index(menus(actions)[0]) < actions.index(
        next(a for a in actions if isinstance(a, Send)))  # the menu first, then the reply
    assert "Language set: English" in sent(actions)[0]
    assert (await owner_row(talk.db, PHONES[OWNER])).language == "en"
    assert "already your language" in sent(await talk.send(OWNER, "/language english"))[0]
    [bad] = await talk.send(OWNER, "/language klingon")
    assert isinstance(bad, Send) and bad.message.buttons
    tapped = await talk.tap(OWNER, callbacks.language(KEY, "zh_CN"), message_id=3)
    assert edits(tapped) and (await owner_row(talk.db, PHONES[OWNER])).language == "zh_CN"


async def test_an_unbound_user_gets_the_chosen_language_once_and_nothing_is_stored(
    talk: Talk,
) -> None:
    actions = await talk.send(STRANGER, "/language en")
    assert "Bind your home with /start" in sent(actions)[0] and not menus(actions)


async def test_unknown_commands_texts_without_a_survey_and_stickers_get_polite_replies(
    talk: Talk,
) -> None:
    assert "不认识这个命令" in sent(await talk.send(OWNER, "/frobnicate"))[0]
    assert "还没有绑定" in sent(await talk.send(STRANGER, "你好"))[0]
    assert "只能识别文字" in sent(await talk.sticker(OWNER))[0]


async def test_a_flood_is_slowed_down_with_one_warning(talk: Talk) -> None:
    talk.conv.throttle = Throttle(capacity=3, rate=0.001)
    replies = [sent(await talk.send(OWNER, "/help")) for _ in range(6)]
    warnings = [r for r in replies if r and "有点快" in r[0]]
    assert len(warnings) == 1 and replies[3] == warnings[0] and replies[4:] == [[], []]


async def test_a_text_costs_one_token_of_the_rate_limit_whichever_layer_answers(
    talk: Talk,
) -> None:
    # The pipeline throttles once per update: a text the staff layer passes on to the owner
    # conversation used to be counted twice.
    talk.conv.throttle = Throttle(capacity=2, rate=0.001)
    first, second = await talk.send(STRANGER, "你好"), await talk.send(STRANGER, "在吗")
    assert "还没有绑定" in sent(first)[0] and "还没有绑定" in sent(second)[0]
    staff_text = await talk.send(AGENT, "你好")
    assert "您可以使用的命令" in sent(staff_text)[0]
