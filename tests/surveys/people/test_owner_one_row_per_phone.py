"""One owner row per community and phone: concurrent closes, the intake and /forget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, func, select

from surveys import migrations
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.models import (
    AuditLog,
    Community,
    Complaint,
    Invite,
    Owner,
    Response,
    Survey,
    WorkOrder,
)
from surveys.people.directory import add_community
from surveys.survey.forget import forget_owner
from tests.fixtures.databases import later_columns
from tests.fixtures.points_data import PointsData
from tests.fixtures.service_world import bind, close, setup_people

PHONE = "13912345678"


async def test_fifty_concurrent_closes_for_one_new_phone_create_one_owner(
    db: SessionFactory,
) -> None:
    await setup_people(db)
    results = await asyncio.gather(
        *(close(db, f"WO-{i}", phone=PHONE) for i in range(50)))
    assert all(r.created for r in results)
    async with db() as s:
        owners = (await s.exec(select(Owner).where(Owner.phone == PHONE))).all()
        assert len(owners) == 1
        orders = (await s.exec(select(func.count()).select_from(WorkOrder)
                               .where(col(WorkOrder.owner_id) == owners[0].id))).one()
        surveys = (await s.exec(select(func.count()).select_from(Survey)
                                .where(col(Survey.owner_id) == owners[0].id))).one()
    assert (orders, surveys) == (50, 50)


@pytest.fixture
async def at_0003(scratch_db_url: str) -> AsyncIterator[AsyncEngine]:
    """A database of the test's own, taken back to the revision before the unique index."""
    engine = create_engine(scratch_db_url)
    await migrations.downgrade(engine, "0003")
    yield engine
    await engine.dispose()


async def test_the_migration_merges_duplicates_keeping_every_order_and_answer(
    at_0003: AsyncEngine,
) -> None:
    db = session_factory(at_0003)
    data = PointsData(db)
    # Rows are written with today's models: columns of later revisions exist meanwhile.
    async with later_columns(at_0003, Community, Owner, WorkOrder, Survey, Response, Complaint,
                             Invite):
        garden, park = await data.community("GG", "绿地花园"), await data.community("PK", "公园")
        agent = await data.agent("A-1", "李客服", garden)
        async with db() as s, s.begin():
            rows = [Owner(community_id=garden, name="王先生", phone=PHONE),
                    Owner(community_id=garden, name="王", phone=PHONE, building="3",
                          telegram_user_id=555, chat_id=555, language="en"),
                    Owner(community_id=garden, name="王先生", phone=PHONE, room="1201",
                          opted_out=True),
                    Owner(community_id=park, name="王先生", phone=PHONE),
                    Owner(community_id=garden, name="李女士", phone="13900001111")]
            s.add_all(rows)
            await s.flush()
            first, bound, third, elsewhere, other = (r.id for r in rows)
        when = datetime(2026, 11, 16, 2)
        orders = [await data.order(agent_id=agent, owner_id=o, community_id=garden, closed_at=when,
                                   sent_at=when, ratings=(5, 4, 4, 5))
                  for o in (first, bound, third, third)]
        complaint = await data.complaint(agent_id=agent, owner_id=third,
                                         opened_at=datetime(2026, 11, 16, 3))
        async with db() as s, s.begin():
            s.add(Invite(token_hash="h", role="owner", subject_id=first,
                         expires_at=datetime(2026, 12, 1)))

    await migrations.upgrade(at_0003)

    async with db() as s:
        owners = {o.id: o for o in (await s.exec(select(Owner))).all()}
        assert set(owners) == {bound, elsewhere, other}
        kept = owners[bound]
        assert (kept.name, kept.building, kept.room, kept.language, kept.opted_out,
                kept.telegram_user_id) == ("王", "3", "1201", "en", True, 555)
        assert {w.owner_id for w in (await s.exec(select(WorkOrder))).all()} == {bound}
        assert {v.owner_id for v in (await s.exec(select(Survey))).all()} == {bound}
        responses = (await s.exec(select(Response))).all()
        assert sorted(r.survey_id for r in responses) == sorted(o.survey_id for o in orders)
        assert (await s.get(Complaint, complaint)).owner_id == bound  # type: ignore[union-attr]
        assert (await s.exec(select(Invite))).one().subject_id == bound
        merge = (await s.exec(select(AuditLog).where(AuditLog.action == "owner.merge"))).one()
        assert merge.subject_id == bound and sorted(merge.detail["merged"]) == [first, third]
    with pytest.raises(IntegrityError):
        async with db() as s, s.begin():
            s.add(Owner(community_id=garden, name="again", phone=PHONE))


async def test_forget_erases_every_row_of_the_person_in_every_community(
    db: SessionFactory,
) -> None:
    await setup_people(db)
    await add_community(db=db, code="PK", name="公园")
    await close(db, "WO-1", phone=PHONE)
    await close(db, "WO-2", phone=PHONE, community_code="PK")
    await close(db, "WO-3", phone="13900001111")
    await bind(db, 777, phone=PHONE)
    async with db() as s, s.begin():
        for survey in (await s.exec(select(Survey))).all():
            s.add(Response(survey_id=survey.id, overall=2, comment=f"打我电话{PHONE}",
                           submitted_at=datetime(2026, 11, 16, 3)))
    erased = await forget_owner(db=db, telegram_user_id=777)
    assert erased is not None
    async with db() as s:
        owners = (await s.exec(select(Owner).order_by(col(Owner.id)))).all()
        comments = [r.comment for r in (await s.exec(select(Response).order_by(
            col(Response.id)))).all()]
        audit = (await s.exec(select(AuditLog).where(AuditLog.action == "owner.forget"))).all()
    assert [(o.name, o.phone, o.forgotten_at is not None) for o in owners] == [
        ("", None, True), ("", None, True), ("王先生", "13900001111", False)]
    assert comments == [None, None, f"打我电话{PHONE}"]
    assert sorted(a.subject_id for a in audit) == sorted(o.id for o in owners[:2])
