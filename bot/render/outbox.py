"""Render durable outbox rows into messages; later features add kinds with `register`.

A renderer for a kind is `fn(payload, translator, key, chat_id) -> OutgoingMessage`. Edits
(e.g. "survey_expired") carry the message to edit in `extra["edit_message_id"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.i18n import Translator, translator
from bot.render.privacy import as_staff_reads
from bot.render.survey import card_from_payload, render_survey
from surveys.outbox.kinds import OutboxKind, SurveyPayload, payload_locale
from surveys.outbox.ports import Button, OutgoingMessage

KindRenderer = Callable[[Mapping[str, Any], Translator, bytes, int], OutgoingMessage]

_RENDERERS: dict[OutboxKind, KindRenderer] = {}


def register(kind: OutboxKind) -> Callable[[KindRenderer], KindRenderer]:
    """Register the renderer of an outbox kind (decorator)."""

    def decorate(fn: KindRenderer) -> KindRenderer:
        _RENDERERS[kind] = fn
        return fn

    return decorate


# Kinds carrying an owner's words to staff: to the agent handling the complaint (who may see
# a phone the owner typed, see `complaints.agent_sees_typed_phones`), or to anyone else.
TO_HANDLING_AGENT = frozenset({"complaint_opened", "complaint_owner_message"})
TO_OTHER_STAFF = frozenset({"manager_alert", "complaint_overdue", "appeal_filed",
                            "appeal_decided", "complaint_closed"})


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
        fn = _RENDERERS.get(row.kind)
        if fn is None:
            raise LookupError(f"no renderer for outbox kind {row.kind!r}")
        return fn(payload, tr, self.key, int(row.chat_id))


def _edit_extra(survey: SurveyPayload) -> dict[str, str]:
    return {"edit_message_id": str(survey.message_id)} if survey.message_id else {}


@register(OutboxKind.SURVEY)
def _survey(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
            ) -> OutgoingMessage:
    text, keyboard = render_survey(card_from_payload(payload), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=keyboard)


@register(OutboxKind.REMINDER)
def _reminder(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
              ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text = tr._("A gentle reminder: your survey about work order “{title}” is still waiting "
                "for your answer. Just tap the stars in the survey message above.",
                title=survey.work_order_title or "-")
    extra = {"reply_to_message_id": str(survey.message_id)} if survey.message_id else {}
    return OutgoingMessage(chat_id=chat_id, text=text, extra=extra)


@register(OutboxKind.SURVEY_EXPIRED)
def _expired(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
             ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text, _ = render_survey(replace(card_from_payload(survey), status="expired"), tr, key)
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


@register(OutboxKind.SURVEY_ANSWERED_ON_WEB)
def _answered_on_web(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
                     ) -> OutgoingMessage:
    survey = SurveyPayload.of(payload)
    text, _ = render_survey(replace(card_from_payload(survey), status="submitted"), tr, key)
    text += "\n" + tr._("(Answered on the web page.)")
    return OutgoingMessage(chat_id=chat_id, text=text, buttons=[], extra=_edit_extra(survey))


@register(OutboxKind.TEXT)
def _text(payload: Mapping[str, Any], tr: Translator, key: bytes, chat_id: int
          ) -> OutgoingMessage:
    rows = payload.get("buttons") or []
    buttons = [[Button(b["text"], b.get("callback_data"), b.get("url")) for b in row]
               for row in rows]
    return OutgoingMessage(chat_id=chat_id, text=str(payload.get("text", "")),
                           buttons=buttons or None)
