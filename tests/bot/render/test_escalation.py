"""A manager's summary of an owner's texts kept past the daily limit reads right for one
text and for several, in English and in Chinese."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.escalation import complaint_escalated, owner_text_kept
from surveys.outbox.escalation_payloads import EscalationPayload, OwnerTextKeptPayload

KEY = b"k" * 32


def _summary(locale: str, more: int, text: str, limit: int = 3) -> str:
    data = OwnerTextKeptPayload(owner_text_id=7, owner_id=3, text=text, limit=limit,
                                owner_name="陈静", owner_unit="3-303", more=more)
    return owner_text_kept(data, translator(locale), KEY, 8002).text


def test_a_summary_of_one_more_text_speaks_of_one_message_in_english() -> None:
    one = _summary("en", 1, "“call me on 138****5671”").splitlines()
    assert one[0] == "📥 Owner 陈静 (3-303) reached their limit of 3 new complaints a day."
    assert one[1] == ("They sent 1 more message in the 24 hours after the one we passed to you. "
                      "It was kept without opening a complaint; please check whether it needs "
                      "handling.")
    assert one[2:4] == ["The owner's words:", "　“call me on 138****5671”"]


def test_a_summary_of_several_texts_speaks_of_messages_and_the_latest_of_them() -> None:
    several = _summary("en", 3, "“a”\n“b”\n“c”").splitlines()
    assert "sent 3 more messages" in several[1] and "They were kept" in several[1]
    # The quotes are one block, indented like every owner's line after a card's first.
    assert several[2:6] == ["The latest of them:", "　“a”", "　“b”", "　“c”"]
    zh = _summary("zh_CN", 1, "“a”").splitlines()
    assert zh[0] == "📥 业主 陈静（3-303）今天新登记的投诉已达上限 3 条。"
    assert "又发来 1 条消息" in zh[1] and zh[2:4] == ["最近发来的：", "　“a”"]


def test_a_limit_of_one_complaint_a_day_reads_one_new_complaint_in_english() -> None:
    at_once = _summary("en", 0, "hello", limit=1).splitlines()[0]
    assert at_once.startswith("📥 Owner 陈静 (3-303) has reached today's limit of 1 new "
                              "complaint. This message was kept")
    summary = _summary("en", 2, "“a”\n“b”", limit=1).splitlines()
    assert summary[0] == "📥 Owner 陈静 (3-303) reached their limit of 1 new complaint a day."
    assert summary[1].startswith("They sent 2 more messages")


def test_a_complaint_closed_after_one_escalation_speaks_of_one_escalation() -> None:
    data = EscalationPayload(complaint_id=5, escalations=1, closed=True, audience="manager",
                             agent_name="王晓梅")
    text = complaint_escalated(data, translator("en"), KEY, 8002).text
    assert text.startswith("🔺 Complaint #5 is closed unsatisfied: the owner is still not "
                           "satisfied after 1 escalation. Agent: 王晓梅.")
