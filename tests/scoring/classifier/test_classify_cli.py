"""`ownervoice classify [FILE]`: one comment a line in, one JSON object a line out."""

from __future__ import annotations

import json
import subprocess
import sys
import time
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
    assert main(["classify", "--lang", "en", str(tmp_path / "nope.txt")]) == 2
    expected = f"ownervoice classify: no such file: {tmp_path / 'nope.txt'}"
    assert capsys.readouterr().err.strip() == expected


def _run_cli(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "classify", *extra, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def test_empty_and_blank_lines_are_neutral_results(tmp_path: Path) -> None:
    source = tmp_path / "blank.txt"
    source.write_text("\n   \n\t\u3000\n", encoding="utf-8")
    done = _run_cli(source)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3
    assert all(r["polarity"] == "neutral" and r["complaint"] is False for r in rows)
    assert all(set(r["aspects"].values()) == {None} for r in rows)


def test_a_fifty_thousand_character_line_is_classified_in_bounded_time(tmp_path: Path) -> None:
    # One clause with no punctuation: the rules' pairwise checks made this take seconds.
    text = ("师傅态度很好来得很快但是等了三天还是没修好" * 2500)[:50_000]
    source = tmp_path / "long.txt"
    source.write_text(text + "\n", encoding="utf-8")
    started = time.perf_counter()
    done = _run_cli(source)
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 10
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert row["text"] == text
    assert row["aspects"]["resolution"] == "neg"


def test_a_gbk_file_is_one_translated_line_and_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("师傅态度很差，等了三天\n".encode("gbk"))
    done = _run_cli(source)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"ownervoice classify：{source} 第 1 行不是 UTF-8 文本（是 GBK 文件吗？请先转换，例如 "
        f"iconv -f GBK -t UTF-8 {source} > comments.txt）"
    ]


def test_a_binary_file_is_one_line_in_english_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(bytes(range(256)) * 8)
    done = _run_cli(source, "--lang", "en")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"ownervoice classify: {source} looks like a binary file, not text: one comment a line"
    )
    assert "Traceback" not in done.stderr


def test_binary_data_without_a_nul_byte_is_refused_before_any_output(tmp_path: Path) -> None:
    # Control bytes decode as UTF-8 but are no comment: nothing of the file is classified.
    source = tmp_path / "dump.bin"
    source.write_bytes(bytes(range(1, 128)) * 4 + b"\n" + bytes(range(128, 256)))
    done = _run_cli(source, "--lang", "en")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"ownervoice classify: {source} looks like a binary file, not text: one comment a line"
    )


def test_a_utf16_file_names_its_encoding_and_how_to_convert_it(tmp_path: Path) -> None:
    source = tmp_path / "utf16.txt"
    source.write_bytes("师傅态度很差\n".encode("utf-16"))
    done = _run_cli(source)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"ownervoice classify：{source} 是 UTF-16 文本，请先转换，例如 "
        f"iconv -f UTF-16 -t UTF-8 {source} > comments.txt"
    )


def test_a_directory_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    done = _run_cli(tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"ownervoice classify：无法读取 {tmp_path}，请检查路径和权限"


def test_classify_imports_no_chat_framework_or_asyncio() -> None:
    code = (
        "import sys; from bot.cli import main; main(['classify', '/dev/null']); "
        "print(sorted(m for m in ('asyncio', 'aiogram', 'telegram', 'sqlalchemy', "
        "'pkg_resources', 'snownlp') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_classifying_a_file_loads_no_message_catalogs(tmp_path: Path) -> None:
    # Catalogs (babel) load when there is something to say; a clean run has nothing.
    comments = tmp_path / "comments.txt"
    comments.write_text("维修师傅态度很好\n", encoding="utf-8")
    code = (
        "import sys; from bot.cli import main; main(['classify', sys.argv[1]]); "
        "print(sorted(m for m in ('babel', 'bot.i18n') if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(comments)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert json.loads(done.stdout)["polarity"] == "positive"
