"""Free text keeps what people typed, less what no database can store."""

from __future__ import annotations

import pytest

from surveys.core.errors import DomainError, ErrorCode, InvalidAnswer, InvalidInput
from surveys.core.text import clean_free_text, one_line, shown_lines, storable


def test_nul_characters_are_dropped_from_free_text() -> None:
    assert storable("电梯\x00坏了\x00") == "电梯坏了"


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    assert storable("差评\ud800!") == "差评\ufffd!"


def test_ordinary_text_with_emoji_tabs_and_line_breaks_is_unchanged() -> None:
    text = "师傅很好👍\t谢谢\n下次再来"
    assert storable(text) == text


def _clean(text: str | None, error: type[DomainError] = InvalidInput) -> str:
    return clean_free_text(text, max_chars=5, empty=ErrorCode.MESSAGE_EMPTY,
                           too_long=ErrorCode.MESSAGE_TOO_LONG, error=error)


def test_free_text_is_stored_stripped_and_without_nul() -> None:
    assert _clean("  a\x00b\n ") == "ab"


def test_empty_free_text_is_refused_with_its_code_unless_empty_is_allowed() -> None:
    with pytest.raises(InvalidInput) as refused:
        _clean(" \x00 ")
    assert refused.value.code == ErrorCode.MESSAGE_EMPTY
    assert clean_free_text(None, max_chars=5, empty=None,
                           too_long=ErrorCode.INVALID_ANSWER) == ""


def test_too_long_free_text_names_the_limit_and_raises_the_error_class_asked_for() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        _clean("123456", error=InvalidAnswer)
    assert (refused.value.code, refused.value.fields) == (ErrorCode.MESSAGE_TOO_LONG,
                                                          {"limit": 5})
    assert _clean(" 12345 ") == "12345"


def test_one_line_shows_controls_and_direction_marks_as_escapes_and_keeps_the_rest() -> None:
    assert one_line("王晓梅 A-7 😀 1/2") == "王晓梅 A-7 😀 1/2"
    assert one_line("a\nb\r\tc") == "a\\nb\\r\\tc"
    assert one_line("\x1b[2J\x07\x7f\u009b") == "\\x1b[2J\\x07\\x7f\\x9b"
    assert one_line("\u202e\u200b\ufeff") == "\\u202e\\u200b\\ufeff"


def test_shown_lines_keeps_line_breaks_and_tabs_and_escapes_the_other_controls() -> None:
    assert (shown_lines("Traceback:\n\tline 1\r\x1b[2J\u202e")
            == "Traceback:\n\tline 1\\r\\x1b[2J\\u202e")
