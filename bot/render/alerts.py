"""Complaint and appeal messages: the outbox kinds of the complaint lifecycle, and the
complaint card agents see (also in /complaints). Payloads: docs/complaints.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.reports import QUESTION_LABELS
from bot.staff import callbacks as cb
from scoring.reports.labels import STATUS_LABELS, label, tags_label
from surveys.outbox.ports import Button, Keyboard, OutgoingMessage

DISPLAY_TIMEZONE = ["Asia/Shanghai"]  # set once from settings.schedule.timezone

REASON_LABELS = {
    "rating_1": N_("a rating of 1"),
    "urgent": N_("an urgent work order"),
    "no_agent": N_("no agent to handle it"),
    "agent_unreachable": N_("the agent cannot be reached in chat"),
}


def set_timezone(timezone: str) -> None:
    """Show deadlines in this time zone (the company's)."""
    DISPLAY_TIMEZONE[0] = timezone


def local_time(value: Any) -> str:
    """Format a naive-UTC datetime (or its ISO text) in the company time zone."""
    if value is None or value == "":
        return "—"
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(ZoneInfo(DISPLAY_TIMEZONE[0])).strftime("%Y-%m-%d %H:%M")


def tags_text(tr: Translator, tags: Any) -> str:
    """Join tags in the reader's language."""
    return tags_label([str(t) for t in tags or []], tr._)


def status_text(tr: Translator, status: Any) -> str:
    """Name a complaint status in the reader's language."""
    return label(STATUS_LABELS, status, tr._)


def _low_ratings(data: Mapping[str, Any]) -> Mapping[str, Any]:
    # The low ratings that opened the complaint (its evidence), so the first card and every
    # later edit of it show the same line; payloads without evidence carry "ratings".
    return (data.get("evidence") or {}).get("ratings") or data.get("ratings") or {}


def _ratings(tr: Translator, data: Mapping[str, Any]) -> str | None:
    ratings = _low_ratings(data)
    if not ratings:
        return None

    parts = [f"{tr._(QUESTION_LABELS.get(q, q))} {r}⭐" for q, r in ratings.items() if r]
    return "  ".join(parts) or None


def evidence_text(tr: Translator, data: Mapping[str, Any]) -> str | None:
    """Give each complaint tag its own words, else its low rating; flat words if unsplit."""
    evidence = data.get("evidence") or {}
    by_aspect = evidence.get("by_aspect")
    if isinstance(by_aspect, Mapping):
        low, sep, parts = _low_ratings(data), "、" if tr.locale == "zh_CN" else ", ", []
        for tag in dict.fromkeys([*(data.get("tags") or []), *by_aspect]):
            words = [str(w) for w in by_aspect.get(tag) or []]
            if words:
                parts.append(tr._("{aspect}: {words}", aspect=tags_text(tr, [tag]),
                                  words=sep.join(words)))
            elif low.get(tag):
                parts.append(tr._("{aspect}: rated {stars}", aspect=tags_text(tr, [tag]),
                                  stars=f"{low[tag]}⭐"))
        if parts:
            return " · ".join(parts)
    # Complaints stored before by_aspect existed (or whose words fit no tag): one flat list.
    return ", ".join(str(w) for w in evidence.get("words") or []) or None


def complaint_lines(tr: Translator, data: Mapping[str, Any]) -> list[str]:
    """Describe a complaint: words, tags, evidence, ratings, work order, deadline, status."""
    order = data.get("work_order_external_id")
    lines = [
        tr._("Complaint #{id}", id=data.get("complaint_id") or data.get("id"))
        + ("  ⚠️ " + tr._("urgent") if data.get("urgent") else ""),
        tr._("Owner: {name} ({unit})", name=data.get("owner_name") or "—",
             unit=data.get("owner_unit") or "—"),
        tr._("The owner's words: “{text}”", text=data.get("text") or "—"),
    ]
    if data.get("tags"):
        lines.append(tr._("Tags: {tags}", tags=tags_text(tr, data.get("tags"))))
    if (evidence := evidence_text(tr, data)) is not None:
        lines.append(tr._("Evidence: {words}", words=evidence))
    if (ratings := _ratings(tr, data)) is not None:
        lines.append(tr._("Ratings: {ratings}", ratings=ratings))
    if order:
        lines.append(tr._("Work order: {id} {title}", id=order,
                          title=data.get("work_order_title") or ""))
    lines.append(tr._("Acknowledge by: {deadline}", deadline=local_time(data.get("ack_deadline"))))
    if data.get("resolve_deadline"):
        lines.append(tr._("Resolve by: {deadline}",
                          deadline=local_time(data.get("resolve_deadline"))))
    lines.append(tr._("Status: {status}", status=status_text(tr, data.get("status"))))
    return lines


def correction_row(tr: Translator, key: bytes, data: Mapping[str, Any]) -> Keyboard:
    """The "correct the tags" button of a complaint that still counts (none otherwise)."""
    cid = int(data.get("complaint_id") or data.get("id") or 0)
    if data.get("voided") or data.get("status") == "dismissed":
        return []
    return [[Button(tr._("✏️ Correct tags"), cb.pack(key, cb.TAGS, cid))]]


def agent_buttons(tr: Translator, key: bytes, data: Mapping[str, Any]) -> Keyboard:
    """Acknowledge / Reply / Resolved (and Appeal) for the complaint's state; Correct tags."""
    cid = int(data.get("complaint_id") or data.get("id") or 0)
    status = str(data.get("status") or "open")
    if status not in {"open", "acknowledged", "escalated"}:
        return correction_row(tr, key, data)
    first = []
    if status == "open" and not data.get("acknowledged_at"):
        first.append(Button(tr._("✅ Acknowledge"), cb.pack(key, cb.ACK, cid)))
    first.append(Button(tr._("💬 Reply"), cb.pack(key, cb.REPLY, cid)))
    first.append(Button(tr._("✔️ Resolved"), cb.pack(key, cb.RESOLVE, cid)))
    second = [Button(tr._("⚖️ Appeal"), cb.pack(key, cb.APPEAL, cid))]
    for row in correction_row(tr, key, data):
        second.extend(row)
    return [first, second]


def complaint_card(tr: Translator, key: bytes, data: Mapping[str, Any]
                   ) -> tuple[str, Keyboard]:
    """Return the agent's complaint card and its buttons."""
    lines = [tr._("A complaint about your work needs your attention."), "",
             *complaint_lines(tr, data)]
    return "\n".join(lines), agent_buttons(tr, key, data)


Payload = Mapping[str, Any]


def complaint_opened(payload: Payload, tr: Translator, key: bytes, chat_id: int) -> OutgoingMessage:
    text, buttons = complaint_card(tr, key, payload)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons or None)


def manager_alert(payload: Payload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    reasons = [tr._(REASON_LABELS[r]) if r in REASON_LABELS else str(r)
               for r in payload.get("reasons") or []]
    lines = [
        tr._("⚠️ Alert: a complaint needs attention ({reasons}).",
             reasons=", ".join(reasons) or "—"),
        tr._("Agent: {name}", name=payload.get("agent_name") or tr._("nobody")),
        "", *complaint_lines(tr, payload),
    ]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=correction_row(tr, key, payload) or None)


def complaint_acknowledged(payload: Payload, tr: Translator, key: bytes, chat_id: int
                  ) -> OutgoingMessage:
    text = tr._("Your complaint has been received by {agent}, who is looking into it. "
                "You will hear back here.", agent=payload.get("agent_name") or tr._("our staff"))
    return OutgoingMessage(chat_id=chat_id, text=text)


def complaint_reply(payload: Payload, tr: Translator, key: bytes, chat_id: int) -> OutgoingMessage:
    cid = int(payload.get("complaint_id") or 0)
    text = tr._("Message from {agent} about your complaint:\n{text}",
                agent=payload.get("agent_name") or tr._("our staff"),
                text=payload.get("reply_text") or "")
    buttons = [[Button(tr._("💬 Answer"), cb.pack(key, cb.OWNER_REPLY, cid))]]
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons)


def complaint_owner_message(payload: Payload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    cid = int(payload.get("complaint_id") or 0)
    text = tr._("The owner {name} answered about complaint #{id}:\n{text}",
                name=payload.get("owner_name") or "—", id=cid,
                text=payload.get("reply_text") or "")
    buttons = [[Button(tr._("💬 Reply"), cb.pack(key, cb.REPLY, cid))]]
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons)


def complaint_follow_up(payload: Payload, tr: Translator, key: bytes, chat_id: int
                        ) -> OutgoingMessage:
    cid = int(payload.get("complaint_id") or 0)
    title = payload.get("work_order_title") or payload.get("text") or "—"
    if payload.get("round"):  # asked again after an escalation
        text = tr._("Your complaint about “{title}” was handled again after you told us you "
                    "were not satisfied, and is marked resolved. Are you satisfied now?",
                    title=title)
    else:
        text = tr._("Your complaint about “{title}” has been marked resolved. Are you "
                    "satisfied with how it was handled?", title=title)
    buttons = [[Button(tr._("😊 Satisfied"), cb.pack(key, cb.FOLLOW_UP, cid, 1)),
                Button(tr._("😞 Not satisfied"), cb.pack(key, cb.FOLLOW_UP, cid, 0))]]
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons)


def complaint_closed(payload: Payload, tr: Translator, key: bytes, chat_id: int) -> OutgoingMessage:
    cid = payload.get("complaint_id")
    if payload.get("satisfied"):
        text = tr._("Complaint #{id} is closed: the owner is satisfied with the handling.", id=cid)
    else:
        text = tr._("Complaint #{id} is closed: the owner is not satisfied with the handling.",
                    id=cid)
    return OutgoingMessage(chat_id=chat_id, text=text)


def complaint_overdue(payload: Payload, tr: Translator, key: bytes, chat_id: int
                      ) -> OutgoingMessage:
    lines = [
        tr._("⏰ Deadline missed: complaint #{id} was not acknowledged in time "
             "({hours} h late). Agent: {agent}.", id=payload.get("complaint_id"),
             hours=payload.get("overdue_hours"),
             agent=payload.get("agent_name") or tr._("nobody")),
        "", *complaint_lines(tr, payload),
    ]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=correction_row(tr, key, payload) or None)


def appeal_target(tr: Translator, payload: Payload) -> str:
    """Name what an appeal is about."""
    if payload.get("complaint_id"):
        return tr._("complaint #{id}", id=payload.get("complaint_id"))
    return tr._("response #{id}", id=payload.get("response_id"))


def appeal_lines(tr: Translator, payload: Payload) -> list[str]:
    """Describe an appeal for a manager."""
    lines = [
        tr._("Appeal #{id} by {agent} about {target}", id=payload.get("appeal_id"),
             agent=payload.get("agent_name") or "—", target=appeal_target(tr, payload)),
        tr._("Reason: {reason}", reason=payload.get("reason") or "—"),
    ]
    if payload.get("complaint_text"):
        lines.append(tr._("The owner's words: “{text}”", text=payload["complaint_text"]))
    if payload.get("comment"):
        lines.append(tr._("The owner's comment: “{text}”", text=payload["comment"]))
    if (ratings := _ratings(tr, payload)) is not None:
        lines.append(tr._("Ratings: {ratings}", ratings=ratings))
    return lines


def appeal_buttons(tr: Translator, key: bytes, appeal_id: int) -> Keyboard:
    """Uphold / Void buttons of a pending appeal."""
    return [[Button(tr._("Uphold (keep the record)"), cb.pack(key, cb.UPHOLD, appeal_id)),
             Button(tr._("Void (remove from scores)"), cb.pack(key, cb.VOID, appeal_id))]]


def appeal_filed(payload: Payload, tr: Translator, key: bytes, chat_id: int
                  ) -> OutgoingMessage:
    lines = [tr._("⚖️ New appeal to decide."), "", *appeal_lines(tr, payload)]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=appeal_buttons(tr, key, int(payload.get("appeal_id") or 0)))


def appeal_decided(payload: Payload, tr: Translator, key: bytes, chat_id: int
                    ) -> OutgoingMessage:
    target = appeal_target(tr, payload)
    if str(payload.get("status")) == "voided":
        text = tr._("Your appeal about {target} was accepted: it no longer counts in your "
                    "scores. Reason: {reason}", target=target,
                    reason=payload.get("decision_reason") or "—")
    else:
        text = tr._("Your appeal about {target} was not accepted: the record stands. "
                    "Reason: {reason}", target=target,
                    reason=payload.get("decision_reason") or "—")
    return OutgoingMessage(chat_id=chat_id, text=text)
