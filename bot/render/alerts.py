"""Complaint and appeal messages: the outbox kinds of the complaint lifecycle, and the
complaint card agents see (also in /complaints). Payloads: docs/complaints.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.repeats import order_lines
from bot.render.reports import QUESTION_LABELS
from bot.render.words import quoted
from bot.staff import callbacks as cb
from scoring.reports.labels import STATUS_LABELS, label, tags_label
from surveys.outbox.payloads import AppealPayload, ComplaintPayload
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


def local_time(value: datetime | None) -> str:
    """Format a naive-UTC datetime in the company time zone."""
    if value is None:
        return "—"
    dt = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return dt.astimezone(ZoneInfo(DISPLAY_TIMEZONE[0])).strftime("%Y-%m-%d %H:%M")


def tags_text(tr: Translator, tags: Iterable[str] | None) -> str:
    """Join tags in the reader's language."""
    return tags_label([str(t) for t in tags or []], tr._)


def status_text(tr: Translator, status: str | None) -> str:
    """Name a complaint status in the reader's language."""
    return label(STATUS_LABELS, status, tr._)


def ratings_text(tr: Translator, ratings: Mapping[str, int | None]) -> str | None:
    """Show each given rating as its question and stars (None without any)."""
    parts = [f"{tr._(QUESTION_LABELS.get(q, q))} {r}⭐" for q, r in ratings.items() if r]
    return "  ".join(parts) or None


def _aspect_text(tr: Translator, data: ComplaintPayload, tag: str) -> str | None:
    sep = "、" if tr.locale == "zh_CN" else ", "
    if words := data.words_of(tag):
        return tr._("{aspect}: {words}", aspect=tags_text(tr, [tag]), words=sep.join(words))
    if stars := data.low_rating(tag):
        return tr._("{aspect}: rated {stars}", aspect=tags_text(tr, [tag]), stars=f"{stars}⭐")
    return None


def evidence_text(tr: Translator, data: ComplaintPayload) -> str | None:
    """Give each complaint tag its own words, else its low rating; flat words if unsplit."""
    by_aspect = data.evidence.by_aspect
    if by_aspect is not None:
        parts = [part for tag in dict.fromkeys([*data.tags, *by_aspect])
                 if (part := _aspect_text(tr, data, tag)) is not None]
        if parts:
            return " · ".join(parts)
    # Complaints stored before by_aspect existed (or whose words fit no tag): one flat list.
    return ", ".join(data.evidence.words) or None


def complaint_lines(tr: Translator, data: ComplaintPayload) -> list[str]:
    """Describe a complaint: words, tags, evidence, ratings, work order, deadline, status."""
    lines = [
        tr._("Complaint #{id}", id=data.complaint_id)
        + ("  ⚠️ " + tr._("urgent") if data.urgent else ""),
        tr._("Owner: {name} ({unit})", name=data.owner_name or "—",
             unit=data.owner_unit or "—"),
        tr._("The owner's words: “{text}”", text=quoted(data.text or "—")),
    ]
    if data.tags:
        lines.append(tr._("Tags: {tags}", tags=tags_text(tr, data.tags)))
    if (evidence := evidence_text(tr, data)) is not None:
        lines.append(tr._("Evidence: {words}", words=evidence))
    if (ratings := ratings_text(tr, data.low_ratings)) is not None:
        lines.append(tr._("Ratings: {ratings}", ratings=ratings))
    if data.work_order_external_id:
        lines.append(tr._("Work order: {id} {title}", id=data.work_order_external_id,
                          title=data.work_order_title or ""))
        lines += order_lines(tr, data.work_order_category, data.work_order_occurrence)
    lines.append(tr._("Acknowledge by: {deadline}", deadline=local_time(data.ack_deadline)))
    if data.resolve_deadline:
        lines.append(tr._("Resolve by: {deadline}", deadline=local_time(data.resolve_deadline)))
    lines.append(tr._("Status: {status}", status=status_text(tr, data.status)))
    return lines


def correction_row(tr: Translator, key: bytes, data: ComplaintPayload) -> Keyboard:
    """Return the "correct the tags" button of a complaint that still counts (else none)."""
    if data.voided or data.status == "dismissed":
        return []
    return [[Button(tr._("✏️ Correct tags"), cb.pack(key, cb.TAGS, data.complaint_id or 0))]]


def agent_buttons(tr: Translator, key: bytes, data: ComplaintPayload) -> Keyboard:
    """Acknowledge / Reply / Resolved (and Appeal) for the complaint's state; Correct tags."""
    cid = data.complaint_id or 0
    status = data.status or "open"
    if status not in {"open", "acknowledged", "escalated"}:
        return correction_row(tr, key, data)
    first = []
    if status == "open" and not data.acknowledged_at:
        first.append(Button(tr._("✅ Acknowledge"), cb.pack(key, cb.ACK, cid)))
    first.append(Button(tr._("💬 Reply"), cb.pack(key, cb.REPLY, cid)))
    first.append(Button(tr._("✔️ Resolved"), cb.pack(key, cb.RESOLVE, cid)))
    second = [Button(tr._("⚖️ Appeal"), cb.pack(key, cb.APPEAL, cid))]
    for row in correction_row(tr, key, data):
        second.extend(row)
    return [first, second]


def complaint_card(tr: Translator, key: bytes, data: ComplaintPayload) -> tuple[str, Keyboard]:
    """Return the agent's complaint card and its buttons."""
    lines = [tr._("A complaint about your work needs your attention."), "",
             *complaint_lines(tr, data)]
    return "\n".join(lines), agent_buttons(tr, key, data)


def complaint_opened(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                     ) -> OutgoingMessage:
    """Show the agent their new complaint with its buttons."""
    text, buttons = complaint_card(tr, key, payload)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons or None)


def manager_alert(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                  ) -> OutgoingMessage:
    """Alert a manager to a complaint that calls for it, with the reasons."""
    reasons = [tr._(REASON_LABELS[r]) if r in REASON_LABELS else r for r in payload.reasons]
    lines = [
        tr._("⚠️ Alert: a complaint needs attention ({reasons}).",
             reasons=", ".join(reasons) or "—"),
        tr._("Agent: {name}", name=payload.agent_name or tr._("nobody")),
        "", *complaint_lines(tr, payload),
    ]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=correction_row(tr, key, payload) or None)


def _at_home(text: str, payload: ComplaintPayload, tr: Translator) -> str:
    """Name the complaint's home first when the owner holds several (which flat is it?)."""
    return f"{tr._('Home: {home}', home=payload.home)}\n{text}" if payload.home else text


def complaint_acknowledged(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                           ) -> OutgoingMessage:
    """Tell the owner their complaint is being looked into."""
    text = tr._("Your complaint has been received by {agent}, who is looking into it. "
                "You will hear back here.", agent=payload.agent_name or tr._("our staff"))
    return OutgoingMessage(chat_id=chat_id, text=_at_home(text, payload, tr))


def complaint_reply(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                    ) -> OutgoingMessage:
    """Relay the agent's reply to the owner with an Answer button."""
    cid = payload.complaint_id or 0
    text = tr._("Message from {agent} about your complaint:\n{text}",
                agent=payload.agent_name or tr._("our staff"), text=payload.reply_text or "")
    buttons = [[Button(tr._("💬 Answer"), cb.pack(key, cb.OWNER_REPLY, cid))]]
    return OutgoingMessage(chat_id=chat_id, text=_at_home(text, payload, tr), buttons=buttons)


def complaint_owner_message(payload: ComplaintPayload, tr: Translator, key: bytes,
                            chat_id: int) -> OutgoingMessage:
    """Relay the owner's words to the agent with a Reply button."""
    cid = payload.complaint_id or 0
    text = tr._("The owner {name} answered about complaint #{id}:\n{text}",
                name=payload.owner_name or "—", id=cid, text=payload.reply_text or "")
    buttons = [[Button(tr._("💬 Reply"), cb.pack(key, cb.REPLY, cid))]]
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=buttons)


def complaint_follow_up(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                        ) -> OutgoingMessage:
    """Ask the owner whether they are satisfied with the handling."""
    cid = payload.complaint_id or 0
    title = payload.work_order_title or payload.text or "—"
    if payload.round:  # asked again after an escalation
        text = tr._("Your complaint about “{title}” was handled again after you told us you "
                    "were not satisfied, and is marked resolved. Are you satisfied now?",
                    title=title)
    else:
        text = tr._("Your complaint about “{title}” has been marked resolved. Are you "
                    "satisfied with how it was handled?", title=title)
    round_ = payload.round or 0  # the answer counts only while this round is current
    buttons = [[Button(tr._("😊 Satisfied"), cb.pack(key, cb.FOLLOW_UP, cid, 1, round_)),
                Button(tr._("😞 Not satisfied"), cb.pack(key, cb.FOLLOW_UP, cid, 0, round_))]]
    return OutgoingMessage(chat_id=chat_id, text=_at_home(text, payload, tr), buttons=buttons)


def complaint_closed(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                     ) -> OutgoingMessage:
    """Tell the agent how the owner answered the follow-up."""
    cid = payload.complaint_id
    if "owner_unreachable" in payload.reasons:
        text = tr._("Complaint #{id} is closed: the owner could not be reached for the "
                    "follow-up. It counts as resolved; with no answer it leaves the follow-up "
                    "satisfaction share.", id=cid)
    elif payload.satisfied:
        text = tr._("Complaint #{id} is closed: the owner is satisfied with the handling.", id=cid)
    else:
        text = tr._("Complaint #{id} is closed: the owner is not satisfied with the handling.",
                    id=cid)
    return OutgoingMessage(chat_id=chat_id, text=text)


def complaint_overdue(payload: ComplaintPayload, tr: Translator, key: bytes, chat_id: int
                      ) -> OutgoingMessage:
    """Tell managers and the agent a complaint missed its acknowledgement deadline.

    The agent's copy says what to do and carries the card's buttons.
    """
    if payload.audience == "agent":
        head = tr._("⏰ Complaint #{id} was not acknowledged in time ({hours} h late). "
                    "Please acknowledge it now and tell the owner what happens next.",
                    id=payload.complaint_id, hours=payload.overdue_hours)
        buttons = agent_buttons(tr, key, payload)
    else:
        head = tr._("⏰ Deadline missed: complaint #{id} was not acknowledged in time "
                    "({hours} h late). Agent: {agent}.", id=payload.complaint_id,
                    hours=payload.overdue_hours, agent=payload.agent_name or tr._("nobody"))
        buttons = correction_row(tr, key, payload)
    lines = [head, "", *complaint_lines(tr, payload)]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines), buttons=buttons or None)


def appeal_target(tr: Translator, payload: AppealPayload) -> str:
    """Name what an appeal is about."""
    if payload.complaint_id:
        return tr._("complaint #{id}", id=payload.complaint_id)
    return tr._("response #{id}", id=payload.response_id)


def appeal_lines(tr: Translator, payload: AppealPayload) -> list[str]:
    """Describe an appeal for a manager."""
    lines = [
        tr._("Appeal #{id} by {agent} about {target}", id=payload.appeal_id,
             agent=payload.agent_name or "—", target=appeal_target(tr, payload)),
        tr._("Reason: {reason}", reason=quoted(payload.reason or "—")),
    ]
    if payload.complaint_text:
        lines.append(tr._("The owner's words: “{text}”", text=quoted(payload.complaint_text)))
    if payload.comment:
        lines.append(tr._("The owner's comment: “{text}”", text=quoted(payload.comment)))
    if (ratings := ratings_text(tr, payload.ratings)) is not None:
        lines.append(tr._("Ratings: {ratings}", ratings=ratings))
    return lines


def appeal_buttons(tr: Translator, key: bytes, appeal_id: int) -> Keyboard:
    """Uphold / Void buttons of a pending appeal."""
    return [[Button(tr._("Uphold (keep the record)"), cb.pack(key, cb.UPHOLD, appeal_id)),
             Button(tr._("Void (remove from scores)"), cb.pack(key, cb.VOID, appeal_id))]]


def appeal_filed(payload: AppealPayload, tr: Translator, key: bytes, chat_id: int
                 ) -> OutgoingMessage:
    """Ask the managers to decide a new appeal."""
    lines = [tr._("⚖️ New appeal to decide."), "", *appeal_lines(tr, payload)]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines),
                           buttons=appeal_buttons(tr, key, payload.appeal_id or 0))


def appeal_decided(payload: AppealPayload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    """Tell the agent how their appeal was decided."""
    target = appeal_target(tr, payload)
    if payload.status == "voided":
        text = tr._("Your appeal about {target} was accepted: it no longer counts in your "
                    "scores. Reason: {reason}", target=target,
                    reason=payload.decision_reason or "—")
    else:
        text = tr._("Your appeal about {target} was not accepted: the record stands. "
                    "Reason: {reason}", target=target, reason=payload.decision_reason or "—")
    return OutgoingMessage(chat_id=chat_id, text=text)
