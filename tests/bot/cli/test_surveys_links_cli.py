"""`ownervoice surveys links`: one formula-safe CSV row per open survey link, polite errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.surveys import links_csv, parse_since
from surveys.survey.links import LinkRow

CSV = (
    "external_id,community_code,owner_name,owner_phone,agent_external_id,title\n"
    "WO-1,GG,王先生,13812345678,A-7,漏水\n"
    "WO-2,GG,李女士,13900001111,A-7,电梯\n"
)


@pytest.fixture
def configured(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    monkeypatch.setenv("OWNERVOICE_WEB__BASE_URL", "https://survey.example.com")
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", db_url)
    return db_url


def _orders(db_url: str, tmp_path: Path) -> None:
    people = ["people", "--db-url", db_url]
    assert main([*people, "communities", "add", "GG", "绿地花园"]) == 0
    assert main([*people, "agents", "add", "--id", "A-7", "--name", "李客服",
                 "--community", "GG"]) == 0
    path = tmp_path / "orders.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["orders", "--db-url", db_url, "import", str(path)]) == 0


def test_links_lists_one_row_per_unbound_owners_survey_and_repeats_the_same_links(
        configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _orders(configured, tmp_path)
    capsys.readouterr()
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert main(["surveys", "links", "--since", since, "--format", "csv"]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert [r["work_order"] for r in rows] == ["WO-1", "WO-2"]
    assert all(r["url"].startswith("https://survey.example.com/s/") and r["status"] == "sent"
               and r["owner_bound"] == "no" and r["expires_at"].endswith("Z") for r in rows)
    assert "已输出 2 条回访链接" in out.err
    target = tmp_path / "links.csv"
    assert main(["surveys", "links", "--since", since, "--output", str(target),
                 "--lang", "en"]) == 0
    assert "2 survey links written." in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == out.out  # the same links again


def test_a_cell_that_would_start_a_formula_is_quoted() -> None:
    # Today's ids cannot start with = (intake refuses them); the writer does not rely on it.
    row = LinkRow(work_order_external_id="=cmd|' /C calc'!A0", survey_id=7, status="sent",
                  owner_bound=False, url="https://survey.example.com/s/abc",
                  expires_at=datetime(2026, 11, 23, 10, 0))
    lines = list(csv.reader(io.StringIO(links_csv([row]))))
    assert lines[1][0] == "'=cmd|' /C calc'!A0" and lines[1][5] == "2026-11-23T10:00:00Z"


def test_links_says_what_to_do_when_links_are_off_or_the_date_is_wrong(
        db_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", db_url)
    assert main(["surveys", "links", "--since", "2026-11-01"]) == 2
    assert capsys.readouterr().err == ("ownervoice surveys links：回访链接未启用：请在配置中设置 "
                                       "web.base_url。\n")
    monkeypatch.setenv("OWNERVOICE_WEB__BASE_URL", "https://survey.example.com")
    assert main(["surveys", "links", "--since", "last tuesday", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "--since must be a date like 2026-11-01" in err and "Traceback" not in err


def test_since_is_a_local_date_or_time() -> None:
    assert parse_since("2026-11-01", "Asia/Shanghai") == datetime(2026, 10, 31, 16, 0)
    assert parse_since("2026-11-01T08:30", "Asia/Shanghai") == datetime(2026, 11, 1, 0, 30)
    assert parse_since("2026-11-01T08:30+00:00", "Asia/Shanghai") == datetime(2026, 11, 1, 8, 30)
    with pytest.raises(ValueError):
        parse_since("11/01/2026", "Asia/Shanghai")


def test_links_to_a_file_that_cannot_be_written_is_one_line(
        configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _orders(configured, tmp_path)
    capsys.readouterr()
    target = tmp_path / "no-such-folder" / "links.csv"
    assert main(["surveys", "links", "--since", "2026-11-01", "--output", str(target)]) == 2
    assert capsys.readouterr().err == (f"ownervoice surveys links：无法写入 {target}，"
                                       "请检查文件夹和权限\n")


def test_links_to_a_full_disk_say_the_disk_is_full_without_the_systems_english(
        configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _orders(configured, tmp_path)
    capsys.readouterr()
    # /dev/full refuses every write with ENOSPC, as a full disk does.
    assert main(["surveys", "links", "--since", "2026-11-01", "--output", "/dev/full"]) == 2
    assert capsys.readouterr().err == ("ownervoice surveys links：无法写入 /dev/full：磁盘已满，"
                                       "请腾出空间后再试\n")
