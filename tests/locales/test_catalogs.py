"""Every text a person reads has a zh_CN translation and an en entry."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n
from bot.i18n import LOCALES_DIR, Translator, pick_locale

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
# Python code, and the web page's Jinja2 templates (they call `_()` like the code does).
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]


def _source_msgids() -> set[str]:
    ids: set[str] = set()
    for package in ("bot", "surveys", "scoring"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / package, method_map=METHODS, keywords=KEYWORDS
        ):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _catalog_entries(locale: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for po_file in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    value = message.string
                    entries[key] = value[0] if isinstance(value, tuple) else (value or "")
    return entries


def test_every_source_text_has_a_chinese_translation() -> None:
    zh = _catalog_entries("zh_CN")
    missing = sorted(m for m in _source_msgids() if not zh.get(m))
    assert not missing, f"texts without a zh_CN translation: {missing}"


def test_every_source_text_is_listed_in_the_english_catalog() -> None:
    en = _catalog_entries("en")
    missing = sorted(m for m in _source_msgids() if m not in en)
    assert not missing, f"texts missing from the en catalog: {missing}"


def test_translations_keep_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    zh = _catalog_entries("zh_CN")
    wrong = [m for m, t in zh.items() if t and fields(m) != fields(t)]
    assert not wrong, f"zh_CN placeholders differ from the msgid: {wrong}"


def test_default_locale_is_chinese_and_english_falls_back_to_the_msgid() -> None:
    msg = "Sorry, something went wrong on our side. Please try again later."
    assert Translator("zh_CN")._(msg) == "抱歉，系统暂时出了点问题，请稍后再试。"
    assert Translator("en")._(msg) == msg
    assert Translator("fr")._(msg) == "抱歉，系统暂时出了点问题，请稍后再试。"


@pytest.mark.parametrize(
    ("code", "locale"),
    [("zh-hans", "zh_CN"), ("zh-TW", "zh_CN"), ("en-US", "en"), ("en", "en"), (None, "zh_CN"),
     ("de", "zh_CN")],
)
def test_telegram_language_code_maps_to_a_supported_locale(code: str | None, locale: str) -> None:
    assert pick_locale(code) == locale


def test_english_readers_see_revisit_not_the_chinese_term() -> None:
    en = _catalog_entries("en")
    untranslated = sorted(m for m, t in en.items() if "回访" in m and (not t or "回访" in t))
    assert not untranslated, f"en texts still showing 回访: {untranslated}"


def test_english_readers_see_assessment_not_the_chinese_term() -> None:
    # "Close a 考核 period: /close 2026-11" reached English-speaking managers as written.
    en = _catalog_entries("en")
    untranslated = sorted(m for m, t in en.items() if "考核" in m and "assessment" not in t)
    assert not untranslated, f"en texts showing 考核 without the English word: {untranslated}"


def test_chinese_texts_address_every_reader_as_nin_never_ni() -> None:
    # One register for everyone the bot speaks to: owners are always 您, and staff (agents,
    # managers, 回访 staff) are too, as their cards and summaries always were; 你 mixed in
    # made the close notice, /how and the review texts read as a different voice.
    zh = _catalog_entries("zh_CN")
    casual = sorted(m for m, t in zh.items() if "你" in t)
    assert not casual, f"zh_CN texts saying 你 instead of 您: {casual}"


def test_chinese_texts_call_the_revisit_staff_by_one_name() -> None:
    # The CLI (`ownervoice revisitors`), their refusals and their lists say 回访员; a second
    # name in the /unreachable refusal and the demo read as another role.
    zh = _catalog_entries("zh_CN")
    other = sorted(m for m, t in zh.items() if "回访专员" in t)
    assert not other, f"zh_CN texts saying 回访专员 instead of 回访员: {other}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_catalog_file_parses_without_a_warning(locale: str) -> None:
    # A msgid left without its msgstr loads anyway, but babel prints "WARNING: missing
    # msgstr" on stdout, into `ownervoice --help` and every command's output.
    for po_file in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fh:
            read_po(fh, locale=locale, abort_invalid=True)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_text_in_two_catalog_files_reads_the_same_in_both(locale: str) -> None:
    # All files of a language merge into one catalog and the first file's msgstr wins: a
    # second file's different wording is dropped unseen (cli.po's table header "name" = 姓名
    # named the community in `communities add --help`, where cli_help.po meant <名称>).
    seen: dict[str, tuple[str, str]] = {}
    differ = []
    for po_file in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if not message.id:
                    continue
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                value = message.string[0] if isinstance(message.string, tuple) else message.string
                first = seen.setdefault(key, (po_file.name, value or ""))
                if first[1] != (value or ""):
                    differ.append(f"{key!r}: {first} vs {(po_file.name, value)}")
    assert not differ, f"one msgid, two translations: {differ}"


def test_the_first_catalog_file_wins_a_msgid_both_define(tmp_path: Path) -> None:
    # What the test above guards against: the merge keeps the first file's msgstr.

    folder = tmp_path / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "a.po").write_text('msgid "name"\nmsgstr "姓名"\n', encoding="utf-8")
    (folder / "b.po").write_text('msgid "name"\nmsgstr "名称"\n', encoding="utf-8")
    saved = i18n.LOCALES_DIR
    i18n.LOCALES_DIR = tmp_path
    i18n._catalog.cache_clear()
    try:
        assert i18n.Translator("zh_CN")._("name") == "姓名"
    finally:
        i18n.LOCALES_DIR = saved
        i18n._catalog.cache_clear()
