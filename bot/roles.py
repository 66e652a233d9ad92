"""Role checks shared by both chat runtimes: who is this account, what may it run.

An account may hold several roles (an agent who also lives in the community is an owner
too). Inactive agents and managers hold no staff role. A manager with a community sees only
that community; one without sees every community.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from bot.i18n import N_, Translator
from surveys.core.db import SessionFactory
from surveys.models import Agent, Manager, Owner

AGENT = "agent"
MANAGER = "manager"
OWNER = "owner"

AGENT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("me", N_("My figures this week")),
    ("complaints", N_("My open complaints")),
    ("appeal", N_("Appeal a complaint or rating: /appeal ID reason")),
    ("language", N_("Change the language (中文 / English)")),
    ("help", N_("What this bot does")),
)
MANAGER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("report", N_("Team report: /report [week|month|2026-11|2026-W47]")),
    ("agent", N_("One agent's detail: /agent NAME")),
    ("complaints", N_("Open and overdue complaints")),
    ("appeals", N_("Pending appeals")),
    ("export", N_("XLSX workbook: /export [period]")),
    ("chart", N_("PNG chart: /chart [period]")),
    ("language", N_("Change the language (中文 / English)")),
    ("help", N_("What this bot does")),
)
MANAGER_ONLY = frozenset({"report", "agent", "appeals", "export", "chart"})
AGENT_ONLY = frozenset({"me", "appeal"})
STAFF_COMMANDS = MANAGER_ONLY | AGENT_ONLY | {"complaints"}

NOT_MANAGER = N_("Sorry, this command is for managers only.")
NOT_AGENT = N_("Sorry, this command is for agents only.")
NOT_STAFF = N_("Sorry, this command is for agents and managers only.")


@dataclass(frozen=True)
class StaffIdentity:
    """The staff roles of one Telegram account (active rows only)."""

    telegram_user_id: int
    agent_id: int | None = None
    agent_name: str | None = None
    agent_community_id: int | None = None
    manager_id: int | None = None
    manager_community_id: int | None = None  # None: every community
    owner_id: int | None = None
    locale: str | None = None

    @property
    def is_agent(self) -> bool:
        return self.agent_id is not None

    @property
    def is_manager(self) -> bool:
        return self.manager_id is not None

    @property
    def is_staff(self) -> bool:
        return self.is_agent or self.is_manager

    @property
    def roles(self) -> tuple[str, ...]:
        """Return the roles held, managers first."""
        pairs = ((MANAGER, self.manager_id), (AGENT, self.agent_id), (OWNER, self.owner_id))
        return tuple(role for role, ident in pairs if ident is not None)


async def staff_identity(*, db: SessionFactory, telegram_user_id: int) -> StaffIdentity:
    """Look up the active agent, manager and owner rows bound to a Telegram account."""
    async with db() as s:
        agent = (await s.exec(select(Agent).where(
            Agent.telegram_user_id == telegram_user_id))).first()
        manager = (await s.exec(select(Manager).where(
            Manager.telegram_user_id == telegram_user_id))).first()
        owner = (await s.exec(select(Owner).where(
            Owner.telegram_user_id == telegram_user_id))).first()
    agent = agent if agent is not None and agent.active else None
    manager = manager if manager is not None and manager.active else None
    locale = next((r.language for r in (manager, agent, owner) if r and r.language), None)
    return StaffIdentity(
        telegram_user_id=telegram_user_id,
        agent_id=agent.id if agent else None,
        agent_name=agent.name if agent else None,
        agent_community_id=agent.community_id if agent else None,
        manager_id=manager.id if manager else None,
        manager_community_id=manager.community_id if manager else None,
        owner_id=owner.id if owner else None,
        locale=locale,
    )


def refusal(identity: StaffIdentity, command: str) -> str | None:
    """Return the refusal msgid when this account may not run the command, else None."""
    if command in MANAGER_ONLY and not identity.is_manager:
        return NOT_MANAGER
    if command in AGENT_ONLY and not identity.is_agent:
        return NOT_AGENT
    if command == "complaints" and not identity.is_staff:
        return NOT_STAFF
    return None


def menu(identity: StaffIdentity) -> tuple[tuple[str, str], ...]:
    """Return the command menu of this account's roles (managers' first, no duplicates)."""
    seen: dict[str, str] = {}
    groups = []
    if identity.is_manager:
        groups.append(MANAGER_COMMANDS)
    if identity.is_agent:
        groups.append(AGENT_COMMANDS)
    for group in groups:
        for command, description in group:
            seen.setdefault(command, description)
    return tuple(seen.items())


def menu_texts(identity: StaffIdentity, tr: Translator) -> list[tuple[str, str]]:
    """Return the menu with descriptions in the translator's language."""
    return [(command, tr._(description)) for command, description in menu(identity)]
