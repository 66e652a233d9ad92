"""Staff commands with hostile arguments get a short polite answer, never the failure message."""

from __future__ import annotations

from sqlmodel import select

from bot.conversation.core import GENERIC_ERROR
from bot.i18n import translator
from bot.staff.paging import BAD_PERIOD
from surveys.models import Appeal
from surveys.models.infra import StaffPrompt
from tests.bot.robustness.conftest import NO_THROTTLE, polite
from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import OWNERS, running_bot

ZH = translator("zh_CN")
PERIOD_HINT = ZH._(BAD_PERIOD, text="@@").split("@@")[0]
OUT_OF_RANGE = ("9999-12", "9999-W52", "9999-12-30..9999-12-31", "0001-01", "0001-W01",
                "0000-01")


async def test_periods_beyond_the_calendar_get_the_period_hint(db_url: str) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        world = await staff_world(h)
        for period in OUT_OF_RANGE:
            assert polite(await world.agent.send(f"/me {period}")).startswith(PERIOD_HINT)
            for command in ("/report", "/export", "/chart"):
                reply = await world.manager.send(f"{command} {period}")
                assert polite(reply).startswith(PERIOD_HINT), (command, period)
            polite(await world.manager.send(f"/agent 王晓梅 {period}"))


async def test_huge_arguments_are_not_echoed_back_in_full(db_url: str) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        world = await staff_world(h)
        huge = "x" * 5000
        assert polite(await world.agent.send(f"/me {huge}")).startswith(PERIOD_HINT)
        assert polite(await world.agent.send(f"/me 1 {huge}")).startswith(PERIOD_HINT)
        for command in ("/report", "/export", "/chart"):
            assert polite(await world.manager.send(f"{command} {huge}")).startswith(PERIOD_HINT)
        for args in (huge, f"1 {huge}", "\u200f\u200b👨‍👩‍👧‍👦" * 900):
            text = polite(await world.manager.send(f"/agent {args}"))
            assert len(text) < 300, text


async def test_appeal_of_an_id_beyond_any_row_says_no_such_record(db_url: str) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        world = await staff_world(h)
        no_such = ZH._("No such record: {id}.", id="@@").split("@@")[0]
        for args in ("99999999999999999999999", "99999999999999999999999 不公平",
                     "R99999999999999999999999 不公平", "9" * 5000 + " 不公平"):
            text = polite(await world.agent.send(f"/appeal {args}"))
            assert text.startswith(no_such), (args[:30], text)
            assert len(text) < 300
        async with h.db() as s:
            assert (await s.exec(select(Appeal))).all() == []
            assert (await s.exec(select(StaffPrompt))).all() == []


async def test_garbage_and_forged_button_data_is_answered_without_the_failure_message(
        db_url: str) -> None:
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        world = await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        report = await world.manager.send("/report")
        garbage = ["x", "xP:me:9999-12:1:AAAA", "xP:ag:99999999999999999999~week:1:AA", "s:1",
                   "l:zz", "\u200f\u200b", "👨‍👩‍👧‍👦" * 4, "a" * 64, ":::::",
                   # A signature that is not ASCII (a modified client): hmac refuses to
                   # compare such strings at all.
                   "r:1:o:5:中文中文中文", "xa:1:中文中文中文", "l:en:ÄÖÜ"]
        for session, message_id in ((world.manager, report["message_id"]),
                                    (owner, (await owner.messages())[-1]["message_id"])):
            for data in garbage:
                answer = await session.tap_data(message_id, data)
                assert answer.get("text") != ZH._(GENERIC_ERROR), (data, answer)
