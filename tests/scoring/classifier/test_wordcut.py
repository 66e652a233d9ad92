"""The fast segmenter returns jieba's own words (HMM off) and survives its cache file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scoring.classifier import flatcache, segmentation, wordcut

COMMENTS = [
    "维修师傅态度很好，处理很及时",
    "等了三天才来，打电话没人接！！",
    "wifi坏了abc123还没修好，物业费照交",
    "不是慢，是根本不来",
    "师傅 人 很好 ok 👍👍",
    "a.b-c_d%e#f&g+h",
    "",
    "   \t ",
    "電梯壞了",
]


def _jieba_words(text: str) -> list[str]:
    return [w for w in segmentation.tokenizer().lcut(text, HMM=False) if w.strip()]


@pytest.fixture(scope="module")
def cutter() -> wordcut.Cutter:
    tk = segmentation.tokenizer()
    return wordcut.Cutter.from_frequencies(tk.FREQ, tk.total)


def test_cutter_returns_jiebas_words_for_owner_comments(cutter: wordcut.Cutter) -> None:
    for text in COMMENTS:
        assert cutter.cut(text) == _jieba_words(text)


def test_cutter_returns_jiebas_words_for_random_mixed_text(cutter: wordcut.Cutter) -> None:
    rng = random.Random(5)
    alphabet = "物业管家师傅态度很好差慢修漏水abcXYZ019 .+-#&%_，。!？😀\u3000" + "".join(
        chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(60)
    )
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))
        assert cutter.cut(text) == _jieba_words(text)


def test_prefix_dictionary_file_reads_back_the_same_cutter(
    cutter: wordcut.Cutter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(tmp_path))
    tk = segmentation.tokenizer()
    built = wordcut.load("t", lambda: (tk.FREQ, tk.total, True))
    read = wordcut.load("t", lambda: pytest.fail("built again instead of read"))
    assert read.logp == built.logp == cutter.logp
    assert read.miss == cutter.miss


def test_a_dictionary_that_is_not_the_named_one_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(tmp_path))
    wordcut.load("u", lambda: ({"好": 5}, 5, False))
    assert not list(tmp_path.iterdir())


def test_a_damaged_dictionary_file_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(tmp_path))
    (tmp_path / "ownervoice-prefixes-v.bin").write_bytes(b"ownervoice-flat-table 1\n3 x")
    rebuilt = wordcut.load("v", lambda: ({"好": 5, "好人": 2}, 7, True))
    assert rebuilt.cut("好人好") == ["好人", "好"]
