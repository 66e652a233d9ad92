"""Fixtures of the production tests: a seeded PostgreSQL database and the emulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from bot.emulator.client import EmulatorClient
from bot.emulator.server import EmulatorServer, running_emulator
from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.intake.close import close_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.models import OutboxMessage
from surveys.people.binding import bind_owner_by_contact
from surveys.people.directory import OwnerIn, add_agent, add_community, add_owner
from tests.prod.replicas import Replica, fleet

COMMUNITY = "sunny"
FIRST_USER = 810_000


@dataclass
class World:
    db: SessionFactory
    emulator: EmulatorServer
    users: list[int]


async def seed_bound_owners(db: SessionFactory, emulator: EmulatorServer, count: int) -> list[int]:
    """Create a community, an agent and `count` owners bound to emulator users."""
    await add_community(db=db, code=COMMUNITY, name="阳光花园")
    await add_agent(db=db, external_id="A001", name="王晓梅", community_code=COMMUNITY)
    users = [FIRST_USER + i for i in range(count)]
    for i, uid in enumerate(users):
        phone = f"139{i:08d}"
        await add_owner(
            db=db,
            community_code=COMMUNITY,
            name=f"业主{i}",
            phone=phone,
            building="1",
            room=f"{i:04d}",
        )
        await bind_owner_by_contact(
            db=db,
            telegram_user_id=uid,
            chat_id=uid,
            phone=phone,
            contact_user_id=uid,
            language="zh_CN",
        )
        await emulator.client.user(uid, f"业主{i}")
    return users


async def close_orders(db: SessionFactory, users: list[int], prefix: str) -> None:
    """Close one work order per owner (the property system reporting them)."""
    for uid in users:
        i = uid - FIRST_USER
        order = WorkOrderIn(
            external_id=f"{prefix}-{i:05d}",
            community_code=COMMUNITY,
            owner=OwnerIn(name=f"业主{i}", phone=f"139{i:08d}", building="1", room=f"{i:04d}"),
            agent_external_id="A001",
            title="厨房水管漏水维修",
        )
        await close_work_order(db=db, order=order, survey_config=SurveyConfig())


async def outbox_settled(db: SessionFactory, timeout: float = 120) -> None:  # noqa: ASYNC109
    """Wait until no outbox row is pending or being sent."""
    deadline = time.monotonic() + timeout
    while True:
        async with db() as s:
            busy = (
                await s.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(col(OutboxMessage.status).in_(("pending", "sending")))
                )
            ).one()
        if not busy:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{busy} outbox rows still unsent after {timeout} s")
        await asyncio.sleep(0.25)


@dataclass
class Solo:
    """One replica process and the bound owners it serves."""

    users: list[int]
    client: EmulatorClient
    replica: Replica


@asynccontextmanager
async def solo_replica(world: World, db_url: str, tmp: Path, runtime: str, *, owners: int
                       ) -> AsyncIterator[Solo]:
    """Seed `owners` bound owners and run one webhook replica; stop it and clear faults after."""
    users = await seed_bound_owners(world.db, world.emulator, owners)
    replicas = fleet(count=1, db_url=db_url, api_base=world.emulator.base_url, tmp=tmp,
                     runtime=runtime)
    try:
        await replicas.start()
        yield Solo(users=users, client=world.emulator.client, replica=replicas.replicas[0])
    finally:
        await world.emulator.client.clear_faults()
        replicas.stop()


@pytest.fixture
async def pg_world(pg_db_url: str) -> AsyncIterator[World]:
    """A fresh PostgreSQL database and an emulator enforcing Telegram's flood limits."""
    engine = create_engine(pg_db_url)
    try:
        async with running_emulator(flood_limits=True) as emulator:
            yield World(db=session_factory(engine), emulator=emulator, users=[])
    finally:
        await engine.dispose()
