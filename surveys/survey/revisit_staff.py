"""Who records a staff 回访: 回访 staff or a manager, their scope and their own agent rows.

`Recorder.of` reads it from a chat identity; `recorder_named` from the name or id a CSV
import gives (`surveys.intake.revisit_import`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, or_, select

from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden, NotFound
from surveys.core.ids import may_name_a_row, require_id
from surveys.core.text import storable
from surveys.models import Agent, Manager, Revisitor, Role
from surveys.people.identity import Identity


@dataclass(frozen=True)
class Recorder:
    """Who records a 回访: their role and row, their scope, and the agent rows they hold."""

    role: str  # Role.REVISITOR or Role.MANAGER
    id: int
    community_id: int | None  # None: every community
    own_agent_ids: frozenset[int] = frozenset()  # orders credited to these are their own

    @classmethod
    def of(cls, me: Identity) -> Recorder:
        """Return the recorder an account is, or refuse an account that may not record."""
        own = frozenset({me.agent_id} if me.agent_id is not None else set())
        if me.revisitor_id is not None:
            return cls(Role.REVISITOR, me.revisitor_id, me.revisitor_community_id, own)
        if me.manager_id is not None:
            return cls(Role.MANAGER, me.manager_id, me.manager_community_id, own)
        raise Forbidden("not 回访 staff", code=ErrorCode.NOT_REVISIT_STAFF)


async def recorder_named(*, db: SessionFactory, staff: str) -> Recorder:
    """Return the active 回访 staff (by id or exact name), else the active manager so named.

    Their own orders are those of an agent row bound to the same Telegram account or sharing
    their phone. Unknown or ambiguous names are refused (REVISITOR_UNKNOWN).
    """
    name = storable(staff or "").strip()
    async with db() as s:
        found: list[Revisitor | Manager] = []
        if name.isdecimal() and may_name_a_row(int(name)):
            row = await s.get(Revisitor, int(name))
            found = [row] if row is not None and row.active else []
        if not found:
            found = list((await s.exec(select(Revisitor).where(
                Revisitor.name == name, col(Revisitor.active).is_(True)))).all())
        if not found:
            found = list((await s.exec(select(Manager).where(
                Manager.name == name, col(Manager.active).is_(True)))).all())
        if len(found) != 1:
            raise NotFound(f"staff {name!r}", code=ErrorCode.REVISITOR_UNKNOWN, staff=name)
        person = found[0]
        same = [col(Agent.telegram_user_id) == person.telegram_user_id] \
            if person.telegram_user_id is not None else []
        if person.phone:
            same.append(col(Agent.phone) == person.phone)
        own = frozenset(a for a in (await s.exec(select(Agent.id).where(or_(*same)))).all()
                        if a is not None) if same else frozenset()
    role = Role.REVISITOR if isinstance(person, Revisitor) else Role.MANAGER
    return Recorder(role, require_id(person), person.community_id, own)
