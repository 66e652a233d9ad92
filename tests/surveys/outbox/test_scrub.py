"""/forget reads each message to staff with its typed payload model and clears only what is
the forgotten owner's."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bot.render.outbox import RENDERERS, Renderer
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.scrub import SCRUBS
from surveys.people.privacy import ErasedOwner

ERASED = ErasedOwner(owner_id=1, chat_id=None, since=datetime(2026, 11, 1),
                     complaint_ids=frozenset({7}), response_ids=frozenset({9}),
                     work_orders=frozenset({"WO-1"}))
# Kinds that go to the owner's own chat: /forget empties those rows whole.
TO_OWNER = {OutboxKind.SURVEY, OutboxKind.REMINDER, OutboxKind.SURVEY_EXPIRED,
            OutboxKind.SURVEY_ANSWERED_ON_WEB, OutboxKind.COMPLAINT_REPLY,
            OutboxKind.COMPLAINT_FOLLOW_UP}
OWNER_FIELDS = {"owner_name", "owner_unit", "owner_phone", "complaint_text", "comment"}


def _names_an_owner(model: type[BaseModel]) -> bool:
    for name, info in model.model_fields.items():
        if name in OWNER_FIELDS:
            return True
        for inner in getattr(info.annotation, "__args__", ()):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and _names_an_owner(
                    inner):
                return True
    return False


def test_every_kind_to_staff_whose_payload_can_name_an_owner_is_scrubbed() -> None:
    naming = {kind for kind, renderer in RENDERERS.items()
              if isinstance(renderer, Renderer) and _names_an_owner(renderer.payload)}
    assert OutboxKind.REVISIT_LIST in naming  # the nested orders are looked into
    assert naming - TO_OWNER <= set(SCRUBS)


def test_a_complaint_card_keeps_its_facts_and_its_older_key_names_are_read() -> None:
    stored = {"id": 7, "owner_name": "张伟", "owner_unit": "1-101", "text": "态度很差",
              "tags": ["attitude"], "work_order_external_id": "WO-1", "locale": "en"}
    cleared = SCRUBS[OutboxKind.COMPLAINT_OPENED](stored, ERASED)
    assert cleared == {"complaint_id": 7, "owner_name": None, "owner_unit": None, "text": None,
                       "tags": ["attitude"], "work_order_external_id": "WO-1", "locale": "en"}


def test_a_message_about_another_owner_is_left_as_it_is() -> None:
    other = {"complaint_id": 8, "owner_name": "刘芳", "work_order_external_id": "WO-2"}
    assert SCRUBS[OutboxKind.MANAGER_ALERT](other, ERASED) is None
    appeal = {"appeal_id": 1, "response_id": 10, "comment": "很好"}
    assert SCRUBS[OutboxKind.APPEAL_FILED](appeal, ERASED) is None


def test_a_morning_list_loses_only_the_forgotten_owners_lines() -> None:
    stored = {"count": 2, "orders": [
        {"work_order": "WO-1", "owner_name": "张伟", "owner_phone": "138****8001",
         "building": "1", "room": "101", "reason": "skipped_unbound"},
        {"work_order": "WO-2", "owner_name": "刘芳", "owner_phone": "138****8002",
         "building": "2", "room": "202", "reason": "expired"}]}
    cleared = SCRUBS[OutboxKind.REVISIT_LIST](stored, ERASED)
    assert cleared is not None
    first, second = cleared["orders"]
    assert (first["work_order"], first["owner_name"], first["owner_phone"], first["room"]) == (
        "WO-1", None, None, None)
    assert second == stored["orders"][1]


def test_risk_words_keep_the_words_found_but_not_the_text() -> None:
    stored = {"source": "comment", "words": ["12345"], "text": "再不解决我就打12345",
              "owner_name": "张伟", "work_order_external_id": "WO-1"}
    cleared = SCRUBS[OutboxKind.RISK_WORDS](stored, ERASED)
    assert cleared is not None
    assert (cleared["words"], cleared["text"], cleared["owner_name"]) == (["12345"], "", None)


def test_a_row_emptied_by_an_earlier_forget_is_left_alone() -> None:
    # A staff member who is also an owner: their chat's rows were emptied when they left.
    for kind in (OutboxKind.REVISIT_LIST, OutboxKind.RISK_WORDS, OutboxKind.COMPLAINT_OPENED):
        assert SCRUBS[kind]({}, ERASED) is None
