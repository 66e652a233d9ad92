"""The messages a close sends: outbox kinds `period_closed` (each agent's final month) and
`period_closed_team` (each manager's team table)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.numbers import num, signed
from bot.render.reports import grade_label
from bot.render.summary import ranking_lines
from surveys.outbox.payloads import PeriodClosedPayload, PeriodClosedTeamPayload
from surveys.outbox.ports import OutgoingMessage


def render_period_closed(p: PeriodClosedPayload, tr: Translator) -> str:
    """Render the agent's message at close."""
    rank = (tr._("{rank} of {size}", rank=p.rank, size=p.team_size)
            if p.rank is not None else "—")
    lines = [
        tr._("📌 Assessment {label} is closed. Your final points: {total}, grade: {grade}, "
             "rank: {rank}.", label=p.label, total=num(tr, p.total),
             grade=grade_label(tr, p.grade), rank=rank),
        tr._("Change from last period: {change} (last period {previous}).",
             change=signed(tr, p.change), previous=num(tr, p.previous)),
    ]
    if p.adjustment:
        lines.append(tr._("Includes late adjustments of {delta}.",
                          delta=signed(tr, p.adjustment)))
    lines.append(tr._("Send /me {label} for the breakdown, /how {label} for how points are "
                      "computed.", label=p.label))
    return "\n".join(lines)


def render_period_closed_team(p: PeriodClosedTeamPayload, tr: Translator) -> str:
    """Render the managers' message at close: the team table and where the payroll file is."""
    scope = p.community or tr._("all communities")
    lines = [tr._("📌 Assessment {label} is closed, {scope}. Final table:", label=p.label,
                  scope=scope), ""]
    lines += ranking_lines(tr, p.rows)
    lines += ["", tr._("Send /payroll {label} for the payroll file (XLSX and CSV).",
                       label=p.label)]
    return "\n".join(lines)


def period_closed(payload: PeriodClosedPayload, tr: Translator, key: bytes, chat_id: int
                  ) -> OutgoingMessage:
    """Tell an agent their final figures of the closed period."""
    return OutgoingMessage(chat_id=chat_id, text=render_period_closed(payload, tr))


def period_closed_team(payload: PeriodClosedTeamPayload, tr: Translator, key: bytes,
                       chat_id: int) -> OutgoingMessage:
    """Send a manager the final team table of the closed period."""
    return OutgoingMessage(chat_id=chat_id, text=render_period_closed_team(payload, tr))
