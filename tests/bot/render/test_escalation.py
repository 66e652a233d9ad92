"""A manager's summary of an owner's texts kept past the daily limit reads right for one
text and for several, in English and in Chinese."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.escalation import owner_text_kept
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload

KEY = b"k" * 32


def _summary(locale: str, more: int, text: str) -> str:
    data = OwnerTextKeptPayload(owner_text_id=7, owner_id=3, text=text, limit=3,
                                owner_name="陈静", owner_unit="3-303", more=more)
    return owner_text_kept(data, translator(locale), KEY, 8002).text


def test_a_summary_of_one_more_text_speaks_of_one_message_in_english() -> None:
    one = _summary("en", 1, "“call me on 138****5671”").splitlines()
    assert one[0] == ("📥 Owner 陈静 (3-303) sent 1 more message in the 24 hours after the one "
                      "we passed to you at their limit of 3 new complaints a day. It was kept "
                      "without opening a complaint; please check whether it needs handling.")
    assert one[1:3] == ["The owner's words:", "“call me on 138****5671”"]


def test_a_summary_of_several_texts_speaks_of_messages_and_the_latest_of_them() -> None:
    several = _summary("en", 3, "“a”\n“b”\n“c”").splitlines()
    assert "sent 3 more messages" in several[0] and "They were kept" in several[0]
    assert several[1:5] == ["The latest of them:", "“a”", "“b”", "“c”"]
    zh = _summary("zh_CN", 1, "“a”").splitlines()
    assert "又发来 1 条消息" in zh[0] and zh[1:3] == ["最近发来的：", "“a”"]
