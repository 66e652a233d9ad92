"""`ownervoice managers|agents` and `ownervoice report --format xlsx|png` on a real SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    return tmp_path


def test_staff_are_added_with_invite_links_and_imported_from_csv(
        env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["people", "communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["managers", "add", "--name", "赵经理", "--community", "sunny", "--invite",
                 "--bot-username", "ovbot"]) == 0
    assert main(["agents", "add", "--id", "A001", "--name", "王晓梅", "--community", "sunny",
                 "--invite", "--bot-username", "ovbot"]) == 0
    out = capsys.readouterr().out
    assert out.count("https://t.me/ovbot?start=") == 2
    (env / "agents.csv").write_text("external_id,name,community_code\nA002,李建国,sunny\n"
                                    "A003,,sunny\nA004,孙丽,nowhere\n", encoding="utf-8")
    assert main(["agents", "import", "agents.csv", "--invite", "--bot-username", "ovbot"]) == 1
    captured = capsys.readouterr()
    assert "A002 李建国" in captured.out and captured.out.count("start=") == 1
    assert "line 3" in captured.err and "line 4" in captured.err
    assert main(["managers", "add", "--name", "某经理", "--community", "nowhere"]) == 2


def test_report_writes_xlsx_and_png_files(env: Path) -> None:
    assert main(["people", "communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["report", "--period", "2026-W47", "--format", "xlsx", "--out", "r.xlsx"]) == 0
    assert main(["report", "--period", "2026-W47", "--format", "png", "--out", "r.png"]) == 0
    book = load_workbook(io.BytesIO((env / "r.xlsx").read_bytes()))
    assert book.sheetnames[0] == "汇总"
    assert (env / "r.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["report", "--period", "2026-W47", "--format", "png"]) == 2  # needs --out


def test_the_report_workbook_has_the_category_and_building_sheets_like_the_chats_export(
        env: Path) -> None:
    assert main(["people", "communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["agents", "add", "--id", "A001", "--name", "王晓梅", "--community", "sunny"]) == 0
    assert main(["orders", "close", "--external-id", "WO-1", "--community", "sunny",
                 "--owner-phone", "13812345678", "--building", "3", "--room", "1201",
                 "--agent", "A001", "--title", "电梯坏了"]) == 0
    assert main(["report", "--period", "week", "--format", "xlsx", "--lang", "zh_CN",
                 "--out", "r.xlsx"]) == 0
    book = load_workbook(io.BytesIO((env / "r.xlsx").read_bytes()))
    assert {"按类别", "按楼栋"} <= set(book.sheetnames)
    cells = [str(c) for row in book["按类别"].iter_rows(values_only=True) for c in row]
    assert "电梯" in cells and "elevator" not in cells
