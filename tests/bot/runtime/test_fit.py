"""Texts cut to fit one Telegram message, checked against the emulator's Telegram rules."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.emulator.markup import check_text, utf16_len
from bot.runtime.fit import MARK, MAX_CAPTION, MAX_TEXT, fit, fit_caption

# A short piece repeated: long texts (the ones that get cut) in every example.
ANY_TEXT = st.builds(lambda piece, times: piece * times,
                     st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                             max_size=12),
                     st.integers(min_value=1, max_value=3000))


def test_a_text_telegram_takes_is_left_alone() -> None:
    for text in ("你好", "字" * MAX_TEXT, "😀" * (MAX_TEXT // 2)):
        assert fit(text) == text
    tagged = "<b>x</b>" * 1000  # 8,000 characters, 1,000 of them shown
    assert fit(tagged, "HTML") == tagged


def test_chinese_beyond_the_limit_is_cut_to_it_and_marked() -> None:
    cut = fit("投诉" * 3000)
    assert utf16_len(cut) == MAX_TEXT and cut.endswith(MARK) and cut.startswith("投诉投诉")


def test_emoji_and_characters_outside_the_basic_plane_count_twice() -> None:
    cut = fit("😡𠮷" * 1500)
    assert utf16_len(cut) <= MAX_TEXT and cut.endswith(MARK)
    assert len(cut) == (MAX_TEXT - 1) // 2 + 1  # 2,047 characters of two units, then "…"


def test_html_is_cut_outside_tags_and_entities_and_its_tags_closed() -> None:
    page = f"<pre>{html.escape('A&B<张>' * 1000)}</pre>"
    cut = fit(page, "HTML")
    assert cut.endswith(MARK + "</pre>")
    check_text(cut, "HTML")  # parses as Telegram would, and fits
    nested = fit("<b>粗<i>" + "斜&amp;" * 3000 + "</i></b>", "html")
    assert nested.endswith(MARK + "</i></b>")
    check_text(nested, "HTML")


def test_a_caption_is_cut_to_1024_units() -> None:
    caption = fit_caption("报表" * 600)
    assert caption is not None and utf16_len(caption) == MAX_CAPTION
    check_text(caption, None, caption=True)
    assert fit_caption(None) is None


@settings(max_examples=60, derandomize=True, deadline=None)
@given(ANY_TEXT)
def test_any_text_fits_after_the_cut_plain_or_as_an_html_page(text: str) -> None:
    if not text.strip():
        return  # Telegram refuses an empty text however short
    check_text(fit(text), None)
    check_text(fit(f"<pre>{html.escape(text)}</pre>", "HTML"), "HTML")
