"""The staff layer called directly (no emulator): commands and refusals by role, the
agent's complaint buttons and relayed reply, the owner's follow-up, appeals decided by a
manager, /cancel, and the owner's direct complaint."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.conversation.actions import Send
from bot.staff import callbacks as cb
from surveys.core.db import SessionFactory
from surveys.models import Appeal, Complaint, ComplaintMessage
from surveys.people.directory import add_agent
from tests.fixtures.bot_world import (
    AGENT,
    KEY,
    MANAGER,
    OTHER_AGENT,
    OWNER,
    Talk,
    bind_owner,
    build_talk,
    button_data,
    close_order,
    edits,
    files,
    sent,
    toasts,
)

NOT_MANAGER = "仅供主管使用"
NOT_AGENT = "仅供客服使用"


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    return await build_talk(db)


async def _complained(talk: Talk) -> int:
    """The owner rates 1 star on every question: a complaint for agent 王晓梅."""
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await talk.tap(OWNER, talk.rate(survey_id, question, 1))
    await talk.send(OWNER, "师傅态度很差，问题也没解决")
    async with talk.db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.id is not None
    return complaint.id


async def test_owners_and_agents_are_refused_manager_commands(talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    for user in (OWNER, AGENT):
        for command in ("/report", "/agent 王晓梅", "/appeals", "/export", "/chart"):
            assert NOT_MANAGER in sent(await talk.send(user, command))[0], (user, command)
    assert NOT_AGENT in sent(await talk.send(MANAGER, "/me"))[0]
    assert "客服和主管" in sent(await talk.send(OWNER, "/complaints"))[0]


async def test_help_lists_each_roles_own_commands(talk: Talk) -> None:
    agent_help = sent(await talk.send(AGENT, "/help"))[0]
    manager_help = sent(await talk.send(MANAGER, "/help"))[0]
    assert "/me" in agent_help and "/report" not in agent_help
    assert "/report" in manager_help and "/me -" not in manager_help


async def test_an_agent_sees_their_own_figures_and_complaints_only(talk: Talk) -> None:
    complaint_id = await _complained(talk)
    figures = sent(await talk.send(AGENT, "/me"))[0]
    assert "王晓梅" in figures and "李建国" not in figures
    mine = await talk.send(AGENT, "/complaints")
    assert any(f"#{complaint_id}" in text for text in sent(mine))
    assert button_data(mine, "已受理").startswith(cb.PREFIX)
    assert "没有待处理的投诉" in sent(await talk.send(OTHER_AGENT, "/complaints"))[0]


async def test_a_manager_gets_the_report_an_agents_detail_and_the_complaint_list(
    talk: Talk,
) -> None:
    complaint_id = await _complained(talk)
    report = "\n".join(sent(await talk.send(MANAGER, "/report")))
    assert "王晓梅" in report and "阳光花园" in report  # only agents with orders are ranked
    detail = "\n".join(sent(await talk.send(MANAGER, "/agent 王晓梅")))
    assert "王晓梅" in detail and "李建国" not in detail
    assert "没有名为" in sent(await talk.send(MANAGER, "/agent 没有这个人"))[0]
    listing = "\n".join(sent(await talk.send(MANAGER, "/complaints")))
    assert f"#{complaint_id}" in listing and "王晓梅" in listing and "13800000001" not in listing


async def test_a_managers_export_and_chart_are_files(talk: Talk) -> None:
    await _complained(talk)
    [xlsx] = files(await talk.send(MANAGER, "/export"))
    png, table = files(await talk.send(MANAGER, "/chart"))
    assert xlsx.kind == "document" and xlsx.filename.endswith(".xlsx") and xlsx.data[:2] == b"PK"
    assert png.kind == "photo" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert table.kind == "photo" and table.data[:8] == png.data[:8]  # building × category


async def test_the_agent_acknowledges_replies_and_resolves_and_the_owner_follows_up(
    talk: Talk,
) -> None:
    cid = await _complained(talk)
    ack = await talk.tap(AGENT, cb.pack(KEY, cb.ACK, cid), message_id=40)
    assert toasts(ack) == ["已受理，已通知业主。"] and edits(ack)[0].message_id == 40
    assert toasts(await talk.tap(AGENT, cb.pack(KEY, cb.ACK, cid))) == [None]  # a repeat
    prompt = await talk.tap(AGENT, cb.pack(KEY, cb.REPLY, cid))
    assert "请直接输入给业主的回复" in sent(prompt)[0]
    assert "已转达给业主" in sent(await talk.send(AGENT, "明天上午上门处理"))[0]
    async with talk.db() as s:
        relayed = (await s.exec(select(ComplaintMessage))).all()
    assert [m.text for m in relayed] == ["明天上午上门处理"]
    resolved = await talk.tap(AGENT, cb.pack(KEY, cb.RESOLVE, cid))
    assert "已标记为解决" in (toasts(resolved)[0] or "")
    follow_up = await talk.tap(OWNER, cb.pack(KEY, cb.FOLLOW_UP, cid, 1), message_id=41)
    assert "很高兴" in edits(follow_up)[0].text
    async with talk.db() as s:
        complaint = await s.get(Complaint, cid)
    assert complaint is not None and complaint.status == "closed_satisfied"


async def test_buttons_are_refused_by_role_and_to_other_agents(talk: Talk) -> None:
    cid = await _complained(talk)
    other = await talk.tap(OTHER_AGENT, cb.pack(KEY, cb.ACK, cid))
    assert toasts(other) == ["这条投诉不是分配给您的。"]
    # Reply and Appeal say the same (an agent's old card after a reassignment), not that
    # the complaint is gone, and wait for no text from them.
    for op in (cb.REPLY, cb.APPEAL):
        assert toasts(await talk.tap(OTHER_AGENT, cb.pack(KEY, op, cid))) == [
            "这条投诉不是分配给您的。"]
    assert "没有需要取消" in sent(await talk.send(OTHER_AGENT, "/cancel"))[0]
    assert NOT_AGENT in (toasts(await talk.tap(MANAGER, cb.pack(KEY, cb.ACK, cid)))[0] or "")
    assert NOT_MANAGER in (toasts(await talk.tap(AGENT, cb.pack(KEY, cb.VOID, 1)))[0] or "")
    forged = cb.pack(KEY, cb.ACK, cid)[:-1] + "x"
    assert "失效" in (toasts(await talk.tap(AGENT, forged))[0] or "")
    follow_up = await talk.tap(AGENT, cb.pack(KEY, cb.FOLLOW_UP, cid, 1))
    assert "投诉的业主" in (toasts(follow_up)[0] or "")
    async with talk.db() as s:
        complaint = await s.get(Complaint, cid)
    assert complaint is not None and complaint.status == "open"


async def test_an_appeal_is_filed_by_the_agent_and_voided_by_the_manager(talk: Talk) -> None:
    cid = await _complained(talk)
    assert "自己工作" in sent(await talk.send(OTHER_AGENT, f"/appeal {cid} 不是我"))[0]
    assert "已提交" in sent(await talk.send(AGENT, f"/appeal {cid} 业主弄错了师傅"))[0]
    assert "已有一条待裁决的申诉" in sent(await talk.send(AGENT, f"/appeal {cid} 再来一次"))[0]
    listing = await talk.send(MANAGER, "/appeals")
    assert "1 条申诉待裁决" in sent(listing)[0]
    prompt = await talk.tap(MANAGER, button_data(listing, "支持"))
    assert "请用一条消息发送理由" in sent(prompt)[0]
    assert "记录已作废" in sent(await talk.send(MANAGER, "核实为误派"))[0]
    async with talk.db() as s:
        appeal = (await s.exec(select(Appeal))).one()
        complaint = await s.get(Complaint, cid)
    assert appeal.status == "voided" and complaint is not None and complaint.voided
    again = await talk.tap(MANAGER, button_data(listing, "支持"))
    assert "已经裁决" in (toasts(again)[0] or "")


async def test_cancel_forgets_the_prompt_and_the_next_text_is_not_relayed(talk: Talk) -> None:
    cid = await _complained(talk)
    assert "没有需要取消" in sent(await talk.send(AGENT, "/cancel"))[0]
    await talk.tap(AGENT, cb.pack(KEY, cb.REPLY, cid))
    assert sent(await talk.send(AGENT, "/cancel")) == ["已取消。"]
    assert "您可以使用的命令" in sent(await talk.send(AGENT, "这句不转达"))[0]
    async with talk.db() as s:
        assert (await s.exec(select(ComplaintMessage))).all() == []


async def test_an_owners_text_outside_a_survey_is_a_direct_complaint(talk: Talk) -> None:
    await bind_owner(talk, OWNER)
    receipt = sent(await talk.send(OWNER, "电梯又坏了，一直没人修"))[0]
    assert "您的投诉 #" in receipt and "小时内" in receipt
    assert "描述您的投诉" in sent(await talk.send(OWNER, "/complain"))[0]
    assert "您的投诉 #" in sent(await talk.send(OWNER, "楼道灯也不亮"))[0]
    async with talk.db() as s:
        assert len((await s.exec(select(Complaint))).all()) == 2


async def test_a_bound_agent_sending_start_again_is_not_asked_for_a_phone(talk: Talk) -> None:
    [reply] = await talk.send(AGENT, "/start")
    assert isinstance(reply, Send)
    assert "/help" in reply.message.text and reply.message.request_contact is None
    [stranger] = await talk.send(OTHER_AGENT + 100, "/start")
    assert isinstance(stranger, Send) and stranger.message.request_contact  # owners still are


async def test_how_points_a_manager_at_agent_and_an_agent_at_me(talk: Talk) -> None:
    manager = sent(await talk.send(MANAGER, "/how 2026-11"))[0]
    agent = sent(await talk.send(AGENT, "/how 2026-11"))[0]
    assert "/me" not in manager and "/agent 姓名 2026-11" in manager
    assert agent.endswith("/me 2026-11。")


async def test_agent_with_a_period_it_cannot_read_says_the_period_not_an_unknown_agent(
        talk: Talk) -> None:
    reply = sent(await talk.send(MANAGER, "/agent 王晓梅 2026-99"))[0]
    assert "2026-99" in reply and "周期" in reply and "没有名为" not in reply
    # The hint a Chinese reader gets names periods in Chinese, and those words work.
    assert "本周、本月、上周、上月" in reply and "last-week" not in reply
    assert "2026-W" in "\n".join(sent(await talk.send(MANAGER, "/agent 王晓梅 上周")))
    assert "last-week" not in sent(await talk.send(MANAGER, "/agent"))[0]
    assert "没有名为“孙悟空" in sent(await talk.send(MANAGER, "/agent 孙悟空 2026-99"))[0]


async def test_several_matching_agents_are_listed_in_the_readers_punctuation(
        talk: Talk) -> None:
    await add_agent(db=talk.db, external_id="A003", name="王晓明", community_code="GG")
    reply = sent(await talk.send(MANAGER, "/agent 王晓"))[0]
    assert "王晓梅（A001）" in reply and "王晓明（A003）" in reply and "、" in reply
    assert "(" not in reply and ", " not in reply


async def test_an_agents_closed_orders_are_listed_with_the_readers_separator(
        talk: Talk) -> None:
    await close_order(talk, OWNER, "WO-1")
    await close_order(talk, OWNER, "WO-2")
    detail = "\n".join(sent(await talk.send(MANAGER, "/agent 王晓梅")))
    assert "结单工单：WO-1、WO-2" in detail or "结单工单：WO-2、WO-1" in detail
