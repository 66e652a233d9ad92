"""Demo steps of the staff features: staff bind by invite, an agent handles a complaint,
Monday's summaries, a manager's /report, and the XLSX and PNG report files.

Files go to `ownervoice demo --out DIR` (default: demo-output/).
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.demo.failures import DemoFailed, DemoFailure
from bot.demo.transcript import Message
from bot.demo.world import COMMUNITY, OWNERS, Demo
from bot.i18n import N_
from surveys.assessment.summaries import run_weekly_summaries
from surveys.core import clock
from surveys.models import Agent
from surveys.people.binding import create_invite
from surveys.people.staffing import add_manager

AGENT_USERS = {"A001": (6001, "王晓梅", "13700137001"), "A002": (6002, "李建国", "13700137002")}
MANAGER_USER = (6101, "赵经理", "13600136001")


async def bind_staff(demo: Demo) -> None:
    """Play agents and a manager binding their Telegram accounts by invite."""
    async with demo.db() as s:
        agents = {a.external_id: a.id for a in (await s.exec(select(Agent))).all() if a.id}
    for external_id, (user_id, name, phone) in AGENT_USERS.items():
        token = await create_invite(db=demo.db, role="agent", subject_id=agents[external_id],
                                    ttl=timedelta(hours=72), secret=demo.invite_secret)
        await demo.player(user_id, name, phone).say(f"/start {token}")
    manager = await add_manager(db=demo.db, name=MANAGER_USER[1], community_code=COMMUNITY[0])
    token = await create_invite(db=demo.db, role="manager", subject_id=int(manager.id or 0),
                                ttl=timedelta(hours=72), secret=demo.invite_secret)
    await demo.player(*MANAGER_USER).say(f"/start {token}")
    demo.transcript.note(
        N_("each of them now has a command menu of their own, set through the Bot API"))


async def handle_complaint(demo: Demo) -> None:
    """Play an agent acknowledging and resolving a complaint."""
    li = demo.players[AGENT_USERS["A002"][0]]
    liu = demo.players[OWNERS[1][0]]
    manager = demo.players[MANAGER_USER[0]]
    card = await li.wait_for_message(demo.tr("A complaint about your work needs your attention."))
    await manager.wait_for_message("WO-2026-0002")
    await li.tap(card, demo.tr("✅ Acknowledge").lstrip("✅"))  # the player strips a ✅ mark
    await liu.wait_for_message(li.name)
    # Chatter opens nothing; her next words join the complaint in hand (no second complaint).
    await liu.say("在吗？")
    await liu.say("厨房水管还在滴水，麻烦快一点。")
    await li.wait_for_message("还在滴水")
    await li.tap(card, demo.tr("💬 Reply"))
    await li.say("刘女士您好，非常抱歉让您久等。明天上午九点我陪维修师傅上门，当面给您处理。")
    await liu.wait_for_message("明天上午九点")
    await li.tap(card, demo.tr("✔️ Resolved"))
    follow_up = await liu.wait_for_message("满意吗")
    await liu.tap(follow_up, demo.tr("😊 Satisfied"))
    await li.wait_for_message("已关闭")


async def weekly_summaries(demo: Demo) -> None:
    """Play next Monday's weekly summaries and team digest."""
    # The demo's data is from this week; summarise it as next Monday's job will.
    run = await run_weekly_summaries(db=demo.db, config=demo.app.settings.points,
                                     timezone=demo.app.settings.schedule.timezone,
                                     now=clock.now() + timedelta(days=7))
    demo.app.wake_dispatcher()
    tr = demo.transcript.tr
    summaries = tr.n_("{n} weekly summary", "{n} weekly summaries", run.agents)
    digests = tr.n_("{n} team digest", "{n} team digests", run.managers)
    demo.transcript.note(N_("week {week}: {summaries}, {digests}"), week=run.week,
                         summaries=summaries, digests=digests)
    for user_id, _name, _phone in AGENT_USERS.values():  # each shown here, not steps later
        await demo.players[user_id].wait_for_message("📊")
    await demo.players[MANAGER_USER[0]].wait_for_message("📋")


async def manager_report(demo: Demo) -> None:
    """Play a manager reading the report and saving the XLSX and chart."""
    manager = demo.players[MANAGER_USER[0]]
    await manager.say("/report week")
    await manager.say("/agent 李建国")
    workbook = await _sent_file(demo, await manager.say("/export week"), "document")
    chart = await _sent_file(demo, await manager.say("/chart week"), "photo")
    out = demo.out_dir
    out.mkdir(parents=True, exist_ok=True)
    # The files exactly as the bot sent them to the manager (their scope, their language).
    for path, data in ((out / "ownervoice-demo-report.xlsx", workbook),
                       (out / "ownervoice-demo-chart.png", chart)):
        path.write_bytes(data)
        demo.transcript.note(
            N_("wrote {path} ({size} bytes): the file the bot sent to {name}"),
            path=path, size=len(data), name=manager.name)


async def _sent_file(demo: Demo, messages: list[Message], kind: str) -> bytes:
    """The bytes of the file (document or photo) the bot sent in reply."""
    found = next((m for m in messages if m.get(kind)), None)
    if found is None:  # the reply's text came first: the file follows
        manager = demo.players[MANAGER_USER[0]]
        try:
            found = await demo.stage.client.wait_for_message(
                demo.stage.token, manager.user_id, predicate=lambda m: bool(m.get(kind)),
                timeout=demo.stage.timeout)
        except TimeoutError as exc:
            raise DemoFailed(DemoFailure.NO_FILE, who=manager.name,
                             seconds=f"{demo.stage.timeout:g}") from exc
        await manager.show_news()
    return await demo.stage.client.document(demo.stage.token, str(found[kind]["file_id"]))
