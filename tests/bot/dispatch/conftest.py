"""Dispatch fixtures: the emulator, a real aiogram Bot pointed at it, seeded surveys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlmodel import select

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer, running_emulator
from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import survey_payload
from surveys.models import (
    Agent,
    Community,
    OutboxMessage,
    Owner,
    Survey,
    SurveyStatus,
    WorkOrder,
)
from surveys.outbox.ports import OutgoingMessage
from surveys.outbox.store import enqueue

TOKEN = "123456:dispatch-test-token"
FIRST_CHAT = 700_000


@pytest.fixture
async def emulator() -> AsyncIterator[EmulatorServer]:
    """Run an emulator with Telegram's flood limits (30/s per bot, 1/s per chat) on."""
    async with running_emulator(flood_limits=True) as server:
        yield server


@pytest.fixture
async def bot(emulator: EmulatorServer) -> AsyncIterator[Bot]:
    """Yield a real aiogram Bot talking HTTP to the emulator."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    bot = Bot(TOKEN, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
def messenger(bot: Bot) -> AiogramMessenger:
    """Return the production Messenger over the test bot."""
    return AiogramMessenger(bot)


def render(row: OutboxMessage) -> OutgoingMessage:
    """Render rows as a text naming the survey, so each delivery can be traced."""
    payload: dict[str, Any] = row.payload
    if row.kind == "text":
        return OutgoingMessage(chat_id=row.chat_id, text=str(payload["text"]))
    return OutgoingMessage(
        chat_id=row.chat_id, text=f"{row.kind} #{payload.get('survey_id')}",
        extra={"edit_message_id": str(payload["edit_message_id"])}
        if payload.get("edit_message_id") else {},
    )


async def seed_surveys(
    db: SessionFactory, emulator: EmulatorServer, count: int, *, first_chat: int = FIRST_CHAT
) -> list[int]:
    """Create `count` bound owners (emulator users too), closed orders and queued surveys."""
    for i in range(count):
        emulator.state.user(first_chat + i, f"Owner{i}")
    config = SurveyConfig()
    async with db() as s, s.begin():
        community = Community(code="dispatch", name="Dispatch Garden")
        agent = Agent(external_id="A-1", name="Agent Li")
        s.add(community)
        s.add(agent)
        await s.flush()
        owners = [
            Owner(community_id=community.id, name=f"Owner{i}", phone=f"139{i:08d}",
                  telegram_user_id=first_chat + i, chat_id=first_chat + i)
            for i in range(count)
        ]
        s.add_all(owners)
        await s.flush()
        orders = [
            WorkOrder(external_id=f"WO-{i}", community_id=community.id, owner_id=o.id,
                      agent_id=agent.id, title=f"Order {i}")
            for i, o in enumerate(owners)
        ]
        s.add_all(orders)
        await s.flush()
        surveys = [
            Survey(work_order_id=w.id, owner_id=o.id, agent_id=agent.id)
            for w, o in zip(orders, owners, strict=True)
        ]
        s.add_all(surveys)
        await s.flush()
        for survey, order, owner in zip(surveys, orders, owners, strict=True):
            await enqueue(
                s, kind="survey", dedupe_key=f"survey:{survey.id}", chat_id=owner.chat_id,
                survey_id=survey.id,
                payload=survey_payload(survey=survey, order=order, agent=agent,
                                       community=community, survey_config=config),
            )
        return [s_.id for s_ in surveys]


async def survey_statuses(db: SessionFactory) -> dict[str, int]:
    """Count surveys by status."""
    async with db() as s:
        rows = (await s.exec(select(Survey.status))).all()
    counts: dict[str, int] = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


async def outbox_rows(db: SessionFactory) -> list[OutboxMessage]:
    """Return every outbox row."""
    async with db() as s:
        return list((await s.exec(select(OutboxMessage))).all())


async def sent_texts_per_chat(emulator: EmulatorServer) -> dict[int, list[str]]:
    """Return the texts the bot sent, per chat, from the emulator's own log."""
    state = emulator.state.bot(TOKEN)
    result: dict[int, list[str]] = {}
    for chat_id, chat in state.chats.items():
        texts = [m.text or "" for m in chat.messages.values() if m.from_bot]
        if texts:
            result[chat_id] = texts
    return result


__all__ = ["SurveyStatus", "render", "seed_surveys"]
