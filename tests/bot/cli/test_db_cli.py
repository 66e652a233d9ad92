"""`ownervoice db upgrade/downgrade` move an SQLite file between revisions and say where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from surveys import migrations


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
    assert main(["db", "--db-url", url, "downgrade", "base"]) == 0
    assert capsys.readouterr().out.strip().endswith(": at revision None")


def test_db_downgrade_needs_a_revision(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["db", "--db-url", "sqlite+aiosqlite:///unused.db", "downgrade"])
    assert exited.value.code == 2
    assert "REV" in capsys.readouterr().err
