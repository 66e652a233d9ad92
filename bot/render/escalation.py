"""Messages of escalation (issue 14): a complaint escalated by an unsatisfied owner, a
resolve deadline missed, and risk words in an owner's text. Payloads: the typed models in
`surveys.outbox.escalation_payloads`.
"""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render.alerts import agent_buttons, complaint_lines, correction_row
from bot.render.words import INDENT, quoted
from surveys.outbox.escalation_payloads import (
    EscalationPayload,
    OwnerTextKeptPayload,
    ResolveOverduePayload,
    RiskWordsPayload,
)
from surveys.outbox.ports import OutgoingMessage

RISK_SOURCES = {
    "comment": N_("a survey comment"),
    "complaint": N_("a complaint"),
    "message": N_("a message to the agent"),
}


def _agent(tr: Translator, name: str | None) -> str:
    return name or tr._("nobody")


def complaint_escalated(data: EscalationPayload, tr: Translator, key: bytes, chat_id: int
                        ) -> OutgoingMessage:
    """Render a complaint escalated (to managers), or handed back to its agent."""
    if data.audience == "agent":
        head = tr._("🔺 Complaint #{id} is reopened: the owner is not satisfied with how it was "
                    "handled. Your manager has been told. Please handle it again and mark it "
                    "resolved; the owner will be asked once more.", id=data.complaint_id)
        lines = [head, "", *complaint_lines(tr, data)]
        return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                               buttons=agent_buttons(tr, key, data) or None)
    if data.closed:
        head = tr.n_("🔺 Complaint #{id} is closed unsatisfied: the owner is still not "
                     "satisfied after {count} escalation. Agent: {agent}.",
                     "🔺 Complaint #{id} is closed unsatisfied: the owner is still not "
                     "satisfied after {count} escalations. Agent: {agent}.", data.escalations,
                     id=data.complaint_id, count=data.escalations,
                     agent=_agent(tr, data.agent_name))
    else:
        head = tr._("🔺 Escalated: the owner is not satisfied with how complaint #{id} was "
                    "handled (escalation {count}). It is reopened for the agent {agent}.",
                    id=data.complaint_id, count=data.escalations,
                    agent=_agent(tr, data.agent_name))
    lines = [head, "", *complaint_lines(tr, data)]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=correction_row(tr, key, data) or None)


def complaint_resolve_overdue(data: ResolveOverduePayload, tr: Translator, key: bytes,
                              chat_id: int) -> OutgoingMessage:
    """Render a complaint unresolved past its deadline (the agent's copy with its buttons)."""
    if data.audience == "agent":
        head = tr._("⏰ Complaint #{id} was not resolved in time ({hours} h late). Please "
                    "resolve it soon, or reply to the owner with what happens next.",
                    id=data.complaint_id, hours=f"{data.overdue_hours:g}")
        buttons = agent_buttons(tr, key, data)
    else:
        head = tr._("⏰ Deadline missed: complaint #{id} was not resolved in time ({hours} h "
                    "late). Agent: {agent}.", id=data.complaint_id,
                    hours=f"{data.overdue_hours:g}", agent=_agent(tr, data.agent_name))
        buttons = correction_row(tr, key, data)
    lines = [head, "", *complaint_lines(tr, data)]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines), buttons=buttons or None)


def risk_words(data: RiskWordsPayload, tr: Translator, key: bytes, chat_id: int
               ) -> OutgoingMessage:
    """Risk words in an owner's text, for a manager."""
    sep = "、" if tr.locale == "zh_CN" else ", "
    source = tr._(RISK_SOURCES[data.source])
    lines = [
        tr._("🚨 Risk words in {source} from an owner: {words}. Please contact the owner "
             "at once.", source=source, words=sep.join(data.words)),
        tr._("Owner: {name} ({unit})", name=data.owner_name or "—",
             unit=data.owner_unit or "—"),
        tr._("The owner's words: “{text}”", text=quoted(data.text)),
    ]
    if data.complaint_id is not None:
        lines.append(tr._("Complaint #{id}", id=data.complaint_id))
    if data.work_order_external_id:
        lines.append(tr._("Work order: {id} {title}", id=data.work_order_external_id,
                          title=data.work_order_title or ""))
    lines.append(tr._("Agent: {name}", name=_agent(tr, data.agent_name)))
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines))


def owner_text_kept(data: OwnerTextKeptPayload, tr: Translator, key: bytes, chat_id: int
                    ) -> OutgoingMessage:
    """Render an owner's text over their daily limit of new complaints, kept for a manager.

    Or the summary of those kept in the 24 hours after the one sent at once.
    """
    name, unit = data.owner_name or "—", data.owner_unit or "—"
    if data.more:
        lines = [
            # Two counts, two sentences: each takes the plural form of its own number.
            tr.n_("📥 Owner {name} ({unit}) reached their limit of {limit} new complaint a day.",
                  "📥 Owner {name} ({unit}) reached their limit of {limit} new complaints a day.",
                  data.limit, name=name, unit=unit, limit=data.limit),
            tr.n_("They sent {count} more message in the 24 hours after the one we passed to "
                  "you. It was kept without opening a complaint; please check whether it needs "
                  "handling.",
                  "They sent {count} more messages in the 24 hours after the one we passed to "
                  "you. They were kept without opening complaints; please check whether they "
                  "need handling.", data.more, count=data.more),
            tr.n_("The owner's words:\n{text}", "The latest of them:\n{text}", data.more,
                  text=INDENT + quoted(data.text)),  # a block of quotes, all indented
        ]
    else:
        lines = [
            tr.n_("📥 Owner {name} ({unit}) has reached today's limit of {limit} new "
                  "complaint. This message was kept without opening a complaint; please "
                  "check whether it needs handling.",
                  "📥 Owner {name} ({unit}) has reached today's limit of {limit} new "
                  "complaints. This message was kept without opening a complaint; please "
                  "check whether it needs handling.", data.limit, name=name, unit=unit,
                  limit=data.limit),
            tr._("The owner's words: “{text}”", text=quoted(data.text)),
        ]
    if data.work_order_external_id:
        lines.append(tr._("Work order: {id} {title}", id=data.work_order_external_id,
                          title=data.work_order_title or ""))
    lines.append(tr._("Agent: {name}", name=_agent(tr, data.agent_name)))
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines))
