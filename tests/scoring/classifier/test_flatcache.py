"""Flat word tables read back exactly as written, and are rebuilt when they cannot be read."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from scoring.classifier import flatcache, heads, model


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


def _heads_file(tmp_path: Path, weight: float) -> Path:
    data = heads.encode({"attitude": ["none", "pos", "neg"]}, {"态度": [0.0, weight, -weight]},
                        0.001)  # fmt: skip
    path = tmp_path / f"heads-{weight}.json.gz"
    path.write_bytes(gzip.compress(json.dumps(data).encode("utf-8")))
    return path


def _kept_copies(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("ownervoice-heads-*.bin"))


def test_the_heads_read_from_their_kept_copy_equal_the_model_file(tmp_path: Path) -> None:
    built = heads.load(heads.MODEL_PATH)
    assert len(_kept_copies(tmp_path)) == 1
    kept = heads.load(heads.MODEL_PATH)
    assert (kept.heads, kept.width, kept.scale) == (built.heads, built.width, built.scale)
    assert kept.rows == built.rows


def test_a_retrained_heads_file_never_reads_an_older_kept_copy(tmp_path: Path) -> None:
    first = _heads_file(tmp_path, 1.0)
    assert heads.load(first).row("态度") == [0, 1000, -1000]
    first.unlink()
    second = _heads_file(tmp_path, 2.0)  # same size; a new file
    assert heads.load(second).row("态度") == [0, 2000, -2000]


def test_a_planted_or_truncated_heads_copy_is_not_read(tmp_path: Path) -> None:
    path = _heads_file(tmp_path, 1.0)
    heads.load(path)
    (copy,) = _kept_copies(tmp_path)
    copy.write_bytes(copy.read_bytes()[:-2])
    assert heads.load(path).row("态度") == [0, 1000, -1000]
    copy.write_bytes(copy.read_bytes().replace(b"\xe8\x03", b"\x00\x7f"))  # weights 1000 → big
    copy.chmod(0o666)
    assert heads.load(path).row("态度") == [0, 1000, -1000]
