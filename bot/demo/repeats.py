"""Demo step (issue 14): 陈静's bathroom pipe leaks again and again. The second order is
flagged 返修/重复 on the agent's complaint card; the third within 30 days alerts the manager.

Played after the month is closed, so the figures of the earlier steps stay as they were.
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.demo.roles import AGENT_USERS, MANAGER_USER
from bot.demo.world import COMMUNITY, OWNERS, Demo
from bot.i18n import N_
from bot.render.repeats import category_text
from surveys.models import WorkOrder

# external id, category as the property system sends it (None: inferred from the title), title
ORDERS = (
    ("WO-2026-0011", "水电", "卫生间水管漏水"),
    ("WO-2026-0012", None, "卫生间水管又漏水了"),
    ("WO-2026-0013", "water_power", "卫生间水管第三次漏水"),
)


async def _close(demo: Demo, external_id: str, category: str | None, title: str) -> None:
    _user, name, phone, building, room = OWNERS[2]
    body = {"external_id": external_id, "community_code": COMMUNITY[0],
            "owner": {"name": name, "phone": phone, "building": building, "room": room},
            "agent_external_id": "A001", "kind": "repair", "title": title}
    if category is not None:
        body["category"] = category
    status, answer = await demo.post_order(body)
    demo.transcript.note(N_("POST /api/v1/work-orders/close {order} (category {category}) → "
                         "{status} survey #{survey}"), order=external_id,
                         category=await _category_shown(demo, external_id, category),
                         status=status, survey=answer.get("survey_id"))


async def _category_shown(demo: Demo, external_id: str, sent: str | None) -> str:
    """Return what was sent as the category and the category the order got, in words."""
    async with demo.db() as s:
        code = (await s.exec(select(WorkOrder.category).where(
            col(WorkOrder.external_id) == external_id))).one()
    tr = demo.transcript.tr
    label = category_text(tr, code, demo.app.settings.categories)
    if sent is None:
        return tr._("inferred from the title: {label}", label=label)
    if sent == label:
        return sent
    if sent == code:  # a code such as water_power: say so, and give only its name
        return tr._("sent as its code, that is {label}", label=label)
    return tr._("{sent}, that is {label}", sent=sent, label=label)


async def pipe_leaks_again(demo: Demo) -> None:
    """Play a leak repaired three times in 30 days: the card and an alert name the repeat."""
    chen = demo.players[OWNERS[2][0]]
    wang = demo.players[AGENT_USERS["A001"][0]]
    manager = demo.players[MANAGER_USER[0]]
    # One order at a time: two surveys queued together reach her chat in either order, and
    # the transcript must read the same on every run and runtime.
    for order in ORDERS[:2]:
        await _close(demo, *order)
        survey = await chen.wait_for_message(order[2])
    for stars in (2, 2, 3, 2):
        await chen.tap(survey, f"{stars}⭐")
    await chen.say("上周刚修过，又漏了，能不能彻底修好？")
    await wang.wait_for_message("返修/重复")  # the complaint card carries the mark
    await _close(demo, *ORDERS[2])
    await manager.wait_for_message("重复问题")  # the third time in 30 days
