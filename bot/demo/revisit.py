"""Demo step (issue 14): 黄强 is not in Telegram and leaves the web link unanswered; 孙丽,
回访 staff bound by invite, gets the morning list, calls him and records a phone 回访.

Played last, after the month is closed, so the figures of the earlier steps stay as they were.
The morning list is the scheduled job run directly: the demo never waits for 08:30.
"""

from __future__ import annotations

from datetime import timedelta

from bot.demo.world import COMMUNITY, Demo
from bot.i18n import N_
from surveys.people.binding import create_invite
from surveys.people.staffing import add_revisitor

REVISITOR_USER = (6201, "孙丽", "13500135001")
OWNER = ("黄强", "13800138009", "5", "502")
ORDER = "WO-2026-0009"


async def phone_revisit(demo: Demo) -> None:
    """Play 回访 staff recording a phone answer for an owner without Telegram."""
    row = await add_revisitor(db=demo.db, name=REVISITOR_USER[1], community_code=COMMUNITY[0])
    token = await create_invite(db=demo.db, role="revisitor", subject_id=int(row.id or 0),
                                ttl=timedelta(hours=72), secret=demo.invite_secret)
    sun = demo.player(*REVISITOR_USER)
    await sun.say(f"/start {token}")
    name, phone, building, room = OWNER
    status, _answer = await demo.post_order({
        "external_id": ORDER, "community_code": COMMUNITY[0],
        "owner": {"name": name, "phone": phone, "building": building, "room": room},
        "agent_external_id": "A002", "kind": "repair", "title": "地下车库积水",
    })
    demo.transcript.note(N_("POST /api/v1/work-orders/close {order} → {status}; {name} has "
                            "no Telegram, and the web link his SMS carried stays unanswered"),
                         order=ORDER, status=status, name=name)
    demo.transcript.note(N_("08:30: the morning job sends each 回访 staff member the list of "
                            "surveys waiting for a phone or visit 回访"))
    await demo.app.run_job("revisit_lists")
    await sun.wait_for_message(ORDER)
    card = (await sun.say(f"/revisit {ORDER}"))[-1]
    demo.transcript.note(N_("孙丽 calls {name}: 4, 5, 4, 4 stars, and his words"), name=name)
    for index, stars in enumerate((4, 5, 4, 4)):  # a row of stars per question
        await sun.tap(card, f"{stars}⭐", row=index)
    await sun.tap(card, "✏️")
    await sun.say("师傅当天就来了，态度很好，就是车库里还有点味道。")
    await sun.wait_for_message(demo.tr("Owner's words: {words}").split("{")[0])
