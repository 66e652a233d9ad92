"""A closed order's category and unit, and repeat problems of the same unit (API/CLI and CSV)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from scoring.categories import CategoryConfig
from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import close_work_order
from surveys.intake.csv_import import import_orders_csv
from surveys.intake.refusals import UnknownCategory
from surveys.models import Agent, Manager, OutboxMessage, Owner, WorkOrder
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.repeat_payloads import RepeatProblemPayload
from tests.fixtures.service_world import close, order, setup_people

DAY = timedelta(days=1)
T0 = datetime(2026, 11, 2, 9, 0)


@pytest.fixture(autouse=True)
async def people(db: SessionFactory) -> None:
    await setup_people(db)
    async with db() as s, s.begin():
        s.add(Manager(name="周经理", telegram_user_id=900, chat_id=900, language="en"))


async def _orders(db: SessionFactory) -> dict[str, WorkOrder]:
    async with db() as s:
        return {w.external_id: w for w in (await s.exec(select(WorkOrder))).all()}


async def _alerts(db: SessionFactory) -> list[OutboxMessage]:
    async with db() as s:
        return list((await s.exec(select(OutboxMessage).where(
            OutboxMessage.kind == OutboxKind.REPEAT_PROBLEM))).all())


async def test_a_named_category_is_stored_by_code_and_the_owners_unit_with_the_order(
        db: SessionFactory) -> None:
    await close(db, "WO-1", category="电梯")
    await close(db, "WO-2", "13900001111", title="楼道垃圾没人清")
    orders = await _orders(db)
    assert (orders["WO-1"].category, orders["WO-1"].building, orders["WO-1"].room) == (
        "elevator", "3", "1201")
    assert orders["WO-2"].category == "cleaning"  # inferred from the title


async def test_an_unknown_category_is_refused_and_nothing_is_stored(db: SessionFactory) -> None:
    with pytest.raises(UnknownCategory) as refused:
        await close(db, "WO-1", phone="13900009999", category="水管工",
                    agent_external_id="A-NEW", agent_name="新客服")
    assert refused.value.values["category"] == "水管工"
    assert "water_power" in refused.value.values["known"]
    async with db() as s:
        assert (await s.exec(select(WorkOrder))).all() == []
        assert (await s.exec(select(Owner))).all() == []
        assert len((await s.exec(select(Agent))).all()) == 1  # only the seeded one


async def test_the_same_unit_and_category_within_the_window_is_a_repeat_of_the_latest(
        db: SessionFactory) -> None:
    await close(db, "WO-1", closed_at=T0)  # 厨房水管漏水: water_power
    await close(db, "WO-2", closed_at=T0 + 3 * DAY, title="卫生间水龙头坏了")
    await close(db, "WO-3", closed_at=T0 + 4 * DAY, title="电梯异响")  # another category
    await close(db, "WO-4", "13900001111", closed_at=T0 + 5 * DAY,  # same room, other owner
                owner={"name": "李女士", "phone": "13900001111", "building": "3",
                       "room": "1202"})
    await close(db, "WO-5", closed_at=T0 + 40 * DAY)  # outside 30 days of both
    orders = await _orders(db)
    assert [(k, o.occurrence) for k, o in sorted(orders.items())] == [
        ("WO-1", 1), ("WO-2", 2), ("WO-3", 1), ("WO-4", 1), ("WO-5", 1)]
    assert orders["WO-2"].repeat_of_id == orders["WO-1"].id and orders["WO-2"].is_repeat


async def test_the_third_time_alerts_the_managers_once_and_the_fourth_does_not(
        db: SessionFactory) -> None:
    for n in range(4):
        await close(db, f"WO-{n}", closed_at=T0 + n * DAY)
    await close(db, "WO-2")  # a re-close changes nothing
    alerts = await _alerts(db)
    assert [a.chat_id for a in alerts] == [900]
    payload = RepeatProblemPayload.of(alerts[0].payload)
    assert (payload.work_order_external_id, payload.occurrence, payload.building, payload.room,
            payload.category, payload.locale) == ("WO-2", 3, "3", "1201", "water_power", "en")


async def test_other_and_orders_without_a_room_never_repeat(db: SessionFactory) -> None:
    await close(db, "WO-1", closed_at=T0, title="谢谢")
    await close(db, "WO-2", closed_at=T0 + DAY, title="谢谢")
    await close(db, "WO-3", "13900001111", closed_at=T0, owner={"name": "赵", "phone":
                "13900001111"})
    await close(db, "WO-4", "13900001111", closed_at=T0 + DAY, owner={"name": "赵", "phone":
                "13900001111"})
    assert {o.occurrence for o in (await _orders(db)).values()} == {1}


async def test_a_seven_day_repeat_window_counts_only_the_orders_within_seven_days(
        db: SessionFactory) -> None:
    week = CategoryConfig(repeat_days=7)
    for n, day in enumerate((0, 10, 12)):
        await close_work_order(db=db, order=order(f"WO-{n}", closed_at=T0 + day * DAY),
                               survey_config=SurveyConfig(), categories=week)
    assert [o.occurrence for _, o in sorted((await _orders(db)).items())] == [1, 1, 2]


HEADER = "external_id,community_code,owner_name,owner_phone,building,room,agent_external_id," \
         "title,category,closed_at\n"


async def test_a_csv_row_with_an_unknown_category_is_refused_alone_and_repeats_count_in_the_file(
        db: SessionFactory, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "\n".join([
        "WO-1,GG,王先生,13812345678,3,1201,A-7,漏水,水电,2026-11-02T09:00:00",
        "WO-2,GG,王先生,13812345678,3,1201,A-7,又漏水,,2026-11-05T09:00:00",
        "WO-3,GG,王先生,13812345678,3,1201,A-7,还是漏,Water & power,2026-11-06T09:00:00",
        "WO-4,GG,李女士,13900001111,3,1202,A-7,门坏了,木工,2026-11-06T09:00:00",
    ]) + "\n", encoding="utf-8")
    report = await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
    assert (report.created, report.rejected) == (3, 1)
    assert [(e.key, [p.code for p in e.problems]) for e in report.errors] == [
        ("WO-4", ["unknown_category"])]
    orders = await _orders(db)
    assert [(k, o.category, o.occurrence) for k, o in sorted(orders.items())] == [
        ("WO-1", "water_power", 1), ("WO-2", "water_power", 2), ("WO-3", "water_power", 3)]
    assert orders["WO-3"].repeat_of_id == orders["WO-2"].id
    assert [RepeatProblemPayload.of(a.payload).work_order_external_id
            for a in await _alerts(db)] == ["WO-3"]
