"""Demo steps of the owner side: seed, owners bind, orders close, owners answer, results.

`bot.demo.script` plays them, with the staff steps (`bot.demo.roles`), in order.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.demo.world import AGENTS, COMMUNITY, ORDERS, OWNERS, Demo
from bot.i18n import N_
from scoring.questions import QUESTIONS
from surveys.core import clock
from surveys.models import Agent, Response, Survey
from surveys.people.binding import create_invite
from surveys.people.directory import add_agent, add_community, add_owner


async def seed(demo: Demo) -> None:
    """Add the community, its agents and its owners."""
    await add_community(db=demo.db, code=COMMUNITY[0], name=COMMUNITY[1])
    for external_id, name, phone in AGENTS:
        await add_agent(db=demo.db, external_id=external_id, name=name,
                        community_code=COMMUNITY[0], phone=phone)
        demo.transcript.note(N_("agent 客服 {name} ({id})"), name=name, id=external_id)
    for user_id, name, phone, building, room in OWNERS:
        owner = await add_owner(db=demo.db, community_code=COMMUNITY[0], name=name,
                                phone=phone, building=building, room=room)
        demo.owner_ids[user_id] = int(owner.id or 0)
        demo.player(user_id, name, phone)
        demo.transcript.note(N_("owner 业主 {name}, {building}栋{room}, {phone}"), name=name,
                             building=building, room=room, phone=phone)


async def bind_owners(demo: Demo) -> None:
    """Play the owners binding their chats with /start and their phone."""
    zhang, liu, chen = (demo.players[u] for u, *_ in OWNERS)
    await zhang.say("/start")
    await zhang.share_contact()
    await liu.say("/start")
    await liu.share_contact()
    demo.transcript.note(N_("陈静 gets an invite link from the property office instead"))
    token = await create_invite(db=demo.db, role="owner", subject_id=demo.owner_ids[chen.user_id],
                                ttl=timedelta(hours=72), secret=demo.invite_secret)
    await chen.say(f"/start {token}")


# Hours before closing that each order was opened and first acted on (the /report's
# response and resolution times).
ORDER_TIMES = {"WO-2026-0001": (6.0, 5.5), "WO-2026-0002": (30.0, 26.0),
               "WO-2026-0003": (2.0, 1.5)}


async def close_orders(demo: Demo) -> None:
    """Close the work orders through the intake API."""
    now = clock.now()
    for external_id, owner_index, agent, kind, title in ORDERS:
        _user_id, name, phone, building, room = OWNERS[owner_index]
        opened, first_action = ORDER_TIMES[external_id]
        body = {
            "external_id": external_id, "community_code": COMMUNITY[0],
            "owner": {"name": name, "phone": phone, "building": building, "room": room},
            "agent_external_id": agent, "kind": kind, "title": title,
            "opened_at": (now - timedelta(hours=opened)).isoformat(),
            "first_action_at": (now - timedelta(hours=first_action)).isoformat(),
            "closed_at": now.isoformat(),
        }
        status, answer = await demo.post_order(body)
        demo.note_closed(external_id, status, answer)
    status, answer = await demo.post_order(body)  # the same order again: idempotent
    again = (N_("POST again {order} → {status}, \"created\": true: a second order was made")
             if answer.get("created") else
             N_("POST again {order} → {status}, \"created\": false: the order was already "
                "closed, so no second survey"))
    demo.transcript.note(again, order=ORDERS[-1][0], status=status)


async def answer_surveys(demo: Demo) -> None:
    """Play the owners answering their surveys."""
    zhang, liu, chen = (demo.players[u] for u, *_ in OWNERS)

    survey = await zhang.wait_for_message(ORDERS[0][4])
    for stars in (5, 5, 4, 5):
        await zhang.tap(survey, f"{stars}⭐")
    await zhang.say("师傅上门很及时，修得很仔细，态度也好，谢谢！")

    survey = await liu.wait_for_message(ORDERS[1][4])
    for stars in (2, 1, 3, 2):
        await liu.tap(survey, f"{stars}⭐")
    await liu.say("等了三天才有人来修，客服态度很敷衍，电话也不回，非常不满意。")

    survey = await chen.wait_for_message(ORDERS[2][4])
    for stars in (3, 4):
        await chen.tap(survey, f"{stars}⭐")
    demo.transcript.note(N_("陈静 changes her first answer before submitting"))
    await chen.tap(survey, "«")  # back to attitude
    await chen.tap(survey, "«")  # back to overall
    await chen.tap(survey, "4⭐")
    for stars in (4, 5):
        await chen.tap(survey, f"{stars}⭐")
    await chen.tap(survey, demo.tr("Submit without comment"))


async def results(demo: Demo) -> None:
    """Write each survey's ratings and its credited agent to the transcript."""
    async with demo.db() as s:
        rows = (await s.exec(select(Survey, Response, Agent)
                             .join(Response, col(Response.survey_id) == col(Survey.id))
                             .join(Agent, col(Agent.id) == col(Survey.agent_id))
                             .order_by(col(Survey.id)))).all()
    for survey, response, agent in rows:
        ratings = "/".join(str(getattr(response, q)) for q in QUESTIONS)
        polarity = demo.transcript.word((response.classification or {}).get("polarity", "-"))
        demo.transcript.note(N_("survey #{survey} {status} ({channel}): agent {agent}, "
                                "ratings {ratings}, comment polarity {polarity}"),
                             survey=survey.id, status=demo.transcript.word(survey.status),
                             channel=demo.transcript.word(response.channel),
                             agent=agent.name, ratings=ratings, polarity=polarity)

