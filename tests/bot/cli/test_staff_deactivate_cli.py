"""`ownervoice agents|managers deactivate` on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    return tmp_path


def test_staff_are_deactivated_by_id_and_unknown_ids_are_errors(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["people", "communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["managers", "add", "--name", "赵经理", "--community", "sunny"]) == 0
    assert main(["agents", "add", "--id", "A001", "--name", "王晓梅", "--community", "sunny"]) == 0
    capsys.readouterr()

    assert main(["agents", "deactivate", "--id", "A001"]) == 0
    assert main(["managers", "deactivate", "1"]) == 0
    out = capsys.readouterr().out
    assert "A001 王晓梅 deactivated" in out and "赵经理 deactivated" in out
    assert main(["managers", "list"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("inactive")

    assert main(["agents", "deactivate", "--id", "A999"]) == 1
    assert main(["managers", "deactivate", "42"]) == 1
    assert "error: " in capsys.readouterr().err
