"""Who a Telegram account is: its owner, agent, manager and 回访 rows, and its language.

One lookup serves every update (the runtime pipeline loads it once and hands it on). An
account may hold several roles (an agent who also lives in the community is an owner too).
Inactive agents and managers hold no staff role. A manager with a community sees only that
community; one without sees every community.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import ColumnElement, CompoundSelect, false, literal_column, select, union_all
from sqlmodel import col

from surveys.core.db import SessionFactory
from surveys.models import Agent, Manager, Owner, Revisitor, Role


@dataclass(frozen=True)
class Identity:
    """The roles of one Telegram account (active staff rows only) and its stored language."""

    telegram_user_id: int
    owner_id: int | None = None  # the first home; `owner_ids` has them all
    owner_ids: tuple[int, ...] = ()  # every home (owner row) the account holds
    opted_out: bool = False  # every home stopped surveys (/stop is the account's)
    # The owner row is marked unreachable (Telegram refused its chat, surveys.outbox.reach):
    # an update from the person shows the chat open again.
    unreachable: bool = False
    agent_id: int | None = None
    agent_name: str | None = None
    agent_community_id: int | None = None
    manager_id: int | None = None
    manager_community_id: int | None = None  # None: every community
    revisitor_id: int | None = None  # 回访 staff
    revisitor_community_id: int | None = None  # None: every community
    locale: str | None = None  # None: nothing stored, the client's language decides

    @property
    def is_owner(self) -> bool:
        return self.owner_id is not None

    @property
    def is_agent(self) -> bool:
        return self.agent_id is not None

    @property
    def is_manager(self) -> bool:
        return self.manager_id is not None

    @property
    def is_revisitor(self) -> bool:
        return self.revisitor_id is not None

    @property
    def may_revisit(self) -> bool:
        """Tell whether the account may record staff 回访 (回访 staff and managers)."""
        return self.is_revisitor or self.is_manager

    @property
    def is_staff(self) -> bool:
        return self.is_agent or self.is_manager

    @property
    def roles(self) -> tuple[str, ...]:
        """Return the roles held, managers first."""
        pairs = ((Role.MANAGER, self.manager_id), (Role.REVISITOR, self.revisitor_id),
                 (Role.AGENT, self.agent_id), (Role.OWNER, self.owner_id))
        return tuple(str(role) for role, ident in pairs if ident is not None)

    @property
    def bound(self) -> bool:
        """Tell whether the account holds any role."""
        return bool(self.roles)


def _rows(telegram_user_id: int
          ) -> CompoundSelect[str, int, str, int | None, str | None, bool, bool]:
    """One statement for the three tables: one round trip per update, not three.

    Columns: role, id, name, community id, language, a flag (an owner's opt-out, a staff
    row's active) and whether an owner row is marked unreachable.
    """

    def role(name: str) -> ColumnElement[str]:
        return literal_column(f"'{name}'").label("role")

    unmarked = false().label("marked")
    return union_all(
        select(role(Role.OWNER), col(Owner.id), col(Owner.name), col(Owner.community_id),
               col(Owner.language), col(Owner.opted_out).label("flag"),
               col(Owner.unreachable_since).is_not(None).label("marked"),
               ).where(col(Owner.telegram_user_id) == telegram_user_id),
        # Inactive agents and managers hold no staff role.
        select(role(Role.AGENT), col(Agent.id), col(Agent.name), col(Agent.community_id),
               col(Agent.language), col(Agent.active).label("flag"), unmarked,
               ).where(col(Agent.telegram_user_id) == telegram_user_id,
                       col(Agent.active).is_(True)),
        select(role(Role.MANAGER), col(Manager.id), col(Manager.name),
               col(Manager.community_id), col(Manager.language),
               col(Manager.active).label("flag"), unmarked,
               ).where(col(Manager.telegram_user_id) == telegram_user_id,
                       col(Manager.active).is_(True)),
        select(role(Role.REVISITOR), col(Revisitor.id), col(Revisitor.name),
               col(Revisitor.community_id), col(Revisitor.language),
               col(Revisitor.active).label("flag"), unmarked,
               ).where(col(Revisitor.telegram_user_id) == telegram_user_id,
                       col(Revisitor.active).is_(True)),
    )


class _HasLanguage(Protocol):
    @property
    def language(self) -> str | None: ...


def stored_language(manager: _HasLanguage | None, agent: _HasLanguage | None,
                    owner: _HasLanguage | None, revisitor: _HasLanguage | None = None
                    ) -> str | None:
    """Return the language stored for an account from its manager, agent and owner rows.

    Binding stores the language the account already has, so the rows agree; should they not,
    a staff role's choice wins (it was made later, with an invite).
    """
    return next((r.language for r in (manager, revisitor, agent, owner) if r and r.language),
                None)


async def identify(*, db: SessionFactory, telegram_user_id: int) -> Identity:
    """Look up the owner and the active agent and manager rows bound to a Telegram account."""
    async with db() as s:
        connection = await s.connection()  # a plain SQLAlchemy result: rows, not models
        found = list(await connection.execute(_rows(telegram_user_id)))
    rows = {row.role: row for row in found}
    homes = sorted((row for row in found if row.role == Role.OWNER), key=lambda row: row.id)
    owner = homes[0] if homes else None
    agent, manager, revisitor = (
        rows.get(str(role)) for role in (Role.AGENT, Role.MANAGER, Role.REVISITOR))
    locale = stored_language(manager, agent, owner, revisitor)
    return Identity(
        telegram_user_id=telegram_user_id,
        owner_id=owner.id if owner else None,
        owner_ids=tuple(row.id for row in homes),
        opted_out=bool(homes) and all(row.flag for row in homes),
        unreachable=any(row.marked for row in homes),
        agent_id=agent.id if agent else None,
        agent_name=agent.name if agent else None,
        agent_community_id=agent.community_id if agent else None,
        manager_id=manager.id if manager else None,
        manager_community_id=manager.community_id if manager else None,
        revisitor_id=revisitor.id if revisitor else None,
        revisitor_community_id=revisitor.community_id if revisitor else None,
        locale=locale,
    )
