"""scripts/writer_rows.py appends new writers' rows after the ones already kept, ids and all."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.fixtures.scripts import load_script

NONE = {"attitude": None, "clarity": None, "timeliness": None, "resolution": None}


def _tool() -> ModuleType:
    return load_script("writer_rows")


def _row(text: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {"text": text, "polarity": "neutral", "complaint": False}
    return row | {"aspects": NONE, "phenomena": [], "register": "spoken"} | extra


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _writer(root: Path, name: str, rows: list[dict[str, object]], done: bool = True) -> Path:
    folder = root / name
    folder.mkdir()
    _write(folder / "rows.jsonl", rows)
    if done:
        (folder / "DONE").touch()
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with a train, test and blind split and two writer rows already kept."""
    folder = tmp_path / "data"
    folder.mkdir()
    _write(folder / "train.jsonl", [_row("物业费什么时候交", id=1)])
    _write(folder / "test.jsonl", [_row("电梯每天都有人检查吗", id=2)])
    _write(folder / "blind.jsonl", [_row("楼道的灯坏了三个月也没人来修", id=3)])
    _write(
        folder / "writers.jsonl",
        [_row("收到", id=40, source="w1"), _row("好的，明白了", id=41, source="w1")],
    )
    return folder


def test_new_rows_follow_the_kept_ones_whose_lines_and_ids_stay_as_they_were(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (data / "writers.jsonl").read_bytes()
    first = _writer(tmp_path, "w1", [_row("这一行不会再读")])
    second = _writer(
        tmp_path,
        "w2",
        [
            _row("管家回复很快"),
            _row("收到"),  # a row another writer already gave
            _row("电梯每天都有人检查吗"),  # a test row
            _row("楼道的灯坏了三个月也没人来修！"),  # near a blind row
            _row("坏行", polarity="negative"),  # a complaint must follow a negative verdict
            _row("保安很负责"),
            _row("管家回复很快"),  # the same writer twice
        ],
    )
    late = _writer(tmp_path, "w3", [_row("还没写完")], done=False)

    assert _tool().main(["--data-dir", str(data), str(first), str(second), str(late)]) == 0

    after = (data / "writers.jsonl").read_bytes()
    assert after.startswith(before)
    added = [json.loads(line) for line in after[len(before) :].decode("utf-8").splitlines()]
    assert [(r["id"], r["source"], r["text"]) for r in added] == [
        (42, "w2", "管家回复很快"),
        (43, "w2", "保安很负责"),
    ]
    out = capsys.readouterr().out
    assert "w1: already in writers.jsonl (2 rows), skipped" in out
    assert "w2: read 7, kept 2, duplicate of train/test/another writer row 3" in out
    assert "near-duplicate of a blind row" in out and "invalid complaint 1" in out
    assert "2 rows were in" in out and "appended 2, now 4" in out
    assert "还没写完" not in after.decode("utf-8")


def test_running_again_over_the_same_writers_adds_nothing(data: Path, tmp_path: Path) -> None:
    folder = _writer(tmp_path, "w2", [_row("管家回复很快")])
    tool = _tool()
    tool.main(["--data-dir", str(data), str(folder)])
    once = (data / "writers.jsonl").read_bytes()
    tool.main(["--data-dir", str(data), str(folder)])
    assert (data / "writers.jsonl").read_bytes() == once


def test_ids_continue_after_the_highest_id_of_any_split(data: Path, tmp_path: Path) -> None:
    _write(data / "train.jsonl", [_row("物业费什么时候交", id=900)])
    (data / "writers.jsonl").unlink()
    folder = _writer(tmp_path, "w1", [_row("管家回复很快")])
    _tool().main(["--data-dir", str(data), str(folder)])
    (row,) = [json.loads(line) for line in (data / "writers.jsonl").read_text("utf-8").splitlines()]
    assert row["id"] == 901
