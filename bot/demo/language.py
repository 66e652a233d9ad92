"""Demo step: an owner switches to English with /language; the next survey comes in English.

Played last, so the figures the earlier steps show (reports, files) stay those of the surveys
answered in Chinese.
"""

from __future__ import annotations

from bot.demo.world import COMMUNITY, OWNERS, Demo

ORDER = ("WO-2026-0004", "A001", "repair", "客厅吊灯不亮")


async def owner_switches_to_english(demo: Demo) -> None:
    """Play an owner who switches to English and answers a survey in it."""
    user_id, name, phone, building, room = OWNERS[0]
    zhang = demo.players[user_id]
    [prompt] = await zhang.say("/language")
    await zhang.tap(prompt, "English")
    external_id, agent, kind, title = ORDER
    status, answer = await demo.post_order({
        "external_id": external_id, "community_code": COMMUNITY[0],
        "owner": {"name": name, "phone": phone, "building": building, "room": room},
        "agent_external_id": agent, "kind": kind, "title": title,
    })
    demo.note_closed(external_id, status, answer)
    await zhang.wait_for_message(title)
