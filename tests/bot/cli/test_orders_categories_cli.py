"""`ownervoice orders` refusing an unknown category: the reader gets category names, no codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.fixtures.terminal import speak

CODES = ("water_power", "elevator", "access_security", "cleaning", "greening", "parking",
         "facilities", "fees")


def _setup(db_url: str) -> None:
    people = ["people", "--db-url", db_url]
    assert main([*people, "communities", "add", "GG", "绿地花园"]) == 0
    assert main([*people, "agents", "add", "--id", "A-7", "--name", "李客服",
                 "--community", "GG"]) == 0


def test_an_unknown_category_in_a_csv_row_lists_the_category_names_in_the_readers_language(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _setup(db_url)
    path = tmp_path / "orders.csv"
    path.write_text("external_id,community_code,owner_name,owner_phone,agent_external_id,"
                    "title,category\nWO-1,GG,王先生,13812345678,A-7,门禁,火星\n",
                    encoding="utf-8")
    capsys.readouterr()
    assert main(["orders", "--db-url", db_url, "import", str(path)]) == 1
    zh = capsys.readouterr().err
    assert "未知类别：火星" in zh and "水电" in zh and "电梯" in zh and "门禁/安防" in zh
    assert not [code for code in CODES if code in zh]
    assert main(["orders", "--db-url", db_url, "import", "--lang", "en", str(path)]) == 1
    en = capsys.readouterr().err
    assert "Unknown category: 火星" in en and "Elevator" in en


def test_an_unknown_category_on_the_close_command_lists_the_category_names(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _setup(db_url)
    capsys.readouterr()
    assert main(["orders", "--db-url", db_url, "close", "--external-id", "WO-9",
                 "--community", "GG", "--owner-phone", "13812345678", "--agent", "A-7",
                 "--category", "火星"]) != 0
    zh = capsys.readouterr().err
    assert "未知类别：火星" in zh and "电梯" in zh
    assert not [code for code in CODES if code in zh]


def test_orders_close_says_what_became_of_the_survey_in_the_readers_language(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    _setup(db_url)
    close = ["orders", "--db-url", db_url, "close", "--external-id", "WO-1", "--community",
             "GG", "--owner-phone", "13812345678", "--agent", "A-7", "--title", "电梯坏了"]
    capsys.readouterr()
    assert main(close) == 0
    assert main(close) == 0  # again: the first result
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("工单 WO-1 已结单") and "业主未绑定" in out[0]
    assert out[1].startswith("工单 WO-1 此前已结单")
    assert "skipped_unbound" not in "".join(out) and "closed" not in "".join(out)


def test_orders_close_words_a_bad_value_in_the_readers_language(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    _setup(db_url)
    capsys.readouterr()
    assert main(["orders", "--db-url", db_url, "close", "--external-id", "WO-1",
                 "--community", "GG", "--owner-phone", "139123456801", "--agent", "A-7"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：--owner-phone 不是") and "must be" not in err


def test_orders_reassign_says_what_it_did_or_why_not_in_the_readers_language(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    _setup(db_url)
    assert main(["people", "--db-url", db_url, "agents", "add", "--id", "A-8", "--name",
                 "王客服", "--community", "GG"]) == 0
    assert main(["orders", "--db-url", db_url, "close", "--external-id", "WO-1", "--community",
                 "GG", "--owner-phone", "13812345678", "--agent", "A-7"]) == 0
    capsys.readouterr()
    reassign = ["orders", "--db-url", db_url, "reassign", "--external-id"]
    assert main([*reassign, "WO-1", "--agent", "A-8"]) == 0
    assert capsys.readouterr().out == "工单 WO-1 已改派给客服 A-8（回访仍计入原客服）\n"
    assert main([*reassign, "WO-404", "--agent", "A-8"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "WO-404" in err and "work order" not in err
