"""A complaint card shows the same ratings line when first sent and in every later edit,
and each negative aspect with its own words (or its low rating)."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.alerts import complaint_card, complaint_follow_up, complaint_lines
from bot.render.words import quoted
from bot.staff.callbacks import FOLLOW_UP, verify
from surveys.outbox.payloads import ComplaintPayload

EVIDENCE = {"words": ["敷衍"], "ratings": {"overall": 2, "attitude": 1}}


def _ratings_line(data: dict[str, object]) -> str:
    return next(line for line in complaint_lines(translator("zh_CN"), ComplaintPayload.of(data))
                if line.startswith("评分"))


def test_card_and_its_edits_show_the_low_ratings_that_opened_the_complaint() -> None:
    first = {"complaint_id": 1, "evidence": EVIDENCE,
             "ratings": {"overall": 2, "attitude": 1, "clarity": 3, "timeliness": 2}}
    edited = {"complaint_id": 1, "evidence": EVIDENCE}  # the view behind later edits
    assert _ratings_line(first) == _ratings_line(edited) == "评分：总体 2⭐  态度 1⭐"


def test_payload_ratings_are_shown_when_there_is_no_evidence() -> None:
    assert _ratings_line({"complaint_id": 2, "ratings": {"clarity": 1}}) == "评分：表达清晰 1⭐"


def _evidence_line(data: dict[str, object], locale: str = "zh_CN") -> str | None:
    prefix = "依据" if locale == "zh_CN" else "Evidence"
    return next((line for line in complaint_lines(translator(locale), ComplaintPayload.of(data))
                 if line.startswith(prefix)), None)


BY_ASPECT = {"complaint_id": 3, "tags": ["attitude", "timeliness", "overall"],
             "evidence": {"words": ["不耐烦", "爱答不理", "等了三天"],
                          "ratings": {"overall": 2},
                          "by_aspect": {"attitude": ["不耐烦", "爱答不理"],
                                        "timeliness": ["等了三天"]}}}


def test_card_shows_each_negative_aspect_with_its_own_words() -> None:
    assert _evidence_line(BY_ASPECT) == ("依据：服务态度：不耐烦、爱答不理 · 及时性：等了三天"
                                         " · 总体满意度：评分 2⭐")


def test_card_shows_each_aspect_with_its_own_words_in_english() -> None:
    assert _evidence_line(BY_ASPECT, "en") == (
        "Evidence: attitude: 不耐烦, 爱答不理 · timeliness: 等了三天 · overall: rated 2⭐")


def test_tag_opened_by_a_rating_alone_shows_that_rating_not_other_words() -> None:
    data = {"complaint_id": 4, "tags": ["overall", "attitude"],
            "evidence": {"words": ["敷衍"], "ratings": {"overall": 2, "attitude": 1},
                         "by_aspect": {}}}
    assert _evidence_line(data) == "依据：总体满意度：评分 2⭐ · 服务态度：评分 1⭐"


def test_complaint_stored_before_by_aspect_shows_its_flat_words() -> None:
    data = {"complaint_id": 5, "tags": ["attitude"],
            "evidence": {"words": ["敷衍", "不耐烦"], "ratings": {"attitude": 1}}}
    assert _evidence_line(data) == "依据：敷衍, 不耐烦"


def test_complaint_without_any_evidence_has_no_evidence_line() -> None:
    assert _evidence_line({"complaint_id": 6, "tags": ["clarity"],
                           "evidence": {"words": [], "by_aspect": {"clarity": []}}}) is None


def test_follow_up_buttons_carry_the_round_they_were_asked_in() -> None:
    key = b"k" * 32
    for payload, expected in (({"complaint_id": 7}, "0"), ({"complaint_id": 7, "round": 2}, "2")):
        message = complaint_follow_up(ComplaintPayload.of(payload), translator("zh_CN"), key, 1)
        taps = [verify(key, b.callback_data) for row in message.buttons or [] for b in row]
        assert [(t.op, t.fields) for t in taps if t] == [
            (FOLLOW_UP, ("7", "1", expected)), (FOLLOW_UP, ("7", "0", expected))]


def test_every_further_line_of_quoted_words_is_indented_whatever_the_line_break() -> None:
    assert quoted("一行") == "一行"
    assert quoted("a\nb\r\nc\rd\u2028e\u2029f\x85g") == "\n\u3000".join("abcdefg")


def test_quoted_words_lose_the_overrides_that_would_show_them_reversed() -> None:
    assert quoted("\u202e已解决\u202c \u2067x\u2069 \u200f") == "已解决 x \u200f"


def test_an_owners_flood_of_line_breaks_cannot_push_the_cards_own_lines_out_of_it() -> None:
    # 2000 characters (the longest complaint) of line breaks: indented, they must not grow the
    # card past Telegram's 4096 characters, where its tail (deadline, status) would be cut.
    for words in ("漏\n" * 1000, "\n" * 1999 + "漏", "漏\n\n\n\n" * 400):
        data = ComplaintPayload.of({
            "complaint_id": 9, "text": words, "status": "open",
            "work_order_external_id": "WO-2026-000123",
            "work_order_title": "厨房水管漏水，楼上渗水到楼下",
            "owner_name": "王先生", "owner_unit": "12-1201", "tags": ["attitude", "timeliness"],
            "ack_deadline": "2026-12-07T15:00:00"})
        text, _ = complaint_card(translator("en"), b"k" * 32, data)
        assert len(text) <= 3500 and text.endswith("Status: open"), (len(text), text[-40:])

