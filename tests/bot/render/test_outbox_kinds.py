"""Outbox kinds are an enum with one renderer each; the survey family's payload is typed and
reads rows queued by earlier versions (older key names) as well as today's."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

from bot.render.outbox import NOT_RENDERED, RENDERERS, OutboxRenderer
from surveys.outbox.kinds import OutboxKind, SurveyPayload

KEY = b"outbox-kinds-test-key"
TODAY = {
    "survey_id": 7, "work_order_external_id": "WO-7", "work_order_title": "电梯异响维修",
    "work_order_kind": "repair", "urgency": "normal", "agent_name": "王晓梅",
    "community_name": "阳光花园", "locale": "zh_CN", "expire_after_seconds": 604800.0,
}


def test_every_outbox_kind_has_a_renderer_in_the_table_or_is_listed_as_not_rendered() -> None:
    assert set(RENDERERS) | NOT_RENDERED == set(OutboxKind)
    assert not set(RENDERERS) & NOT_RENDERED


def test_the_renderer_table_is_complete_without_importing_any_other_render_module() -> None:
    # No registration by import side effect: a fresh interpreter importing only the table
    # module already knows every kind.
    code = ("from bot.render.outbox import RENDERERS, NOT_RENDERED; "
            "from surveys.outbox.kinds import OutboxKind; "
            "assert set(RENDERERS) | NOT_RENDERED == set(OutboxKind)")
    subprocess.run([sys.executable, "-c", code], check=True)


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
