"""The lists the admin commands print: a header, aligned columns, deactivated people marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.cli.errors import N_
from bot.i18n import Translator
from bot.render.reports import table as aligned

if TYPE_CHECKING:
    from surveys.models import Agent, Manager, Revisitor

    Staffer = Agent | Manager | Revisitor

BOUND, NOT_BOUND = N_("bound"), N_("not bound")
ACTIVE, DEACTIVATED = N_("active"), N_("deactivated")
ALL_COMMUNITIES = N_("all communities")
AGENT_HEADER = (N_("id"), N_("staff id"), N_("name"), N_("community"), N_("Telegram"),
                N_("status"))
MANAGER_HEADER = (N_("id"), N_("name"), N_("community"), N_("Telegram"), N_("status"))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Lay out rows under a header in columns (a Chinese character is two columns wide)."""
    return aligned(header, rows, right=set())


def _states(tr: Translator, person: Staffer) -> tuple[str, str]:
    return (tr._(BOUND) if person.telegram_user_id else tr._(NOT_BOUND),
            tr._(ACTIVE) if person.active else tr._(DEACTIVATED))


def agent_lines(tr: Translator, agents: Sequence[Agent], codes: dict[int | None, str]) -> list[str]:
    """List agents with their staff id, community code, binding and whether still active."""
    rows = [[str(a.id), a.external_id, a.name, codes.get(a.community_id, "-"), *_states(tr, a)]
            for a in agents]
    return table([tr._(h) for h in AGENT_HEADER], rows)


def manager_lines(tr: Translator, managers: Sequence[Manager | Revisitor],
                  codes: dict[int | None, str]) -> list[str]:
    """List managers with their community (or all), binding and whether still active."""
    rows = [[str(m.id), m.name, codes.get(m.community_id, tr._(ALL_COMMUNITIES)),
             *_states(tr, m)] for m in managers]
    return table([tr._(h) for h in MANAGER_HEADER], rows)
