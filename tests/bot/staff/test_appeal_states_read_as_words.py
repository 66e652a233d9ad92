"""An appeal's state in /me and /agent reads as words of the reader's language, never as the
stored code (pending / upheld / voided)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from surveys.core.db import SessionFactory
from surveys.models import Agent, Complaint
from tests.fixtures.bot_world import (
    AGENT,
    MANAGER,
    OWNER,
    Talk,
    bind_owner,
    build_talk,
    button_data,
    close_order,
    sent,
)

CODES = ("pending", "upheld", "voided")


@pytest.fixture
async def talk(db: SessionFactory) -> Talk:
    return await build_talk(db)


async def _appeals_line(talk: Talk, user: int, command: str) -> str:
    (text,) = sent(await talk.send(user, command))
    lines = text.splitlines()
    return lines[lines.index(next(x for x in lines if x in ("申诉", "Appeals"))) + 1]


async def _two_appeals(talk: Talk) -> tuple[int, int]:
    """A complaint and a low rating, each appealed by the agent; return (complaint, response)."""
    await bind_owner(talk, OWNER)
    survey_id = (await close_order(talk, OWNER)).survey_id
    for question in ("overall", "attitude", "clarity", "timeliness"):
        await talk.tap(OWNER, talk.rate(survey_id, question, 1))
    await talk.send(OWNER, "师傅态度很差，问题也没解决")
    async with talk.db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.id is not None and complaint.survey_id is not None
    await talk.send(AGENT, f"/appeal {complaint.id} 业主弄错了师傅")
    return complaint.id, complaint.survey_id


async def test_a_pending_appeal_reads_as_awaiting_a_decision_in_me(talk: Talk) -> None:
    await _two_appeals(talk)
    line = await _appeals_line(talk, AGENT, "/me")
    assert "待裁决" in line and not any(code in line for code in CODES), line


async def test_decided_appeals_read_as_the_decision_for_agent_and_manager(talk: Talk) -> None:
    await _two_appeals(talk)
    listing = await talk.send(MANAGER, "/appeals")
    await talk.tap(MANAGER, button_data(listing, "支持"))
    await talk.send(MANAGER, "核实为误派")
    mine = await _appeals_line(talk, AGENT, "/me")
    theirs = await _appeals_line(talk, MANAGER, "/agent 王晓梅")
    for line in (mine, theirs):
        assert "已作废" in line and not any(code in line for code in CODES), line
    async with talk.db() as s:
        agent = (await s.exec(select(Agent).where(Agent.external_id == "A001"))).one()
        agent.language = "en"
        s.add(agent)
        await s.commit()
    talk.languages[AGENT] = "en"
    english = await _appeals_line(talk, AGENT, "/me")
    assert "voided: no longer counts" in english, english
