"""`ownervoice agents|managers deactivate` on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


def test_staff_are_deactivated_by_id_and_unknown_ids_are_errors(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["people", "communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["managers", "add", "--name", "赵经理", "--community", "sunny"]) == 0
    assert main(["agents", "add", "--id", "A001", "--name", "王晓梅", "--community", "sunny"]) == 0
    capsys.readouterr()

    assert main(["agents", "deactivate", "--id", "A001"]) == 0
    assert main(["managers", "deactivate", "1"]) == 0
    out = capsys.readouterr().out
    assert "agent 1: A001 王晓梅 deactivated" in out and "manager 1: 赵经理 deactivated" in out
    assert main(["managers", "list"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == ["id", "name", "community", "Telegram", "status"]
    assert row.split() == ["1", "赵经理", "sunny", "not", "bound", "deactivated"]


def test_deactivating_someone_who_is_not_there_says_who_and_exits_2(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agents", "deactivate", "--id", "A999"]) == 2
    assert main(["managers", "deactivate", "99"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "ownervoice agents deactivate: there is no agent with staff id A999 (`ownervoice "
        "agents list` shows them)",
        "ownervoice managers deactivate: there is no manager 99 (`ownervoice managers list` "
        "shows the ids)"]
