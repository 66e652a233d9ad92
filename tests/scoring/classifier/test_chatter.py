"""Chatter: greetings, acknowledgements, punctuation and emoji, and nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.classifier.chatter import CHATTER_FILE, EmojiMood, emoji_mood, is_chatter


@pytest.mark.parametrize("text", ["在吗", "在嗎？", "你好！", "您好，在吗？", "有人吗", "?",
                                  "？？？", "。", "👍", "😀😀", "好的", "嗯嗯好的谢谢", "收到👌",
                                  "ok", "OK!", "Hello", "thank you!!", "早上好☀️", "  好  "])
def test_greetings_acknowledgements_and_emoji_are_chatter(text: str) -> None:
    assert is_chatter(text)


@pytest.mark.parametrize("text", ["are you there?", "Anyone there?", "hello, anyone?",
                                  "Is anyone there", "Good afternoon!"])
def test_an_english_are_you_there_is_chatter_as_its_chinese_zai_ma(text: str) -> None:
    assert is_chatter(text)


@pytest.mark.parametrize("text", ["在吗 电梯坏了", "你好，我家漏水了", "请问什么时候来修", "漏水",
                                  "没人管", "12345", "好的，什么时候来修", "呵呵", "😡", "👎👎",
                                  "好的😠", "物业费怎么交", "hello, the lift is broken",
                                  "is anyone there to fix the lift"])
def test_anything_with_substance_or_displeasure_is_not_chatter(text: str) -> None:
    assert not is_chatter(text)


def test_a_long_run_of_fillers_is_not_taken_for_chatter() -> None:
    assert is_chatter("好的" * 12) and not is_chatter("好的" * 13)


@pytest.mark.parametrize(("text", "mood"), [
    ("👍", EmojiMood.PLEASED), ("😊😊", EmojiMood.PLEASED), ("🌹🌹🌹", EmojiMood.PLEASED),
    ("❤️", EmojiMood.PLEASED), ("👏🏻👏🏻", EmojiMood.PLEASED), ("🙂👍", EmojiMood.PLEASED),
    ("👌！", EmojiMood.PLEASED),
    ("😡😡", EmojiMood.DISPLEASED), ("👎", EmojiMood.DISPLEASED), ("👍😡", EmojiMood.DISPLEASED),
    ("🙂🙂🙂", EmojiMood.DISPLEASED), ("🙂", EmojiMood.DISPLEASED), ("😢", EmojiMood.DISPLEASED),
    ("🤔", EmojiMood.UNCLEAR), ("🏠", EmojiMood.UNCLEAR), ("😂", EmojiMood.UNCLEAR),
])
def test_a_message_of_emoji_only_has_the_mood_of_its_emoji(text: str, mood: EmojiMood) -> None:
    assert emoji_mood(text) == mood


@pytest.mark.parametrize("text", ["谢谢👍", "好的🙂", "电梯坏了😡", "?", "。。。", ""])
def test_a_text_with_words_or_without_emoji_has_no_emoji_mood(text: str) -> None:
    assert emoji_mood(text) is None


def test_the_sarcastic_smile_does_not_stop_words_from_being_chatter() -> None:
    assert is_chatter("好的🙂") and not is_chatter("好的😡")


def test_emoji_moods_are_read_from_the_editable_lexicon(tmp_path: Path) -> None:
    (tmp_path / CHATTER_FILE).write_text("# a company's own list\n好的\n+🏠\n!🤔\n",
                                         encoding="utf-8")
    assert emoji_mood("🏠🏠", tmp_path) == EmojiMood.PLEASED
    assert emoji_mood("🤔", tmp_path) == EmojiMood.DISPLEASED
    assert emoji_mood("👍", tmp_path) == EmojiMood.UNCLEAR
