"""The weekly summary fires on Monday 09:00 company time; its figures are the points model's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.config import ScheduleConfig
from bot.jobs import JOBS
from bot.scheduler import build_scheduler
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from surveys.assessment import agent_reports as assessment
from surveys.core.clock import FrozenClock
from surveys.models import OutboxMessage
from tests.bot.roles.conftest import agent_id, staff_world
from tests.fixtures.chat import OWNERS, running_bot


def test_weekly_summary_trigger_fires_monday_9_in_shanghai() -> None:
    scheduler = build_scheduler(object(), ScheduleConfig(), JOBS)  # type: ignore[arg-type]
    trigger = scheduler.get_job("weekly_summary").trigger
    tz = ZoneInfo("Asia/Shanghai")
    after = datetime(2026, 11, 18, 15, 30, tzinfo=tz)  # a Wednesday afternoon
    fire = trigger.get_next_fire_time(None, after)
    assert fire == datetime(2026, 11, 23, 9, 0, tzinfo=tz)
    assert fire.astimezone(UTC).hour == 1  # 09:00 in Shanghai is 01:00 UTC
    assert "complaint_deadlines" in JOBS and JOBS["complaint_deadlines"].seconds == 60


def test_weekly_summary_trigger_follows_the_configured_day_time_and_zone() -> None:
    schedule = ScheduleConfig(timezone="Europe/London", weekly_summary_day="fri",
                              weekly_summary_time="17:30")
    scheduler = build_scheduler(object(), schedule, JOBS)  # type: ignore[arg-type]
    trigger = scheduler.get_job("weekly_summary").trigger
    tz = ZoneInfo("Europe/London")
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 18, 15, 30, tzinfo=tz))
    assert fire == datetime(2026, 11, 20, 17, 30, tzinfo=tz)


async def test_monday_summary_reaches_agents_and_managers_once(db_url: str) -> None:
    # Tuesday 2026-11-17 10:00 in Shanghai; the summary covers ISO week 2026-W47.
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            for person, stars in ((OWNERS[0], (5, 4, 5, 5)), (OWNERS[1], (2, 1, 3, 2))):
                owner = h.owner(person)
                await owner.bind()
                await h.close_order(person, title="水管维修")
                survey = await owner.wait_survey()
                await owner.rate(survey["message_id"], *stars)
                await owner.send("态度很差，拖了很久" if stars[0] < 3 else "很好")
            clock.current = datetime(2026, 11, 23, 1, 0)  # Monday 09:00 in Shanghai
            await h.app.run_job("weekly_summary")
            summary = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                      contains="周报")
            assert "2026-W47" in summary["text"] and "💡" in summary["text"]
            digest = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                     contains="团队周报")
            assert "王晓梅" in digest["text"]

            a1 = await agent_id(h, "A001")
            report = await assessment.agent_report(
                db=h.db, agent_id=a1, period=parse_period("2026-W47"), config=PointsConfig())
            async with h.db() as s:
                rows = (await s.exec(select(OutboxMessage).where(
                    OutboxMessage.kind == "weekly_summary"))).all()
            payload = next(r.payload for r in rows if r.payload["agent_id"] == a1)
            assert payload["total"] == report.points.total is not None
            assert payload["responses"] == report.points.responses == 2
            assert payload["rank"] == report.points.rank
            assert payload["dimensions"]["overall"]["score"] == (
                report.points.dimensions["overall"].raw)
            # Each topic shows the words that decided it, or its low rating: never another's.
            topics = {t["tag"]: t for t in payload["top_tags"]}
            assert topics["attitude"]["words"] == ["态度很差"]
            assert set(topics["timeliness"]["words"]) == {"拖", "很久"}
            assert "• 服务态度 ×1（如：态度很差）" in summary["text"]
            assert "• 总体满意度 ×1（总体 2⭐）" in summary["text"]
            assert "（如：态度很差, 拖" not in summary["text"]

            clock.advance(timedelta(minutes=5))
            await h.app.run_job("weekly_summary")  # a second run in the same week
            async with h.db() as s:
                again = (await s.exec(select(OutboxMessage).where(
                    OutboxMessage.kind == "weekly_summary"))).all()
            assert len(again) == len(rows) == 2
    finally:
        FrozenClock.uninstall()


async def test_weekly_summary_job_fired_by_the_apps_scheduler_reaches_the_agent(
        db_url: str) -> None:
    # Data in ISO week 2026-W47; the domain clock then stands at Monday 09:00 in Shanghai.
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            owner = h.owner(OWNERS[0])
            await owner.bind()
            await h.close_order(OWNERS[0], title="水管维修")
            survey = await owner.wait_survey()
            await owner.rate(survey["message_id"], 5, 4, 5, 5)
            await h.outbox_idle()
            clock.current = datetime(2026, 11, 23, 1, 0)
            before = len(await world.agent.messages())

            # The app's own scheduler with every job, started in the running bot;
            # the weekly job is only told to fire now instead of next Monday.
            scheduler = build_scheduler(h.app, h.settings.schedule, JOBS)
            h.app.scheduler = scheduler  # so the app shuts it down on close
            scheduler.start()
            job = scheduler.get_job("weekly_summary")
            tz = ZoneInfo(h.settings.schedule.timezone)
            job.modify(next_run_time=datetime.now(tz))
            scheduler.wakeup()

            summary = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                      contains="周报", timeout=30)
            assert "2026-W47" in summary["text"] and "💡" in summary["text"]
            assert len(await world.agent.messages()) == before + 1
            # Having fired, the job waits for the next Monday 09:00 (from the real clock).
            following = scheduler.get_job("weekly_summary").next_run_time
            assert following > datetime.now(tz)
            assert (following.weekday(), following.hour, following.minute) == (0, 9, 0)
    finally:
        FrozenClock.uninstall()
