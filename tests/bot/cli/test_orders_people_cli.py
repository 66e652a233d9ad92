"""`ownervoice people`, `invite` and `orders` on a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main

CSV = (
    "external_id,community_code,owner_name,owner_phone,agent_external_id,title\n"
    "WO-1,GG,王先生,13812345678,A-7,漏水\n"
    "WO-2,GG,李女士,999,A-7,电梯\n"
)


def test_cli_adds_people_imports_and_closes_orders_and_prints_an_invite_link(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    people = ["people", "--db-url", db_url]
    assert main([*people, "communities", "add", "GG", "绿地花园"]) == 0
    assert main([*people, "agents", "add", "--id", "A-7", "--name", "李客服",
                 "--community", "GG"]) == 0
    assert main([*people, "owners", "add", "--community", "GG", "--name", "王先生",
                 "--phone", "13812345678"]) == 0
    capsys.readouterr()
    assert main([*people, "owners", "list"]) == 0
    listed = capsys.readouterr().out
    assert "138****5678" in listed and "13812345678" not in listed

    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["orders", "--db-url", db_url, "import", str(path)]) == 1  # one bad row
    out = capsys.readouterr()
    assert "line 3 (WO-2)" in out.err and "2 rows: 1 imported" in out.out
    assert main(["orders", "--db-url", db_url, "close", "--external-id", "WO-3",
                 "--community", "GG", "--owner-phone", "13812345678", "--agent", "A-7",
                 "--title", "门禁"]) == 0
    assert "WO-3 closed" in capsys.readouterr().out
    assert main(["orders", "--db-url", db_url, "reassign", "--external-id", "WO-3",
                 "--agent", "NOPE"]) == 1

    assert main(["invite", "owner", "1", "--db-url", db_url, "--bot-username", "ov_bot"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://t.me/ov_bot?start=") and len(link.split("=")[1]) <= 64
