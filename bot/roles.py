"""Role checks shared by both chat runtimes: which commands an account may run and see.

Who the account is (`surveys.people.identity.Identity`) is loaded once per update.
"""

from __future__ import annotations

from bot.i18n import N_, Translator
from surveys.people.identity import Identity

AGENT_COMMANDS: tuple[tuple[str, str], ...] = (
    ("me", N_("My figures this week")),
    ("complaints", N_("My open complaints")),
    ("appeal", N_("Appeal a complaint or rating: /appeal ID reason")),
    ("review", N_("Review colleagues or yourself when asked: /review [period]")),
    ("how", N_("How points are computed: /how [period]")),
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
    ("review", N_("Review your agents: /review [period]")),
    ("revisit", N_("Record a phone or visit 回访: /revisit ORDER-ID")),
    ("unreachable", N_("Close a complaint whose owner cannot be reached: /unreachable ID note")),
    ("close", N_("Close a 考核 period: /close 2026-11")),
    ("payroll", N_("Payroll file of a closed period: /payroll 2026-11")),
    ("how", N_("How points are computed: /how [period]")),
    ("language", N_("Change the language (中文 / English)")),
    ("help", N_("What this bot does")),
)
REVISITOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("revisit", N_("Record a phone or visit 回访: /revisit ORDER-ID")),
    ("unreachable", N_("Close a complaint whose owner cannot be reached: /unreachable ID note")),
    ("language", N_("Change the language (中文 / English)")),
    ("help", N_("What this bot does")),
)
MANAGER_ONLY = frozenset({"report", "agent", "appeals", "export", "chart", "close", "payroll"})
AGENT_ONLY = frozenset({"me", "appeal"})
STAFF_COMMANDS = MANAGER_ONLY | AGENT_ONLY | {"complaints", "how", "review", "revisit",
                                              "unreachable"}

NOT_MANAGER = N_("Sorry, this command is for managers only.")
NOT_AGENT = N_("Sorry, this command is for agents only.")
NOT_STAFF = N_("Sorry, this command is for agents and managers only.")
NOT_REVISITOR = N_("Sorry, only 回访 staff and managers may record a 回访.")
NOT_OWNER = N_("Sorry, /complain is for owners to register a complaint.")
NOT_CLOSER = N_("Sorry, only managers and 回访 staff may close a complaint as owner "
                "unreachable.")


def refusal(identity: Identity, command: str) -> str | None:
    """Return the refusal msgid when this account may not run the command, else None."""
    if command in MANAGER_ONLY and not identity.is_manager:
        return NOT_MANAGER
    if command in AGENT_ONLY and not identity.is_agent:
        return NOT_AGENT
    if command in {"complaints", "how", "review"} and not identity.is_staff:
        return NOT_STAFF
    if command == "revisit" and not identity.may_revisit:
        return NOT_REVISITOR
    if command == "unreachable" and not identity.may_revisit:
        return NOT_CLOSER
    if command == "complain" and identity.owner_id is None and (identity.is_staff
                                                                 or identity.is_revisitor):
        return NOT_OWNER  # someone bound to nothing is shown how to bind a home instead
    return None


def menu(identity: Identity) -> tuple[tuple[str, str], ...]:
    """Return the command menu of this account's roles (managers' first, no duplicates)."""
    seen: dict[str, str] = {}
    groups = []
    if identity.is_manager:
        groups.append(MANAGER_COMMANDS)
    if identity.is_revisitor:
        groups.append(REVISITOR_COMMANDS)
    if identity.is_agent:
        groups.append(AGENT_COMMANDS)
    for group in groups:
        for command, description in group:
            seen.setdefault(command, description)
    return tuple(seen.items())


def menu_texts(identity: Identity, tr: Translator) -> list[tuple[str, str]]:
    """Return the menu with descriptions in the translator's language."""
    return [(command, tr._(description)) for command, description in menu(identity)]
