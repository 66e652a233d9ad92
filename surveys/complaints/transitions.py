"""The one way a complaint's state changes: a compare-and-set UPDATE."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.models import Complaint


async def move(s: AsyncSession, complaint: Complaint, *conditions: Any, **values: Any) -> bool:
    """Change the complaint only if it is still in the state `conditions` describe.

    A compare-and-set: two taps handled at once each read the complaint, but only the change
    whose starting state still holds is written; the other sees False. The row is read
    again either way, so the caller words the state that is stored now.
    """
    result = await s.exec(update(Complaint)
                          .where(col(Complaint.id) == complaint.id, *conditions)
                          .values(**values))
    await s.refresh(complaint)
    return bool(result.rowcount)
