"""Parse modes are checked the way Telegram checks them, and the visible text is kept."""

from __future__ import annotations

import pytest

from bot.emulator.errors import ApiError
from bot.emulator.markup import check_text, command_entities


def test_html_tags_are_stripped_and_entities_unescaped() -> None:
    assert check_text("<b>评分</b> &lt;5&gt; <a href='https://x.y'>链接</a>", "HTML") == (
        "评分 <5> 链接")


@pytest.mark.parametrize("text", ["a <br> b", "1 < 2", "<b>x</i>", "<i>x"])
def test_bad_html_is_refused(text: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        check_text(text, "HTML")


def test_markdown_v2_needs_reserved_characters_escaped() -> None:
    with pytest.raises(ApiError, match=r"Character '\.' is reserved"):
        check_text("谢谢.", "MarkdownV2")
    assert check_text(r"*谢谢*\. [链接](https://a.b/c-d) `x.y`", "MarkdownV2") == (
        "谢谢. 链接 x.y")


def test_command_entities_count_utf16_units() -> None:
    assert command_entities("😀 /start x") == [{"type": "bot_command", "offset": 3,
                                                "length": 6}]
    assert command_entities("/report@emu1_bot week")[0]["length"] == len("/report@emu1_bot")
    assert command_entities("no/command here") == []
