"""Storing a person's language choice, and listing the chats whose menus follow it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput
from surveys.models import Agent, Manager, Owner
from surveys.people.directory import add_agent, add_community, add_owner
from surveys.people.language import choose_language, menu_targets
from surveys.people.staffing import add_manager, add_revisitor
from tests.fixtures.people import link_telegram


async def _languages(db: SessionFactory, user_id: int) -> list[str | None]:
    async with db() as s:
        rows: list[Any] = []
        for table in (Owner, Agent, Manager):
            rows += (await s.exec(select(table).where(table.telegram_user_id == user_id))).all()
    return [row.language for row in rows]


async def test_a_choice_is_stored_on_every_row_of_the_account_and_repeating_it_changes_nothing(
        db: SessionFactory) -> None:
    await add_community(db=db, code="GG", name="绿地花园")
    owner = await add_owner(db=db, community_code="GG", name="王先生", phone="13812345678")
    agent = await add_agent(db=db, external_id="A-1", name="李客服", community_code="GG")
    await link_telegram(db, owner, 42, "zh_CN")
    await link_telegram(db, agent, 42, None)

    first = await choose_language(db=db, telegram_user_id=42, language="en")
    again = await choose_language(db=db, telegram_user_id=42, language="en")

    assert (first.bound, first.changed) == (True, True)
    assert (again.bound, again.changed) == (True, False)
    assert await _languages(db, 42) == ["en", "en"]


async def test_an_unbound_account_stores_nothing(db: SessionFactory) -> None:
    choice = await choose_language(db=db, telegram_user_id=99, language="en")
    assert (choice.bound, choice.changed) == (False, False)
    assert await _languages(db, 99) == []


async def test_an_unknown_language_is_refused(db: SessionFactory) -> None:
    with pytest.raises(InvalidInput):
        await choose_language(db=db, telegram_user_id=42, language="fr")


async def test_menu_targets_page_through_staff_and_owners_with_a_stored_language(
        db: SessionFactory) -> None:
    await add_community(db=db, code="GG", name="绿地花园")
    for n in range(5):  # owners 100..104; only those with a language need a chat menu
        owner = await add_owner(db=db, community_code="GG", name=f"业主{n}",
                                phone=f"1381234567{n}")
        await link_telegram(db, owner, 100 + n, "en" if n % 2 == 0 else None)
    agent = await add_agent(db=db, external_id="A-1", name="李客服", community_code="GG")
    await link_telegram(db, agent, 101, None)  # also owner 101, who has no language stored
    manager = await add_manager(db=db, name="赵经理")
    await link_telegram(db, manager, 200, "zh_CN")
    retired = await add_agent(db=db, external_id="A-2", name="已离职", community_code="GG")
    await link_telegram(db, retired, 300, "zh_CN")
    async with db() as s, s.begin():
        row = await s.get(Agent, retired.id)
        assert row is not None
        row.active = False
        s.add(row)

    seen: list[Any] = []
    after: int | None = 0
    pages = 0
    while after is not None:
        page = await menu_targets(db=db, after=after, limit=2)
        seen += page.targets
        after, pages = page.next_after, pages + 1

    assert [t.telegram_user_id for t in seen] == [100, 101, 102, 104, 200]
    by_user = {t.telegram_user_id: t for t in seen}
    assert by_user[101].agent_id == agent.id and by_user[101].owner_id is not None
    assert by_user[101].language is None
    assert by_user[200].manager_id == manager.id and by_user[200].language == "zh_CN"
    assert by_user[104].language == "en" and by_user[104].chat_id == 104
    assert pages > 2  # it really paged


async def test_revisit_staff_get_their_chat_menu_again_at_start_up(db: SessionFactory) -> None:
    await add_community(db=db, code="GG", name="绿地花园")
    staff = await add_revisitor(db=db, name="孙回访", community_code="GG")
    await link_telegram(db, staff, 400, None)
    page = await menu_targets(db=db)
    assert [(t.telegram_user_id, t.revisitor_id) for t in page.targets] == [(400, staff.id)]
