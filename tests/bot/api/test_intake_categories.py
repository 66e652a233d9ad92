"""The intake API's category field: a name or code is taken, an unknown one is a 422."""

from __future__ import annotations

from sqlmodel import select

from surveys.core.db import SessionFactory
from surveys.models import Owner, WorkOrder
from tests.fixtures.intake_api import Api, order, post_order


async def test_an_unknown_category_is_a_422_naming_it_and_the_known_ones(
        api: Api, db: SessionFactory) -> None:
    status, answer = await post_order(api, order(category="木工"))
    assert status == 422
    assert answer["code"] == "unknown_category"
    assert "木工" in str(answer["detail"]) and "elevator" in str(answer["detail"])
    async with db() as s:
        assert (await s.exec(select(WorkOrder))).all() == []
        assert (await s.exec(select(Owner))).all() == []


async def test_a_category_sent_by_its_chinese_name_is_stored_by_code(
        api: Api, db: SessionFactory) -> None:
    status, _ = await post_order(api, order(category="门禁/安防"))
    assert status == 201
    async with db() as s:
        stored = (await s.exec(select(WorkOrder))).one()
    assert (stored.category, stored.building, stored.room) == ("access_security", "3", "1201")
