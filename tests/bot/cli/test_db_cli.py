"""`ownervoice db upgrade/downgrade` move an SQLite file between revisions and say where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from surveys import migrations
from tests.fixtures.terminal import speak


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal speaks English."""
    speak(monkeypatch, "en_US.UTF-8")


@pytest.mark.usefixtures("english")
def test_db_downgrade_and_upgrade_move_the_file_and_print_its_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'moves.db'}"
    assert main(["db", "--db-url", url, "upgrade", "0001"]) == 0
    assert capsys.readouterr().out.strip().endswith(": at revision 0001")
    assert main(["db", "--db-url", url, "upgrade"]) == 0
    assert capsys.readouterr().out.strip().endswith(
        f": at revision {migrations.head_revision()}")
    assert main(["db", "--db-url", url, "downgrade", "0001"]) == 0
    assert capsys.readouterr().out.strip().endswith(": at revision 0001")
    assert main(["db", "--db-url", url, "current"]) == 1  # behind head again
    capsys.readouterr()
    assert main(["db", "--db-url", url, "downgrade", "base"]) == 0
    assert capsys.readouterr().out.strip().endswith(": empty (no revision)")


def test_db_upgrade_and_current_speak_the_terminal_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'zh.db'}"
    head = migrations.head_revision()
    assert main(["db", "--db-url", url, "upgrade", "0001"]) == 0
    assert capsys.readouterr().out == f"{url}：数据库版本 0001\n"
    assert main(["db", "--db-url", url, "current"]) == 1
    assert capsys.readouterr().out == (
        f"{url}：数据库版本 0001，最新版本 {head}，请运行 `ownervoice db upgrade`\n")
    assert main(["db", "--db-url", url, "upgrade"]) == 0
    assert main(["db", "--db-url", url, "current"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{url}：数据库版本 {head}，已是最新版本")


@pytest.mark.usefixtures("english")
def test_db_downgrade_needs_a_revision(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "--db-url", "sqlite+aiosqlite:///unused.db", "downgrade"]) == 2
    assert capsys.readouterr().err == (
        "ownervoice db downgrade: REV must be given (see `ownervoice db downgrade --help`)\n")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("command", [
    ["db", "upgrade"], ["db", "current"], ["communities", "list"], ["templates", "list"],
    ["people", "communities", "list"], ["orders", "import", "missing.csv"],
])
def test_db_url_is_taken_after_the_action_as_well_as_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'after.db'}"
    assert main(["db", "--db-url", url, "upgrade"]) == 0
    capsys.readouterr()
    before = main([command[0], "--db-url", url, *command[1:]])
    said_before = capsys.readouterr()
    after = main([*command, "--db-url", url])
    said_after = capsys.readouterr()
    assert (after, said_after.out, said_after.err) == (before, said_before.out, said_before.err)
    assert "unrecognized" not in said_after.err


def test_db_current_of_a_missing_sqlite_file_says_so_and_leaves_no_file_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # It created an empty ownervoice.db (a look that wrote), which `report` then called
    # "sqlite+aiosqlite:///ownervoice.db 没有数据库" instead of naming the file.
    speak(monkeypatch, "zh_CN.UTF-8")
    path = tmp_path / "never.db"
    assert main(["db", "--db-url", f"sqlite+aiosqlite:///{path}", "current"]) == 1
    head = migrations.head_revision()
    assert capsys.readouterr().out == (f"{path}：还没有数据库，最新版本 {head}，"
                                       "请运行 `ownervoice db upgrade`\n")
    assert not path.exists()
