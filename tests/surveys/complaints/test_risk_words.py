"""Risk words in any owner text alert the managers concerned at once, once per text."""

from __future__ import annotations

from surveys.complaints.handling import owner_message
from surveys.complaints.opening import open_direct
from surveys.complaints.risk import find_risk_words
from surveys.core.config import DEFAULT_RISK_WORDS, ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.outbox.escalation_payloads import RiskWordsPayload
from tests.fixtures.complaint_world import (
    MANAGER_ALL_TG,
    MANAGER_HERE_TG,
    OWNER_TG,
    World,
    outbox,
    submit_response,
)

WORDS = list(DEFAULT_RISK_WORDS)


def test_risk_words_are_found_in_the_lists_order() -> None:
    assert find_risk_words("再不修我就找媒体曝光，还要打12345", WORDS) == ["12345", "媒体", "曝光"]


def test_the_hotline_number_inside_a_phone_number_is_not_a_risk_word() -> None:
    assert find_risk_words("请打我电话13812345678", WORDS) == []
    assert find_risk_words("我已经打了12345。", WORDS) == ["12345"]


def test_traditional_and_full_width_text_match_the_simplified_list() -> None:
    assert find_risk_words("我要請律師，已經打了１２３４５", WORDS) == ["12345", "律师"]


def test_a_risk_word_inside_a_longer_everyday_word_does_not_count() -> None:
    exceptions = ComplaintConfig().risk_word_exceptions
    assert find_risk_words("我是做自媒体的，白天在家，楼上装修太吵", WORDS, exceptions) == []
    assert find_risk_words("多媒体教室的投影坏了", WORDS, exceptions) == []
    assert find_risk_words("我做自媒體的，整天在家", WORDS, exceptions) == []  # Traditional
    # The word anywhere else in the same text still counts, and so do the other words.
    assert find_risk_words("我做自媒体的，再不修就找媒体", WORDS, exceptions) == ["媒体"]
    assert find_risk_words("发到自媒体上曝光你们", WORDS, exceptions) == ["曝光", "发到自媒体"]
    # Without exceptions the shorter word counts wherever it stands (the matching as it was).
    assert find_risk_words("我是做自媒体的", WORDS) == ["媒体"]


def test_a_threat_to_post_it_online_alerts_even_on_self_media() -> None:
    exceptions = ComplaintConfig().risk_word_exceptions
    assert find_risk_words("再不修我就发到自媒体上", WORDS, exceptions) == ["发到自媒体"]
    assert find_risk_words("信不信我发抖音", WORDS, exceptions) == ["发抖音"]
    assert find_risk_words("拍了视频发到网上让大家评评理", WORDS, exceptions) == ["发到网上"]


def test_a_company_that_lists_the_longer_word_is_alerted_by_it() -> None:
    config = ComplaintConfig(risk_words=[*WORDS, "自媒体"])
    assert find_risk_words("我是做自媒体的", config.risk_words,
                           config.risk_word_exceptions) == ["自媒体"]


def test_an_empty_word_in_the_config_matches_nothing() -> None:
    config = ComplaintConfig(risk_words=["", "  ", "律师", "律师"])
    assert config.risk_words == ["律师"]
    assert find_risk_words("一切都好", config.risk_words) == []


async def test_a_survey_comment_with_risk_words_alerts_the_managers_with_phones_masked(
    db: SessionFactory, world: World
) -> None:
    await submit_response(db, world, comment="再不处理我就找媒体，电话13812345678")
    rows = await outbox(db, "risk_words")
    assert sorted(m.chat_id for m in rows) == sorted([MANAGER_ALL_TG, MANAGER_HERE_TG])
    payload = RiskWordsPayload.of(rows[0].payload)
    assert payload.source == "comment" and payload.words == ["媒体"]
    assert "13812345678" not in payload.text and "138****5678" in payload.text


async def test_a_direct_complaint_and_a_message_to_the_agent_each_alert_once(
    db: SessionFactory, world: World
) -> None:
    config = ComplaintConfig()
    await submit_response(db, world)
    complaint = await open_direct(db=db, telegram_user_id=OWNER_TG,
                                  text="物业不管，我要去住建局投诉", complaint_config=config)
    assert complaint.id is not None
    await owner_message(db=db, complaint_id=complaint.id, owner_telegram_user_id=OWNER_TG,
                        text="已经咨询律师了", complaint_config=config)
    await owner_message(db=db, complaint_id=complaint.id, owner_telegram_user_id=OWNER_TG,
                        text="好的谢谢", complaint_config=config)
    rows = [RiskWordsPayload.of(m.payload) for m in await outbox(db, "risk_words")]
    assert sorted((p.source, tuple(p.words)) for p in rows) == sorted(
        [("complaint", ("住建局",))] * 2 + [("message", ("律师",))] * 2)


async def test_text_without_risk_words_alerts_nobody(db: SessionFactory, world: World) -> None:
    await submit_response(db, world, comment="师傅很专业，谢谢")
    await submit_response(db, world, comment="我是做自媒体的，白天在家，师傅来得很及时")
    assert await outbox(db, "risk_words") == []
