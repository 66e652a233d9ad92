"""Chatter: greetings, acknowledgements, punctuation and emoji, and nothing more."""

from __future__ import annotations

import pytest

from scoring.classifier.chatter import is_chatter


@pytest.mark.parametrize("text", ["在吗", "在嗎？", "你好！", "您好，在吗？", "有人吗", "?",
                                  "？？？", "。", "👍", "😀😀", "好的", "嗯嗯好的谢谢", "收到👌",
                                  "ok", "OK!", "Hello", "thank you!!", "早上好☀️", "  好  "])
def test_greetings_acknowledgements_and_emoji_are_chatter(text: str) -> None:
    assert is_chatter(text)


@pytest.mark.parametrize("text", ["在吗 电梯坏了", "你好，我家漏水了", "请问什么时候来修", "漏水",
                                  "没人管", "12345", "好的，什么时候来修", "呵呵", "😡", "👎👎",
                                  "好的😠", "物业费怎么交", "hello, the lift is broken"])
def test_anything_with_substance_or_displeasure_is_not_chatter(text: str) -> None:
    assert not is_chatter(text)


def test_a_long_run_of_fillers_is_not_taken_for_chatter() -> None:
    assert is_chatter("好的" * 12) and not is_chatter("好的" * 13)
