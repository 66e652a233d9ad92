"""A number no row can have (ids are INTEGER columns) is 'not there', never a database error."""

from __future__ import annotations

import pytest

from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from surveys.people.binding import create_invite
from surveys.people.staffing import deactivate_manager, deactivate_revisitor
from surveys.survey.revisit_staff import recorder_named
from tests.fixtures.service_world import setup_people

TOO_LARGE = (2**31, 3_000_000_000, 2**63 + 1)


@pytest.mark.parametrize("number", TOO_LARGE)
async def test_deactivating_staff_by_an_id_beyond_any_row_says_nobody_has_it(
        db: SessionFactory, number: int) -> None:
    await setup_people(db)
    with pytest.raises(NotFound):
        await deactivate_manager(db=db, manager_id=number)
    with pytest.raises(NotFound):
        await deactivate_revisitor(db=db, revisitor_id=number)


@pytest.mark.parametrize("role", ["owner", "agent", "manager", "revisitor"])
async def test_an_invite_for_an_id_beyond_any_row_says_nobody_has_it(
        db: SessionFactory, role: str) -> None:
    await setup_people(db)
    for number in TOO_LARGE:
        with pytest.raises(NotFound):
            await create_invite(db=db, role=role, subject_id=number, ttl=24, secret="s" * 32)


@pytest.mark.parametrize("staff", ["²", "②", str(2**31), str(2**64)])
async def test_a_revisit_staff_name_of_odd_digits_is_an_unknown_name(
        db: SessionFactory, staff: str) -> None:
    await setup_people(db)
    with pytest.raises(NotFound):
        await recorder_named(db=db, staff=staff)
