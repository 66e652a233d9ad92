"""Free text keeps what people typed, less what no database can store."""

from __future__ import annotations

from surveys.core.text import storable


def test_nul_characters_are_dropped_from_free_text() -> None:
    assert storable("电梯\x00坏了\x00") == "电梯坏了"


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    assert storable("差评\ud800!") == "差评\ufffd!"


def test_ordinary_text_with_emoji_tabs_and_line_breaks_is_unchanged() -> None:
    text = "师傅很好👍\t谢谢\n下次再来"
    assert storable(text) == text
