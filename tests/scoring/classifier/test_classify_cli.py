"""`ownervoice classify [FILE]`: one comment a line in, one JSON object a line out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[3]
KEYS = {"text", "polarity", "score", "complaint", "aspects", "evidence"}


def test_classify_file_prints_one_json_object_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "comments.txt"
    source.write_text(
        "维修师傅态度很差，等了三天才来\n處理很及時\n\n希望下次快一点\n", encoding="utf-8"
    )
    assert main(["classify", str(source)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    rows = [json.loads(line) for line in lines]
    assert all(set(r) == KEYS for r in rows)
    assert rows[0]["complaint"] is True and rows[0]["aspects"]["attitude"] == "neg"
    assert rows[1]["text"] == "處理很及時" and rows[1]["aspects"]["timeliness"] == "pos"
    assert rows[2]["polarity"] == "neutral"
    assert rows[3]["complaint"] is False


def test_classify_reads_stdin_when_no_file_is_given() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "classify"],
        input="不满意\n解释得很清楚\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["polarity"] for r in rows] == ["negative", "positive"]
    assert rows[1]["aspects"]["clarity"] == "pos"


def test_missing_file_is_an_error_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt" in capsys.readouterr().err
