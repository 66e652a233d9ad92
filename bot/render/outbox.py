"""Render durable outbox rows into messages: one explicit table, `RENDERERS`, kind -> renderer.

Each kind names its payload model (`surveys.outbox.kinds`, `surveys.outbox.payloads`) and the
function that words it: `draw(payload, translator, key, chat_id) -> OutgoingMessage`. Edits
(e.g. "survey_expired") carry the message to edit in `extra["edit_message_id"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar

from bot.i18n import Translator, translator
from bot.render import alerts, corrections, cycle, escalation, repeats, revisits, summary
from bot.render.privacy import as_staff_reads
from bot.render.survey import card_from_payload, render_survey
from scoring.questions import QUESTIONS
from surveys.outbox.escalation_payloads import (
    EscalationPayload,
    OwnerTextKeptPayload,
    ResolveOverduePayload,
    RiskWordsPayload,
)
from surveys.outbox.kinds import OutboxKind, OutboxPayload, SurveyPayload
from surveys.outbox.payloads import (
    AppealPayload,
    ComplaintPayload,
    CorrectionPayload,
    PeriodClosedPayload,
    PeriodClosedTeamPayload,
    TeamDigestPayload,
    TextPayload,
    WeeklySummaryPayload,
)
from surveys.outbox.ports import Button, OutgoingMessage
from surveys.outbox.repeat_payloads import RepeatProblemPayload
from surveys.outbox.revisit_payloads import RevisitListPayload

P = TypeVar("P", bound=OutboxPayload)

# Kinds carrying an owner's words to staff: to the agent handling the complaint (who may see
# a phone the owner typed, see `complaints.agent_sees_typed_phones`), or to anyone else.
TO_HANDLING_AGENT = frozenset({OutboxKind.COMPLAINT_OPENED, OutboxKind.COMPLAINT_OWNER_MESSAGE})
TO_OTHER_STAFF = frozenset({OutboxKind.MANAGER_ALERT, OutboxKind.COMPLAINT_OVERDUE,
                            OutboxKind.APPEAL_FILED, OutboxKind.APPEAL_DECIDED,
                            OutboxKind.COMPLAINT_CLOSED, OutboxKind.COMPLAINT_ESCALATED,
                            OutboxKind.COMPLAINT_RESOLVE_OVERDUE, OutboxKind.RISK_WORDS,
                            OutboxKind.OWNER_TEXT_KEPT})


class OutboxRow(Protocol):
    """What the renderer reads of an outbox row (`surveys.models.OutboxMessage`)."""

    @property
    def kind(self) -> str: ...

    @property
    def chat_id(self) -> int: ...

    @property
    def payload(self) -> Mapping[str, object] | None: ...


class KindRenderer(Protocol):
    """Word a stored payload of one kind."""

    def render(self, stored: Mapping[str, object], default_locale: str, key: bytes,
               chat_id: int) -> OutgoingMessage: ...


@dataclass(frozen=True)
class Renderer(Generic[P]):
    """A kind's payload model and the function that words it in the reader's language."""

    payload: type[P]
    draw: Callable[[P, Translator, bytes, int], OutgoingMessage]

    def render(self, stored: Mapping[str, object], default_locale: str, key: bytes,
               chat_id: int) -> OutgoingMessage:
        """Read the stored payload (older key names too) and word it."""
        payload = self.payload.of(stored)
        return self.draw(payload, translator(payload.locale or default_locale), key, chat_id)


class OutboxRenderer:
    """The `render` callable the dispatcher takes: an outbox row -> an OutgoingMessage."""

    def __init__(self, key: bytes, default_locale: str = "zh_CN", *,
                 agent_sees_typed_phones: bool = True) -> None:
        self.key = key
        self.default_locale = default_locale
        self.agent_sees_typed_phones = agent_sees_typed_phones

    def __call__(self, row: OutboxRow) -> OutgoingMessage:
        try:
            kind = OutboxKind(row.kind)
        except ValueError:
            raise LookupError(f"no renderer for outbox kind {row.kind!r}") from None
        if kind not in RENDERERS:
            raise LookupError(f"no renderer for outbox kind {row.kind!r}")
        stored: Mapping[str, object] = row.payload or {}
        if kind in TO_OTHER_STAFF or kind in TO_HANDLING_AGENT:
            stored = as_staff_reads(stored, typed_phones=self.agent_sees_typed_phones
                                    and kind in TO_HANDLING_AGENT)
        return RENDERERS[kind].render(stored, self.default_locale, self.key, int(row.chat_id))


def _edit_extra(survey: SurveyPayload) -> dict[str, str]:
    return {"edit_message_id": str(survey.message_id)} if survey.message_id else {}


def _survey(survey: SurveyPayload, tr: Translator, key: bytes, chat_id: int
            ) -> OutgoingMessage:
    text, keyboard = render_survey(card_from_payload(survey), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=keyboard)


def _reminder(survey: SurveyPayload, tr: Translator, key: bytes, chat_id: int
              ) -> OutgoingMessage:
    title = survey.work_order_title or "-"
    if all(survey.ratings.get(q) for q in QUESTIONS):  # every star given, never submitted
        text = tr._("A gentle reminder: your stars for work order “{title}” are saved but not "
                    "sent yet. Write a comment, or tap “Submit without comment” in the survey "
                    "message above, so they count.", title=title)
    else:
        text = tr._("A gentle reminder: your survey about work order “{title}” is still "
                    "waiting for your answer. Just tap the stars in the survey message above.",
                    title=title)
    if not survey.message_id:
        return OutgoingMessage(chat_id=chat_id, text=text)
    return OutgoingMessage(chat_id=chat_id, text=text,
                           extra={"reply_to_message_id": str(survey.message_id)},
                           instead=_reminder_card(survey, tr, key, chat_id))


def _reminder_card(survey: SurveyPayload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    """The reminder as a fresh survey card, for an owner who deleted the card it answers."""
    title = survey.work_order_title or "-"
    if all(survey.ratings.get(q) for q in QUESTIONS):
        note = tr._("A gentle reminder: your stars for work order “{title}” are saved but not "
                    "sent yet. Write a comment, or tap “Submit without comment” below, so "
                    "they count.", title=title)
    else:
        note = tr._("A gentle reminder: your survey about work order “{title}” is still "
                    "waiting for your answer. Just tap the stars below.", title=title)
    # The buttons are the survey's own signed ones: a tap counts once, on whichever card.
    card, keyboard = render_survey(card_from_payload(survey), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=f"{note}\n\n{card}", buttons=keyboard)


def _expired(survey: SurveyPayload, tr: Translator, key: bytes, chat_id: int
             ) -> OutgoingMessage:
    text, _ = render_survey(replace(card_from_payload(survey), status="expired"), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


def _answered_on_web(survey: SurveyPayload, tr: Translator, key: bytes, chat_id: int
                     ) -> OutgoingMessage:
    text, _ = render_survey(replace(card_from_payload(survey), status="submitted"), tr, key)
    text += "\n" + tr._("(Answered on the web page.)")
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


def _text(payload: TextPayload, tr: Translator, key: bytes, chat_id: int) -> OutgoingMessage:
    buttons = [[Button(b.text, b.callback_data, b.url) for b in row] for row in payload.buttons]
    message = OutgoingMessage(chat_id=chat_id, text=payload.text, buttons=buttons or None)
    if payload.edit_message_id is None:
        return message
    # A reply edit that waited here: if the message is gone, the reply is sent afresh.
    return replace(message, extra={"edit_message_id": str(payload.edit_message_id)},
                   instead=message)


# Every kind the outbox sends, its payload model and what words it; a kind missing here is a
# test failure (tests/bot/render/test_outbox_kinds.py) unless it is listed in NOT_RENDERED.
RENDERERS: dict[OutboxKind, KindRenderer] = {
    OutboxKind.SURVEY: Renderer(SurveyPayload, _survey),
    OutboxKind.REMINDER: Renderer(SurveyPayload, _reminder),
    OutboxKind.SURVEY_EXPIRED: Renderer(SurveyPayload, _expired),
    OutboxKind.SURVEY_ANSWERED_ON_WEB: Renderer(SurveyPayload, _answered_on_web),
    OutboxKind.TEXT: Renderer(TextPayload, _text),
    OutboxKind.WEEKLY_SUMMARY: Renderer(WeeklySummaryPayload, summary.weekly_summary),
    OutboxKind.TEAM_DIGEST: Renderer(TeamDigestPayload, summary.team_digest),
    OutboxKind.COMPLAINT_OPENED: Renderer(ComplaintPayload, alerts.complaint_opened),
    OutboxKind.MANAGER_ALERT: Renderer(ComplaintPayload, alerts.manager_alert),
    OutboxKind.COMPLAINT_ACKNOWLEDGED: Renderer(ComplaintPayload, alerts.complaint_acknowledged),
    OutboxKind.COMPLAINT_REPLY: Renderer(ComplaintPayload, alerts.complaint_reply),
    OutboxKind.COMPLAINT_OWNER_MESSAGE: Renderer(ComplaintPayload, alerts.complaint_owner_message),
    OutboxKind.COMPLAINT_FOLLOW_UP: Renderer(ComplaintPayload, alerts.complaint_follow_up),
    OutboxKind.COMPLAINT_CLOSED: Renderer(ComplaintPayload, alerts.complaint_closed),
    OutboxKind.COMPLAINT_OVERDUE: Renderer(ComplaintPayload, alerts.complaint_overdue),
    OutboxKind.COMPLAINT_ESCALATED: Renderer(EscalationPayload, escalation.complaint_escalated),
    OutboxKind.COMPLAINT_RESOLVE_OVERDUE: Renderer(ResolveOverduePayload,
                                                   escalation.complaint_resolve_overdue),
    OutboxKind.RISK_WORDS: Renderer(RiskWordsPayload, escalation.risk_words),
    OutboxKind.OWNER_TEXT_KEPT: Renderer(OwnerTextKeptPayload, escalation.owner_text_kept),
    OutboxKind.APPEAL_FILED: Renderer(AppealPayload, alerts.appeal_filed),
    OutboxKind.APPEAL_DECIDED: Renderer(AppealPayload, alerts.appeal_decided),
    OutboxKind.TAG_CORRECTION_PROPOSED: Renderer(CorrectionPayload,
                                                 corrections.correction_proposed),
    OutboxKind.TAG_CORRECTION_DECIDED: Renderer(CorrectionPayload, corrections.correction_decided),
    OutboxKind.TAG_CORRECTION_APPLIED: Renderer(CorrectionPayload, corrections.correction_applied),
    OutboxKind.PERIOD_CLOSED: Renderer(PeriodClosedPayload, cycle.period_closed),
    OutboxKind.PERIOD_CLOSED_TEAM: Renderer(PeriodClosedTeamPayload, cycle.period_closed_team),
    OutboxKind.REPEAT_PROBLEM: Renderer(RepeatProblemPayload, repeats.repeat_problem),
    OutboxKind.REVISIT_LIST: Renderer(RevisitListPayload, revisits.revisit_list),
}
# Kinds queued but never rendered by this table (none today).
NOT_RENDERED: frozenset[OutboxKind] = frozenset()
