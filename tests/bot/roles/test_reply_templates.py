"""Reply templates (话术模板): the agent picks one with a button and the owner gets its words."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import select

from bot.i18n import translator
from bot.staff.templates import DEFAULTS, Template, merged
from surveys.complaints.templates import TemplateRow, set_template
from surveys.models import ComplaintMessage
from tests.bot.roles.conftest import Staffed, complaint_in_chat, press, staff_world
from tests.fixtures.chat import OWNERS, Harness, button_texts, callback_of, running_bot

SORRY_ZH = "非常抱歉给您带来不便。您的投诉我们已经收到，正在处理中，今天内会给您答复。"


async def _template_prompt(h: Harness, owner_index: int = 0
                           ) -> tuple[dict[str, Any], Staffed, dict[str, Any]]:
    """Open a complaint, tap 💬 Reply on its card: return the card, the world, the prompt."""
    world = await staff_world(h)
    _, card = await complaint_in_chat(world, "WO-T1", title="电梯异响维修", stars=(1, 1, 2, 1),
                                      words="等了三天才来，问题也没解决",
                                      person=OWNERS[owner_index])
    await press(world.agent, card["message_id"], "回复")
    prompt = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="话术模板")
    return card, world, prompt


async def _relayed(h: Harness) -> list[str]:
    async with h.db() as s:
        return [m.text for m in (await s.exec(select(ComplaintMessage))).all()]


async def test_an_agent_replies_with_a_template_and_the_owner_gets_its_words(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        _card, world, prompt = await _template_prompt(h)
        assert SORRY_ZH in prompt["text"]  # the agent sees the words the owner will get
        assert "1. 致歉并跟进" in button_texts(prompt)
        await press(world.agent, prompt["message_id"], "致歉并跟进")
        relayed = await h.client.wait_for_message(h.token, OWNERS[0].user_id,
                                                  contains="非常抱歉给您带来不便")
        assert "王晓梅" in relayed["text"]
        confirmed = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                    contains="您的回复已发送给业主")
        assert SORRY_ZH in confirmed["text"]
        assert await _relayed(h) == [SORRY_ZH]
        # The typed reply is no longer awaited: the agent's next text is not relayed.
        await world.agent.send("/help")
        assert await _relayed(h) == [SORRY_ZH]


async def test_a_double_tap_on_a_template_sends_its_words_to_the_owner_once(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        _card, world, prompt = await _template_prompt(h)
        sorry = callback_of(prompt, "1. 致歉并跟进")
        # Two taps at once (two updates, not one delivered twice), then one more later.
        await asyncio.gather(*(world.agent.tap_data(prompt["message_id"], sorry)
                               for _ in range(2)))
        await world.agent.tap_data(prompt["message_id"], sorry)
        await h.outbox_idle()
        assert await _relayed(h) == [SORRY_ZH]
        owner_got = [m for m in await h.owner(OWNERS[0]).messages()
                     if "非常抱歉给您带来不便" in (m["text"] or "")]
        confirmed = [m for m in await world.agent.messages()
                     if "您的回复已发送给业主" in (m["text"] or "")]
        assert len(owner_got) == 1 and len(confirmed) == 1


async def test_a_company_template_replaces_the_default_and_goes_in_the_owners_language(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await set_template(db=h.db, key="visit", language="en",
                           text="Our technician can come tomorrow 9-11; reply if that suits.")
        await set_template(db=h.db, key="sorry", language="en", text=None, active=False)
        card, world, prompt = await _template_prompt(h, owner_index=2)  # 陈静 reads English
        labels = button_texts(prompt)
        assert not any("致歉" in label for label in labels)  # hidden by the company
        assert "1. 预约上门" in labels  # the agent's own language on the button
        await press(world.agent, prompt["message_id"], "预约上门")
        await h.client.wait_for_message(h.token, OWNERS[2].user_id,
                                        contains="technician can come tomorrow")
        # The agent can still write their own words after a template.
        await press(world.agent, card["message_id"], "回复")
        await world.agent.send("I will call you in ten minutes.")
        assert await _relayed(h) == [
            "Our technician can come tomorrow 9-11; reply if that suits.",
            "I will call you in ten minutes."]


def test_templates_merge_company_words_over_the_defaults_in_one_language() -> None:
    tr = translator("zh_CN")
    own = [TemplateRow("fixed", "zh_CN", "已修好，请查看。", True),
           TemplateRow("thanks", "zh_CN", "", False),
           TemplateRow("night", "zh_CN", "夜间已收到，明早处理。", True),
           TemplateRow("sorry", "en", "Sorry!", True)]  # another language: no effect here
    offered = merged(tr, own)
    assert [t.key for t in offered] == ["sorry", "visit", "fixed", "night"]
    assert offered[0] == Template("sorry", SORRY_ZH)
    assert offered[2].text == "已修好，请查看。"
    assert len(DEFAULTS) == 4
