"""The monthly 考核 cycle in chat, on both runtimes: review cards, /close with its button, the
closing messages and payroll files, a late appeal after the close, and a snapshot that
nothing changes."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.i18n import translator
from scoring.points.config import PointsConfig
from surveys.core.clock import FrozenClock
from surveys.models import Complaint, Review
from tests.bot.roles.conftest import comment_in_chat, press, staff_world
from tests.fixtures.chat import buttons, running_bot

ZH = translator("zh_CN")
IN_NOVEMBER = datetime(2026, 11, 17, 2, 0)
IN_REVIEW = datetime(2026, 12, 2, 2, 0)  # the window ends 2026-12-04 00:00 in Shanghai
AFTER_REVIEW = datetime(2026, 12, 4, 1, 0)


async def _november_complaint(h, world) -> None:  # type: ignore[no-untyped-def]
    await comment_in_chat(h, title="门禁卡失灵", stars=(2, 1, 3, 2), words="服务态度太差了")
    await h.outbox_idle()


@asynccontextmanager
async def november(db_url: str) -> AsyncIterator[tuple[Any, Any, FrozenClock]]:
    """A running bot with staff and a November complaint for 王晓梅; the clock in November."""
    clock = FrozenClock(IN_NOVEMBER).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            await _november_complaint(h, world)
            yield h, world, clock
    finally:
        FrozenClock.uninstall()


async def _close_november(world: Any) -> dict[str, Any]:
    ask: dict[str, Any] = await world.manager.send("/close 2026-11")
    await press(world.manager, ask["message_id"], "结账 2026-11")
    return ask


async def _documents(h, chat_id: int, count: int) -> list[dict]:  # type: ignore[type-arg]
    found = await h.client.wait_for(h.token, chat_id, count=count, timeout=10,
                                    predicate=lambda m: bool(m.get("document")))
    return found


async def test_a_manager_closes_a_month_after_its_window_and_gets_the_payroll(
    db_url: str,
) -> None:
    async with november(db_url) as (h, world, clock):
        clock.current = IN_REVIEW
        early = await world.manager.send("/close 2026-11")
        assert early["text"] == ZH._(
            "{label} is in its appeal window until {when}; it can be closed after that.",
            label="2026-11", when="2026-12-04 00:00")
        week = await world.manager.send("/close 2026-W47")
        assert "只有考核周期" in week["text"]
        me = (await world.agent.send("/me 2026-11"))["text"]
        assert "暂定结果：2026-11 处于复核期" in me

        clock.current = AFTER_REVIEW
        ask = await world.manager.send("/close 2026-11")
        assert ask["text"].startswith("确定结账 2026-11 吗？")
        before = len(await world.manager.messages())
        done = await press(world.manager, ask["message_id"], "结账 2026-11")
        assert done["text"] == "2026-11 已结账：1 名客服的分数已定，已逐一通知。"
        after = await h.client.wait_for(h.token, world.manager.chat_id, count=before + 3)
        table = after[before]["text"]
        assert not any("最终排名" in (m["text"] or "") for m in after[before:]), \
            "the closer gets the table once, in the reply"
        assert "最终结果：赵经理 于 2026-12-04 09:00 结账" in table
        assert re.search(r"^ +1  王晓梅 ", table, re.MULTILINE)
        files = await _documents(h, world.manager.chat_id, 2)
        names = sorted(m["document"]["file_name"] for m in files)
        assert names == ["payroll-2026-11.csv", "payroll-2026-11.xlsx"]
        told = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="考核已结账")
        assert "发送 /me 2026-11 查看明细" in told["text"]
        assert "您的最终得分" in told["text"] and "你" not in told["text"]

        # A second tap (or a second manager) closes nothing: exactly one close.
        answer = await world.manager.tap_data(
            ask["message_id"], str(buttons(ask)[0][0]["callback_data"]))
        assert "已由 赵经理 于 2026-12-04 09:00 结账" in answer["text"]

        xlsx = await h.client.document(h.token, next(m for m in files if m["document"][
            "file_name"].endswith(".xlsx"))["document"]["file_id"])
        sheet = load_workbook(io.BytesIO(xlsx)).active
        assert [c.value for c in sheet[2]] == ["工号", "姓名", "小区", "得分", "等级", "排名",
                                              "奖金系数"]
        row = [c.value for c in sheet[3]]
        assert row[:3] == ["A001", "王晓梅", "阳光花园"]
        assert sheet.cell(row=3, column=4).number_format == "0.0"
        assert row[6] == {"优秀": 1.2, "合格": 1.0, "待改进": 0.8}[row[4]]


async def test_a_closed_month_never_changes_and_a_late_appeal_becomes_an_adjustment(
    db_url: str,
) -> None:
    async with november(db_url) as (h, world, clock):
        clock.current = AFTER_REVIEW
        await _close_november(world)
        await h.outbox_idle()
        closed = (await world.agent.send("/me 2026-11"))["text"]
        total = re.search(r"^总分 +([\d.]+)$", closed, re.MULTILINE)
        assert total is not None

        clock.current = AFTER_REVIEW + timedelta(days=1)
        async with h.db() as s:
            cid = (await s.exec(select(Complaint.id))).one()
        await world.agent.send(f"/appeal {cid} 当天业主不在家")
        await world.manager.send("/appeals")
        listed = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                                 contains="当天业主不在家")
        await press(world.manager, listed["message_id"], "支持")
        await world.manager.send("核实属实")
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="已获支持")
        await h.outbox_idle()
        # New weights in the config file (as after a restart) change no closed figure.
        h.app.staff.points = PointsConfig(total_satisfaction_weight=0.9)

        again = (await world.agent.send("/me 2026-11"))["text"]
        assert re.search(rf"^总分 +{re.escape(total.group(1))}$", again, re.MULTILINE)
        december = (await world.agent.send("/me 2026-12"))["text"]
        assert re.search(r"2026-11 补记调整：\+[\d.]+（结账后申诉 #\d+ 被认定作废）", december)


async def test_a_manager_reviews_an_agent_and_the_review_is_its_own_part(db_url: str) -> None:
    async with november(db_url) as (h, world, clock):
        clock.current = IN_REVIEW
        before = len(await world.manager.messages())
        await world.manager.send("/review 2026-11")
        cards = (await h.client.wait_for(h.token, world.manager.chat_id,
                                         count=before + 1))[before:]
        (card,) = cards  # 李建国 did no work in November: no card (it would count nowhere)
        assert "王晓梅" in card["text"]
        knowledge = buttons(card)[0]
        assert knowledge[0]["text"] == "业务知识"
        four = str(next(b for b in knowledge if b["text"] == "4⭐")["callback_data"])
        answer = await world.manager.tap_data(card["message_id"], four)
        assert answer["text"] == "已保存。"
        edited = await world.manager.message(card["message_id"])
        assert "• 业务知识：⭐⭐⭐⭐" in edited["text"]
        detail = (await world.manager.send("/agent 王晓梅 2026-11"))["text"]
        assert "多源评价：主管 75.0（1 个星级）" in detail

        clock.current = AFTER_REVIEW
        await _close_november(world)
        late = await world.manager.tap_data(card["message_id"], four)
        assert late["text"] == "2026-11 已结账，评价不能再修改。"
        refused = await world.manager.send("/review 2026-11")
        assert refused["text"] == "2026-11 已结账，评价不能再修改。"
        future = await world.manager.send("/review 2030-01")
        assert future["text"] == "2030-01 尚未开始，不能评价。"


@pytest.mark.slow  # ~2.5 s a runtime; test_reviews_payroll guards the limit in the quick suite
async def test_a_review_note_over_the_limit_is_refused_not_cut_short(db_url: str) -> None:
    async with november(db_url) as (h, world, clock):
        clock.current = IN_REVIEW
        before = len(await world.manager.messages())
        await world.manager.send("/review 2026-11")
        card = (await h.client.wait_for(h.token, world.manager.chat_id,
                                        count=before + 1))[before]
        note = str(buttons(card)[-1][0]["callback_data"])
        await world.manager.tap_data(card["message_id"], note)
        refused = await world.manager.send("业务熟练，" * 300)  # 1,500 characters
        assert refused["text"] == ZH._("Sorry, that message is too long. Please keep it "
                                       "under {limit} characters.", limit=1000)
        async with h.db() as s:
            assert (await s.exec(select(Review))).first() is None
        await world.manager.tap_data(card["message_id"], note)
        saved = await world.manager.send("业务熟练，沟通清楚。")
        assert saved["text"] == ZH._("Note saved.")
        async with h.db() as s:
            assert (await s.exec(select(Review))).one().note == "业务熟练，沟通清楚。"
