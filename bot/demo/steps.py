"""The demo's steps, in order. A later feature adds one with a decorated function:

    @step("Weekly summaries", after="answer_surveys")
    async def weekly_summaries(demo: Demo) -> None: ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from scoring.questions import QUESTIONS

if TYPE_CHECKING:
    from bot.demo.runner import Demo

StepFunc = Callable[["Demo"], Awaitable[Any]]


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    func: StepFunc


STEPS: list[Step] = []


def step(title: str, *, after: str | None = None) -> Callable[[StepFunc], StepFunc]:
    """Register a demo step (appended, or right after the step named `after`)."""

    def decorate(func: StepFunc) -> StepFunc:
        entry = Step(func.__name__, title, func)
        names = [s.name for s in STEPS]
        if entry.name in names:
            STEPS[names.index(entry.name)] = entry
        elif after is not None and after in names:
            STEPS.insert(names.index(after) + 1, entry)
        else:
            STEPS.append(entry)
        return func

    return decorate


COMMUNITY = ("sunny-garden", "阳光花园")
AGENTS = (("A001", "王晓梅", "13700137001"), ("A002", "李建国", "13700137002"))
OWNERS = (  # user id, name, phone, building, room
    (7001, "张伟", "13800138001", "1", "101"),
    (7002, "刘芳", "13800138002", "2", "202"),
    (7003, "陈静", "13800138003", "3", "303"),
)
ORDERS = (  # external id, owner index, agent, kind, title
    ("WO-2026-0001", 0, "A001", "repair", "厨房水管漏水维修"),
    ("WO-2026-0002", 1, "A002", "repair", "电梯按钮失灵"),
    ("WO-2026-0003", 2, "A001", "enquiry", "物业费缴费咨询"),
)


@step("Seed the community 阳光花园: agents and owners")
async def seed(demo: Demo) -> None:
    from surveys.people.directory import add_agent, add_community, add_owner

    await add_community(db=demo.db, code=COMMUNITY[0], name=COMMUNITY[1])
    for external_id, name, phone in AGENTS:
        await add_agent(db=demo.db, external_id=external_id, name=name,
                        community_code=COMMUNITY[0], phone=phone)
        demo.transcript.note(f"agent 客服 {name} ({external_id})")
    for user_id, name, phone, building, room in OWNERS:
        owner = await add_owner(db=demo.db, community_code=COMMUNITY[0], name=name,
                                phone=phone, building=building, room=room)
        demo.owner_ids[user_id] = int(owner.id or 0)
        demo.player(user_id, name, phone)
        demo.transcript.note(f"owner 业主 {name}, {building}栋{room}, {phone}")


@step("Owners bind their homes in chat")
async def bind_owners(demo: Demo) -> None:
    from surveys.people.binding import create_invite

    zhang, liu, chen = (demo.players[u] for u, *_ in OWNERS)
    await zhang.say("/start")
    await zhang.share_contact()
    await liu.say("/start")
    await liu.share_contact()
    demo.transcript.note("陈静 gets an invite link from the property office instead")
    token = await create_invite(db=demo.db, role="owner", subject_id=demo.owner_ids[chen.user_id],
                                ttl=timedelta(hours=72), secret=demo.invite_secret)
    await chen.say(f"/start {token}")


@step("The property system closes work orders (HTTP intake API)")
async def close_orders(demo: Demo) -> None:
    for external_id, owner_index, agent, kind, title in ORDERS:
        _user_id, name, phone, building, room = OWNERS[owner_index]
        body = {
            "external_id": external_id, "community_code": COMMUNITY[0],
            "owner": {"name": name, "phone": phone, "building": building, "room": room},
            "agent_external_id": agent, "kind": kind, "title": title,
        }
        status, answer = await demo.post_order(body)
        demo.transcript.note(f"POST /api/v1/work-orders/close {external_id} → {status} "
                             f"survey #{answer.get('survey_id')} {answer.get('survey_status')}")
    status, answer = await demo.post_order(body)  # the same order again: idempotent
    demo.transcript.note(f"POST again {ORDERS[-1][0]} → {status} created={answer.get('created')}")


@step("Owners answer their surveys")
async def answer_surveys(demo: Demo) -> None:
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
    demo.transcript.note("陈静 changes her first answer before submitting")
    await chen.tap(survey, "«")  # back to attitude
    await chen.tap(survey, "«")  # back to overall
    await chen.tap(survey, "4⭐")
    for stars in (4, 5):
        await chen.tap(survey, f"{stars}⭐")
    await chen.tap(survey, demo.tr("Submit without comment"))


@step("What the database now holds")
async def results(demo: Demo) -> None:
    from sqlmodel import select

    from surveys.models import Agent, Response, Survey

    async with demo.db() as s:
        rows = (await s.exec(select(Survey, Response, Agent)
                             .join(Response, Response.survey_id == Survey.id)  # type: ignore[arg-type]
                             .join(Agent, Agent.id == Survey.agent_id)  # type: ignore[arg-type]
                             .order_by(Survey.id))).all()  # type: ignore[arg-type]
    for survey, response, agent in rows:
        ratings = "/".join(str(getattr(response, q)) for q in QUESTIONS)
        polarity = (response.classification or {}).get("polarity", "-")
        demo.transcript.note(f"survey #{survey.id} {survey.status}: agent {agent.name}, "
                             f"ratings {ratings}, comment polarity {polarity}")


import bot.demo.roles  # noqa: E402,F401  (registers the staff steps)
