"""An import pointed at no file, or at a folder, or at a path the system refuses to open (a
symbolic link loop, a name too long), says so in the reader's language (exit 2), never in
the system's English."""

from __future__ import annotations

import errno
import socket
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


def _import(command: str, path: Path, db_url: str) -> list[str]:
    return {"orders": ["orders", "--db-url", db_url, "import", str(path)],
            "revisits": ["revisits", "import", "--staff", "孙丽", "--db-url", db_url, str(path)],
            "owners": ["people", "owners", "import", str(path), "--db-url", db_url],
            "agents": ["agents", "import", str(path), "--db-url", db_url]}[command]


@pytest.mark.parametrize("command", ["orders", "revisits", "owners", "agents"])
def test_a_symbolic_link_loop_is_named_in_chinese_without_the_systems_english(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert main(_import(command, tmp_path / "a.csv", db_url)) == 2
    err = capsys.readouterr().err.strip()
    assert "符号链接" in err and "a.csv" in err and len(err.splitlines()) == 1
    assert "Too many levels" not in err and "权限" not in err  # not a permission problem


@pytest.mark.parametrize("command", ["orders", "agents"])
def test_a_file_name_too_long_for_the_system_is_said_in_chinese(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    long_name = tmp_path / ("工单" * 50 + ".csv")  # 304 bytes: over the 255 a name may have
    assert main(_import(command, long_name, db_url)) == 2
    err = capsys.readouterr().err.strip()
    assert "太长" in err and "File name too long" not in err and "权限" not in err


@pytest.mark.parametrize("command", ["orders", "agents"])
def test_a_rarer_system_refusal_gives_its_number_not_the_systems_english(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    with socket.socket(socket.AF_UNIX) as listening:  # opening a socket file: ENXIO
        listening.bind(str(tmp_path / "orders.csv"))
        assert main(_import(command, tmp_path / "orders.csv", db_url)) == 2
    err = capsys.readouterr().err.strip()
    assert f"系统错误号 {errno.ENXIO}" in err and "orders.csv" in err
    assert "No such device" not in err and "权限" not in err
