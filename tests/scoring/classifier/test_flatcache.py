"""Flat word tables read back exactly as written, and are rebuilt when they cannot be read."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from scoring.classifier import flatcache, model


@pytest.fixture(autouse=True)
def _tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flatcache.tempfile, "gettempdir", lambda: str(tmp_path))


def test_a_table_reads_back_the_same_words_and_doubles(tmp_path: Path) -> None:
    table = {"满意": 1.25, "!满意": -0.1 / 3, "a_b": 1e-300, "师傅": -7.0}
    flatcache.cached("t.bin", lambda: (table, 0.1 + 0.2, True))
    read = flatcache.cached("t.bin", lambda: pytest.fail("built again instead of read"))
    assert read == (table, 0.1 + 0.2)
    assert list(read[0]) == list(table)


def test_an_empty_table_reads_back_empty() -> None:
    flatcache.cached("e.bin", lambda: ({}, 2.5, True))
    assert flatcache.cached("e.bin", lambda: pytest.fail("built again")) == ({}, 2.5)


def test_a_word_with_the_separator_is_not_kept(tmp_path: Path) -> None:
    flatcache.cached("n.bin", lambda: ({"a\nb": 1.0}, 0.0, True))
    assert not (tmp_path / "n.bin").exists()


def test_a_truncated_file_is_rebuilt(tmp_path: Path) -> None:
    flatcache.cached("x.bin", lambda: ({"好": 1.0, "差": -1.0}, 0.0, True))
    path = tmp_path / "x.bin"
    path.write_bytes(path.read_bytes()[:-3])
    assert flatcache.cached("x.bin", lambda: ({"好": 2.0}, 0.0, True)) == ({"好": 2.0}, 0.0)


def test_naive_bayes_log_odds_are_the_same_from_the_kept_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with gzip.open(model.MODEL_PATH, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    tokens = ["师傅", "态度", "不", "满意", "，", "等", "了", "三天"]
    expected = float(data["bias"]) + sum(
        data["weights"].get(f, 0.0) for f in model.features(tokens)
    )
    for _ in range(2):  # built from the model file, then read from the flat table
        monkeypatch.setattr(model, "_weights", None)
        assert model.log_odds(tokens) == expected


def test_a_table_others_can_write_is_not_read(tmp_path: Path) -> None:
    flatcache.cached("p.bin", lambda: ({"好": 9.0}, 0.0, True))  # a planted table, say
    (tmp_path / "p.bin").chmod(0o666)
    assert flatcache.cached("p.bin", lambda: ({"好": 1.0}, 0.0, True)) == ({"好": 1.0}, 0.0)
    assert not list(tmp_path.glob("*.tmp"))


def test_a_table_another_user_owns_is_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    flatcache.cached("o.bin", lambda: ({"好": 9.0}, 0.0, True))
    monkeypatch.setattr(flatcache.os, "geteuid", lambda: os.getuid() + 1)
    assert flatcache.cached("o.bin", lambda: ({"好": 1.0}, 0.0, False)) == ({"好": 1.0}, 0.0)
