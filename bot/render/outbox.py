"""Render durable outbox rows into messages: one explicit table, `RENDERERS`, kind -> renderer.

A renderer for a kind is `fn(payload, translator, key, chat_id) -> OutgoingMessage`. Edits
(e.g. "survey_expired") carry the message to edit in `extra["edit_message_id"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.i18n import Translator, translator
from bot.render import alerts, corrections, cycle, escalation, repeats, summary
from bot.render.privacy import as_staff_reads
from bot.render.survey import card_from_payload, render_survey
from surveys.outbox.kinds import OutboxKind, SurveyPayload, payload_locale
from surveys.outbox.ports import Button, OutgoingMessage

KindRenderer = Callable[[Mapping[str, Any], Translator, bytes, int], OutgoingMessage]

# Kinds carrying an owner's words to staff: to the agent handling the complaint (who may see
# a phone the owner typed, see `complaints.agent_sees_typed_phones`), or to anyone else.
TO_HANDLING_AGENT = frozenset({"complaint_opened", "complaint_owner_message"})
TO_OTHER_STAFF = frozenset({"manager_alert", "complaint_overdue", "appeal_filed",
                            "appeal_decided", "complaint_closed", "complaint_escalated",
                            "complaint_resolve_overdue", "risk_words"})


class OutboxRenderer:
    """The `render` callable the dispatcher takes: an outbox row -> an OutgoingMessage."""

    def __init__(self, key: bytes, default_locale: str = "zh_CN", *,
                 agent_sees_typed_phones: bool = True) -> None:
        self.key = key
        self.default_locale = default_locale
        self.agent_sees_typed_phones = agent_sees_typed_phones

    def __call__(self, row: Any) -> OutgoingMessage:
        payload: Mapping[str, Any] = row.payload or {}
        if row.kind in TO_OTHER_STAFF or row.kind in TO_HANDLING_AGENT:
            payload = as_staff_reads(payload, typed_phones=self.agent_sees_typed_phones
                                     and row.kind in TO_HANDLING_AGENT)
        tr = translator(payload_locale(payload) or self.default_locale)
        if row.kind not in RENDERERS:
            raise LookupError(f"no renderer for outbox kind {row.kind!r}")
        return RENDERERS[row.kind](payload, tr, self.key, int(row.chat_id))


def _edit_extra(survey: SurveyPayload) -> dict[str, str]:
    return {"edit_message_id": str(survey.message_id)} if survey.message_id else {}


def _survey(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
            ) -> OutgoingMessage:
    text, keyboard = render_survey(card_from_payload(payload), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=keyboard)


def _reminder(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
              ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text = tr._("A gentle reminder: your survey about work order “{title}” is still waiting "
                "for your answer. Just tap the stars in the survey message above.",
                title=survey.work_order_title or "-")
    extra = {"reply_to_message_id": str(survey.message_id)} if survey.message_id else {}
    return OutgoingMessage(chat_id=chat_id, text=text, extra=extra)


def _expired(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
             ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text, _ = render_survey(replace(card_from_payload(survey), status="expired"), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


def _answered_on_web(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
                     ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text, _ = render_survey(replace(card_from_payload(survey), status="submitted"), tr, key)
    text += "\n" + tr._("(Answered on the web page.)")
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


def _text(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
          ) -> OutgoingMessage:
    rows = payload.get("buttons") or []
    buttons = [[Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
               for row in rows]
    return OutgoingMessage(chat_id=chat_id, text=str(payload.get("text", "")),
                           buttons=buttons or None)


# Every kind the outbox sends and what renders it; a kind missing here is a test failure
# (tests/bot/render/test_outbox_kinds.py), unless it is listed in NOT_RENDERED.
RENDERERS: dict[OutboxKind, KindRenderer] = {
    OutboxKind.SURVEY: _survey,
    OutboxKind.REMINDER: _reminder,
    OutboxKind.SURVEY_EXPIRED: _expired,
    OutboxKind.SURVEY_ANSWERED_ON_WEB: _answered_on_web,
    OutboxKind.TEXT: _text,
    OutboxKind.WEEKLY_SUMMARY: summary.weekly_summary,
    OutboxKind.TEAM_DIGEST: summary.team_digest,
    OutboxKind.COMPLAINT_OPENED: alerts.complaint_opened,
    OutboxKind.MANAGER_ALERT: alerts.manager_alert,
    OutboxKind.COMPLAINT_ACKNOWLEDGED: alerts.complaint_acknowledged,
    OutboxKind.COMPLAINT_REPLY: alerts.complaint_reply,
    OutboxKind.COMPLAINT_OWNER_MESSAGE: alerts.complaint_owner_message,
    OutboxKind.COMPLAINT_FOLLOW_UP: alerts.complaint_follow_up,
    OutboxKind.COMPLAINT_CLOSED: alerts.complaint_closed,
    OutboxKind.COMPLAINT_OVERDUE: alerts.complaint_overdue,
    OutboxKind.COMPLAINT_ESCALATED: escalation.complaint_escalated,
    OutboxKind.COMPLAINT_RESOLVE_OVERDUE: escalation.complaint_resolve_overdue,
    OutboxKind.RISK_WORDS: escalation.risk_words,
    OutboxKind.APPEAL_FILED: alerts.appeal_filed,
    OutboxKind.APPEAL_DECIDED: alerts.appeal_decided,
    OutboxKind.TAG_CORRECTION_PROPOSED: corrections.correction_proposed,
    OutboxKind.TAG_CORRECTION_DECIDED: corrections.correction_decided,
    OutboxKind.TAG_CORRECTION_APPLIED: corrections.correction_applied,
    OutboxKind.PERIOD_CLOSED: cycle.period_closed,
    OutboxKind.PERIOD_CLOSED_TEAM: cycle.period_closed_team,
    OutboxKind.REPEAT_PROBLEM: repeats.repeat_problem,
}
# Kinds queued but never rendered by this table (none today).
NOT_RENDERED: frozenset[OutboxKind] = frozenset()
