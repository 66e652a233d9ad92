"""An import pointed at no file, or at a folder, says so in the reader's language (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.fixtures.terminal import speak


@pytest.fixture(autouse=True)
def chinese_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")


@pytest.mark.parametrize("command", ["orders", "revisits"])
def test_a_missing_file_is_named_in_chinese_without_the_systems_english(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = str(tmp_path / "nofile.csv")
    argv = (["orders", "--db-url", db_url, "import", missing] if command == "orders"
            else ["revisits", "import", "--staff", "孙丽", "--db-url", db_url, missing])
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "没有文件" in err and "nofile.csv" in err and len(err.splitlines()) == 1
    assert "No such file" not in err


def test_a_path_through_a_file_is_a_missing_file_in_chinese(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "orders.csv").write_text("x", encoding="utf-8")
    inside = str(tmp_path / "orders.csv" / "orders.csv")  # ENOTDIR: a typo in the folder
    assert main(["orders", "--db-url", db_url, "import", inside]) == 2
    err = capsys.readouterr().err.strip()
    assert "没有文件" in err and "Not a directory" not in err


def test_a_folder_given_as_the_file_is_refused_in_chinese(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orders", "--db-url", db_url, "import", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "是文件夹" in err and "Is a directory" not in err


@pytest.mark.parametrize("command", ["orders", "revisits", "owners"])
def test_an_english_terminal_is_told_in_english_like_its_help(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    speak(monkeypatch, "en_US.UTF-8")
    missing = str(tmp_path / "nofile.csv")
    argv = {"orders": ["orders", "import", missing, "--db-url", db_url],
            "revisits": ["revisits", "import", "--staff", "孙丽", "--db-url", db_url, missing],
            "owners": ["people", "owners", "import", missing, "--db-url", db_url]}[command]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "nofile.csv" in err and len(err.splitlines()) == 1
    assert "没有文件" not in err
