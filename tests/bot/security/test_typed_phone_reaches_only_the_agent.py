"""A phone the owner typed reaches the agent handling the complaint (a switch), nobody else."""

from __future__ import annotations

import asyncio
import re
import time

from surveys.core.config import ComplaintConfig
from tests.bot.roles.conftest import Staffed, press, staff_world, texts
from tests.bot.security.conftest import data_of
from tests.fixtures.chat import OWNERS, running_bot

PERSON = OWNERS[0]
MOBILE, MOBILE_MASKED = "13912345678", "139****5678"
LANDLINE, LANDLINE_MASKED = "0755-86001234", "075*****1234"
COMMENT = f"师傅态度太差了，请回电{MOBILE}"
ANSWER = f"白天打座机{LANDLINE}"


async def _complaint_with_typed_phones(world: Staffed) -> tuple[list[str], list[str]]:
    """Owner rates 1 and types phones; agent replies, lists, appeals; return what each read."""
    h = world.h
    owner, _, survey = await h.owner_with_survey(PERSON, "WO-TYPED-1", title="门禁卡失灵")
    await owner.rate(survey["message_id"], 1, 1, 2, 1)
    await owner.send(COMMENT)
    card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
    await press(world.agent, card["message_id"], "已受理")  # the card is edited in place
    await press(world.agent, card["message_id"], "回复")
    await world.agent.send("请问什么时候方便？")
    relayed = await h.client.wait_for_message(h.token, owner.chat_id, contains="什么时候方便")
    await owner.tap_data(relayed["message_id"], data_of(relayed, "💬"))
    await owner.send(ANSWER)
    await h.client.wait_for_message(h.token, world.agent.chat_id, contains="白天打座机")
    await world.agent.send("/complaints")
    complaint_id = re.search(r"#(\d+)", str(card["text"]))[1]  # type: ignore[index]
    # The agent, who reads the phone in full, may copy it into the appeal's reason.
    await world.agent.send(f"/appeal {complaint_id} 不是我的问题，{MOBILE}是空号")
    await h.outbox_idle()
    await world.manager.send("/appeals")
    await world.manager.send("/complaints")
    # The appeal's notice can reach the manager after the list on a loaded machine: wait for
    # all three (the rating-1 alert, the appeal, the list) rather than for the next message.
    deadline = time.monotonic() + 15
    while len(_shown(manager := texts(await world.manager.messages()), "态度太差")) < 3:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    return texts(await world.agent.messages()), manager


def _shown(read: list[str], words: str) -> list[str]:
    return [t for t in read if words in t]


async def test_the_agent_reads_the_typed_phone_in_full_and_managers_masked(db_url: str) -> None:
    async with running_bot(db_url) as h:
        agent, manager = await _complaint_with_typed_phones(await staff_world(h))
    card, relayed, listed = (_shown(agent, "态度太差")[0], _shown(agent, "白天打座机")[0],
                             _shown(agent, "态度太差")[-1])
    assert MOBILE in card and MOBILE in listed and LANDLINE in relayed
    about = _shown(manager, "态度太差")
    assert len(about) >= 3  # the rating-1 alert, the appeal, the /complaints list
    assert all(MOBILE not in t and MOBILE_MASKED in t for t in about), about
    assert not [t for t in manager if "86001234" in t or MOBILE in t]


async def test_with_the_switch_off_the_agent_reads_it_masked_too(db_url: str) -> None:
    config = ComplaintConfig(agent_sees_typed_phones=False)
    async with running_bot(db_url, complaints=config) as h:
        agent, manager = await _complaint_with_typed_phones(await staff_world(h))
    for read in (agent, manager):
        assert not [t for t in read if MOBILE in t or "86001234" in t]
    assert _shown(agent, MOBILE_MASKED) and _shown(agent, LANDLINE_MASKED)
