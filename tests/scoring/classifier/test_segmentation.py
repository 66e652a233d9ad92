"""jieba's small dictionary is written once to the temporary directory and used only if ours."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoring.classifier import flatcache, segmentation


@pytest.fixture
def jieba_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for jieba's package folder, with a three-word dictionary."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(temp))
    folder = tmp_path / "jieba"
    folder.mkdir()
    frequent = segmentation.MIN_FREQ
    (folder / "dict.txt").write_text(
        f"物业 {frequent * 10} n\n管家 {frequent} n\n罕见词 {frequent - 1} n", encoding="utf-8"
    )
    return folder


def test_the_small_dictionary_keeps_frequent_words_and_the_user_dictionary(
    jieba_dir: Path,
) -> None:
    small = segmentation._small_dictionary(jieba_dir)
    assert small is not None
    words = [line.split()[0] for line in small.read_text(encoding="utf-8").splitlines()]
    user = (segmentation.LEXICON_DIR / "userdict.txt").read_text(encoding="utf-8")
    first_user_word = next(
        line.split()[0] for line in user.splitlines() if line.strip() and line[0] != "#"
    )
    assert words[:2] == ["物业", "管家"]
    assert "罕见词" not in words
    assert first_user_word in words
    assert not small.stat().st_mode & 0o022
    assert [p.name for p in small.parent.iterdir()] == [small.name]  # no partial file left


def test_the_small_dictionary_is_written_once_and_then_read(jieba_dir: Path) -> None:
    small = segmentation._small_dictionary(jieba_dir)
    assert small is not None
    small.write_text("物业 500 n\n", encoding="utf-8")
    assert segmentation._small_dictionary(jieba_dir) == small
    assert small.read_text(encoding="utf-8") == "物业 500 n\n"


def test_a_small_dictionary_others_can_write_is_not_used(jieba_dir: Path) -> None:
    small = segmentation._small_dictionary(jieba_dir)
    assert small is not None
    small.chmod(0o666)  # anyone could have planted its words
    assert segmentation._small_dictionary(jieba_dir) is None


def test_a_small_dictionary_another_user_owns_is_not_used(
    jieba_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert segmentation._small_dictionary(jieba_dir) is not None
    monkeypatch.setattr(flatcache.os, "geteuid", lambda: os.getuid() + 1)
    assert segmentation._small_dictionary(jieba_dir) is None


def test_no_usable_temporary_directory_means_the_full_dictionary(
    jieba_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(tmp_path / "gone"))
    assert segmentation._small_dictionary(jieba_dir) is None
