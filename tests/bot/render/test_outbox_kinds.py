"""Outbox kinds are an enum with one renderer each; the survey family's payload is typed and
reads rows queued by earlier versions (older key names) as well as today's."""

from __future__ import annotations

from types import SimpleNamespace

import bot.render  # noqa: F401  (registers every kind's renderer)
from bot.render.outbox import _RENDERERS, OutboxRenderer
from surveys.outbox.kinds import OutboxKind, SurveyPayload

KEY = b"outbox-kinds-test-key"
TODAY = {
    "survey_id": 7, "work_order_external_id": "WO-7", "work_order_title": "电梯异响维修",
    "work_order_kind": "repair", "urgency": "normal", "agent_name": "王晓梅",
    "community_name": "阳光花园", "locale": "zh_CN", "expire_after_seconds": 604800.0,
}


def test_every_outbox_kind_has_exactly_one_renderer() -> None:
    assert set(_RENDERERS) == set(OutboxKind)


def test_a_survey_payload_is_stored_with_todays_keys_unchanged() -> None:
    assert SurveyPayload.of(TODAY).to_json() == TODAY


def test_a_row_queued_with_the_older_key_names_renders_the_same_message() -> None:
    older = {"id": 7, "external_id": "WO-7", "title": "电梯异响维修", "kind": "repair",
             "agent": "王晓梅", "language": "en"}
    renderer = OutboxRenderer(KEY)
    new = renderer(SimpleNamespace(kind="survey", chat_id=42, payload={**TODAY, "locale": "en"}))
    old = renderer(SimpleNamespace(kind="survey", chat_id=42, payload=older))
    assert old.text == new.text and "Elevator" not in old.text and "电梯异响维修" in old.text
    assert "Overall satisfaction" in old.text
    assert [[b.callback_data for b in row] for row in old.buttons or []] == [
        [b.callback_data for b in row] for row in new.buttons or []]


def test_a_reminder_answers_the_survey_message_and_names_the_order() -> None:
    reminder = OutboxRenderer(KEY)(SimpleNamespace(
        kind=OutboxKind.REMINDER, chat_id=42, payload={**TODAY, "message_id": 99}))
    assert reminder.extra == {"reply_to_message_id": "99"} and "电梯异响维修" in reminder.text
