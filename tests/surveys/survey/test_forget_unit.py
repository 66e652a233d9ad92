"""/forget blanks the room of the owner's work orders: building and room in a community name a
household, so a person. The building, category and repeat marks stay, so the reports by
building and the repeats counted against agents read as before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from surveys.assessment.breakdowns import load_breakdowns
from surveys.core.db import SessionFactory
from surveys.models import Manager, OutboxMessage, WorkOrder
from surveys.outbox.kinds import OutboxKind
from surveys.survey.forget import forget_owner
from tests.fixtures.service_world import bind, close, setup_people

DAY = timedelta(days=1)
T0 = datetime(2026, 11, 2, 9, 0)
OWNER_TG = 501
LEAKS = ("厨房水管漏水", "卫生间水龙头坏了", "厨房水管又漏水了")  # water_power, three times


@pytest.fixture(autouse=True)
async def people(db: SessionFactory) -> None:
    await setup_people(db)
    async with db() as s, s.begin():
        s.add(Manager(name="周经理", telegram_user_id=900, chat_id=900, language="zh_CN"))


async def _three_leaks(db: SessionFactory) -> None:
    for n, title in enumerate(LEAKS):
        await close(db, f"WO-{n + 1}", closed_at=T0 + n * DAY, title=title)
    await bind(db, OWNER_TG)


async def _orders(db: SessionFactory) -> list[WorkOrder]:
    async with db() as s:
        return list((await s.exec(select(WorkOrder).order_by(col(WorkOrder.id)))).all())


async def test_the_forgotten_owners_orders_keep_building_category_and_repeats_but_no_room(
        db: SessionFactory) -> None:
    await _three_leaks(db)
    before = await load_breakdowns(db=db, start=T0 - DAY, end=T0 + 10 * DAY)
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    orders = await _orders(db)
    assert [(o.building, o.room, o.category, o.occurrence) for o in orders] == [
        ("3", None, "water_power", 1), ("3", None, "water_power", 2),
        ("3", None, "water_power", 3)]
    assert [o.repeat_of_id for o in orders] == [None, orders[0].id, orders[1].id]
    assert await load_breakdowns(db=db, start=T0 - DAY, end=T0 + 10 * DAY) == before


async def test_the_repeat_alert_about_the_forgotten_owners_unit_loses_the_room(
        db: SessionFactory) -> None:
    await _three_leaks(db)
    async with db() as s:
        alert = (await s.exec(select(OutboxMessage).where(
            OutboxMessage.kind == OutboxKind.REPEAT_PROBLEM))).one()
    assert (alert.payload["building"], alert.payload["room"]) == ("3", "1201")
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    async with db() as s:
        alert = (await s.exec(select(OutboxMessage).where(
            OutboxMessage.kind == OutboxKind.REPEAT_PROBLEM))).one()
    assert (alert.payload["building"], alert.payload["room"], alert.payload["occurrence"]) == (
        "3", "", 3)


async def test_a_later_order_of_that_unit_is_not_a_repeat_of_the_forgotten_owners_orders(
        db: SessionFactory) -> None:
    await _three_leaks(db)
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    await close(db, "WO-9", "13900001111", closed_at=T0 + 5 * DAY,  # the next resident
                owner={"name": "李女士", "phone": "13900001111", "building": "3",
                       "room": "1201"})
    latest = (await _orders(db))[-1]
    assert (latest.room, latest.occurrence, latest.repeat_of_id) == ("1201", 1, None)
