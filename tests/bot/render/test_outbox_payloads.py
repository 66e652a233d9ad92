"""Rows queued by earlier versions (older shapes, missing keys, nulls) still render, one row
per payload family, and today's payloads are stored under the JSON keys rows always had."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from bot.render.outbox import OutboxRenderer
from surveys.outbox.kinds import OutboxKind, OutboxPayload
from surveys.outbox.payloads import (
    AppealPayload,
    ComplaintEvidence,
    ComplaintPayload,
    CorrectionPayload,
    PeriodClosedPayload,
    RankRow,
    TeamDigestPayload,
    TextPayload,
    WeeklySummaryPayload,
)

KEY = b"outbox-payloads-test-key"


def _render(kind: OutboxKind, payload: dict[str, object]) -> tuple[str, list[list[str]]]:
    message = OutboxRenderer(KEY)(SimpleNamespace(kind=kind, chat_id=42, payload=payload))
    return message.text, [[b.text for b in row] for row in message.buttons or []]


def test_a_complaint_row_from_before_per_aspect_evidence_renders_its_flat_words() -> None:
    # 2026-11 shape: no by_aspect, the owner's language under "language", tags null.
    old = {"complaint_id": 9, "status": "open", "text": "师傅态度很差", "tags": None,
           "evidence": {"words": ["态度很差"], "ratings": {"attitude": 1}},
           "ack_deadline": "2026-11-26T02:00:00", "owner_name": "李先生", "language": "en"}
    text, buttons = _render(OutboxKind.COMPLAINT_OPENED, old)
    assert "Complaint #9" in text and "Evidence: 态度很差" in text
    assert "Acknowledge by: 2026-11-26 10:00" in text  # naive UTC shown in Asia/Shanghai
    assert buttons[0][0] == "✅ Acknowledge"


def test_a_complaint_row_scrubbed_by_forget_renders_without_the_owner() -> None:
    scrubbed = {"complaint_id": 9, "owner_name": None, "owner_unit": None, "text": None,
                "evidence": None, "locale": "zh_CN", "reasons": ["urgent"]}
    text, _ = _render(OutboxKind.MANAGER_ALERT, scrubbed)
    assert "业主：—（—）\n业主原话：“—”" in text and "紧急工单" in text


def test_an_appeal_row_without_ratings_or_tags_renders() -> None:
    old = {"appeal_id": 3, "status": "pending", "reason": "不是我的单", "agent_name": "王师傅",
           "complaint_id": 9, "ratings": None, "locale": "en"}
    text, buttons = _render(OutboxKind.APPEAL_FILED, old)
    assert "Appeal #3 by 王师傅 about complaint #9" in text and "Ratings" not in text
    assert len(buttons[0]) == 2


def test_a_correction_row_without_a_decider_or_before_renders() -> None:
    old = {"complaint_id": 9, "correction_id": 4, "proposer_name": "王师傅",
           "aspects": {"attitude": "neg"}, "not_complaint": False, "locale": "en"}
    text, buttons = _render(OutboxKind.TAG_CORRECTION_PROPOSED, old)
    assert "王师傅 asks to correct the tags of complaint #9" in text
    assert "Now: —" in text and len(buttons[0]) == 2


def test_a_weekly_summary_from_before_targets_and_points_v2_renders() -> None:
    old = {"week": "2026-W47", "first_day": "2026-11-16", "last_day": "2026-11-22",
           "surveys_sent": 4, "responses": 3, "response_rate": 0.75,
           "dimensions": {"overall": {"n": 3, "score": 80.0, "change": None}},
           "complaints": 1, "ack_on_time_rate": 1.0, "resolution_rate": None,
           "follow_up_satisfaction_rate": None, "handling": 90.0, "total": 85.5,
           "grade": "B", "rank": 1, "team_size": 2, "change": None,
           "top_tags": [{"tag": "attitude", "count": 1, "words": []}], "locale": "en"}
    text, _ = _render(OutboxKind.WEEKLY_SUMMARY, old)
    assert "2026-W47 (2026-11-16 to 2026-11-22)" in text and "Targets" not in text
    assert "Complaint points" not in text and "• attitude ×1" in text


def test_a_team_digest_from_before_targets_renders() -> None:
    old = {"week": "2026-W47", "first_day": "2026-11-16", "last_day": "2026-11-22",
           "community": None, "rows": [{"name": "王师傅", "rank": 1, "total": 85.5}],
           "surveys_sent": 4, "responses": 3, "complaints": 1, "open_complaints": 0,
           "overdue_complaints": 0, "locale": "en"}
    text, _ = _render(OutboxKind.TEAM_DIGEST, old)
    assert "1. 王师傅: 85.5" in text and "Targets" not in text


def test_a_period_closed_row_in_the_older_language_key_renders_in_that_language() -> None:
    old = {"label": "2026-11", "total": 85.5, "grade": "B", "rank": None, "language": "en"}
    text, _ = _render(OutboxKind.PERIOD_CLOSED, old)
    assert text.startswith("📌 Assessment 2026-11 is closed") and "rank: —" in text


def test_a_text_row_without_buttons_renders_plain() -> None:
    text, buttons = _render(OutboxKind.TEXT, {"text": "hello", "buttons": None})
    assert (text, buttons) == ("hello", [])


TODAY: list[tuple[type[OutboxPayload], OutboxPayload]] = [
    (ComplaintPayload, ComplaintPayload(
        complaint_id=1, source="response", status="open", text="很差", tags=["attitude"],
        evidence=ComplaintEvidence.model_validate({"words": ["差"], "polarity": "neg"}),
        urgent=False, opened_at=datetime(2026, 12, 1, 2), ack_deadline=datetime(2026, 12, 2, 2),
        owner_name="李", locale="zh_CN", ratings={"overall": 1})),
    (AppealPayload, AppealPayload(appeal_id=2, complaint_id=1, reason="r", locale="en")),
    (CorrectionPayload, CorrectionPayload(complaint_id=1, correction_id=3,
                                          aspects={"attitude": None}, decider="张")),
    (WeeklySummaryPayload, WeeklySummaryPayload(week="2026-W48", first_day=date(2026, 11, 23),
                                                last_day=date(2026, 11, 29), total=80.0)),
    (TeamDigestPayload, TeamDigestPayload(week="2026-W48", first_day=date(2026, 11, 23),
                                          last_day=date(2026, 11, 29),
                                          rows=[RankRow(name="王", rank=1)])),
    (PeriodClosedPayload, PeriodClosedPayload(label="2026-11", total=80.0)),
    (TextPayload, TextPayload(text="hi", buttons=[])),
]


@pytest.mark.parametrize(("model", "payload"), TODAY, ids=lambda v: getattr(v, "__name__", ""))
def test_a_payload_reads_back_from_its_stored_json_unchanged(
        model: type[OutboxPayload], payload: OutboxPayload) -> None:
    assert model.of(payload.to_json()) == payload


def test_a_complaint_payload_is_stored_under_the_documented_keys() -> None:
    stored = TODAY[0][1].to_json()
    assert stored["ack_deadline"] == "2026-12-02T02:00:00"
    assert stored["evidence"] == {"words": ["差"], "polarity": "neg"}
    assert set(stored) == {"complaint_id", "source", "status", "text", "tags", "evidence",
                           "urgent", "opened_at", "ack_deadline", "owner_name", "locale",
                           "ratings"}
