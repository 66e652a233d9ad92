"""`ownervoice managers|agents` and `ownervoice report --format xlsx|png` on a real SQLite file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main


@pytest.fixture
def env(cli_workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    return cli_workdir


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


def test_agents_import_words_every_refusal_in_the_readers_language_and_reads_gbk(
        env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["communities", "add", "sunny", "阳光花园"]) == 0
    (env / "agents.csv").write_text("external_id,name,community_code\nA002,李建国,sunny\n"
                                    "A003,,sunny\nA004,孙丽,nowhere\nA005,王\x07,sunny\n",
                                    encoding="utf-8")
    capsys.readouterr()
    assert main(["agents", "import", "agents.csv"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split("：")[0] for line in err] == ["第 3 行", "第 4 行", "第 5 行"]
    assert not [line for line in err if any(w in line for w in ("required", "unknown", "must"))]
    assert "ownervoice communities add nowhere 小区名称" in err[1]
    (env / "gbk.csv").write_bytes("external_id,name,community_code\nA006,赵敏,sunny\n"
                                  .encode("gbk"))
    assert main(["agents", "import", "gbk.csv"]) == 0
    assert "A006 赵敏" in capsys.readouterr().out
    (env / "columns.csv").write_text("id,nm\nA,B\n", encoding="utf-8")
    for path, start in (("missing.csv", "错误：没有文件 missing.csv"),
                        ("columns.csv", "错误：第一行必须是列名；缺少：external_id, name"),
                        (".", "错误：. 是文件夹")):
        assert main(["agents", "import", path]) == 2
        assert capsys.readouterr().err.startswith(start), path


def test_adding_an_owner_with_a_bad_phone_or_name_says_which(
        env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["communities", "add", "sunny", "阳光花园"]) == 0
    add = ["people", "owners", "add", "--community", "sunny"]
    capsys.readouterr()
    assert main([*add, "--name", "王伟", "--phone", "123"]) == 2
    assert capsys.readouterr().err == "ownervoice people owners add：该手机号码无效。\n"
    assert main([*add, "--name", "王\x07伟", "--phone", "13812345678"]) == 2
    assert capsys.readouterr().err == ("ownervoice people owners add：名称须为 1 至 200 个字符，"
                                       "且不含控制字符。\n")
