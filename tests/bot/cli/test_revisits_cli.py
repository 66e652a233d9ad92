"""`ownervoice revisitors` and `ownervoice revisits import` on a real database file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from surveys.core.db import SessionFactory
from surveys.models import Complaint, Response

ORDERS = (
    "external_id,community_code,owner_name,owner_phone,agent_external_id,kind,title\n"
    "WO-1,GG,王先生,13812345671,A-7,repair,漏水\n"
    "WO-2,GG,李女士,13812345672,A-7,complaint,噪音\n"
    "WO-3,GG,赵先生,13812345673,A-7,repair,门禁\n"
)
REVISITS = (
    "work_order,channel,overall,attitude,clarity,timeliness,words\n"
    "WO-1,电话,5,5,4,5,师傅很专业\n"
    "WO-2,visit,1,2,2,1,投诉了三次都没人管\n"
    "WO-3,fax,5,5,5,5,\n"
    "WO-9,phone,5,5,5,5,\n"
    "WO-3,phone,6,x,5,5,\n"
)


async def _cli(*argv: str) -> int:
    # The command runs its own event loop: in a thread, beside the test's.
    return await asyncio.to_thread(main, list(argv))


def _world(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    people = ["people", "--db-url", db_url]
    assert main([*people, "communities", "add", "GG", "绿地花园"]) == 0
    assert main([*people, "agents", "add", "--id", "A-7", "--name", "李客服",
                 "--community", "GG"]) == 0
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    assert main(["orders", "--db-url", db_url, "import", str(orders)]) == 0
    assert main(["revisitors", "add", "--db-url", db_url, "--name", "孙回访",
                 "--community", "GG"]) == 0
    capsys.readouterr()
    path = tmp_path / "revisits.csv"
    path.write_text(REVISITS, encoding="utf-8")
    return path


async def test_revisits_import_records_good_rows_and_names_each_bad_one(
        db_url: str, db: SessionFactory, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = await asyncio.to_thread(_world, db_url, tmp_path, capsys)
    assert await _cli("revisits", "import", "--db-url", db_url, str(path),
                      "--staff", "孙回访") == 1
    out = capsys.readouterr()
    assert "共 5 行（utf-8）：导入 2，已存在 0，拒绝 3" in out.out
    assert "第 4 行（WO-3）：channel 必须是 电话 / 上门（或 phone / visit）" in out.err
    assert "第 5 行（WO-9）：没有这张工单：WO-9。" in out.err
    assert "第 6 行（WO-3）：overall 不能大于 5; attitude 不是整数" in out.err
    async with db() as s:
        responses = {r.survey_id: r for r in (await s.exec(select(Response))).all()}
        complaint = (await s.exec(select(Complaint))).one()
    assert sorted(r.channel for r in responses.values()) == ["phone", "visit"]
    assert {r.entered_by_role for r in responses.values()} == {"revisitor"}
    assert complaint.text == "投诉了三次都没人管"

    # Again, in English: nothing recorded twice; a changed answer is refused, not replaced.
    path.write_text(REVISITS.replace("WO-2,visit,1,", "WO-2,visit,5,"), encoding="utf-8")
    assert await _cli("revisits", "import", "--db-url", db_url, str(path), "--staff", "孙回访",
                      "--lang", "en") == 1
    out = capsys.readouterr()
    assert "5 rows (utf-8): 0 imported, 1 already there, 4 rejected" in out.out
    assert ("line 3 (WO-2): Work order WO-2 already has an answer; a revisit never replaces it."
            in out.err)
    async with db() as s:
        assert len((await s.exec(select(Response))).all()) == 2


def test_an_unknown_staff_name_refuses_every_row_and_records_nothing(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _world(db_url, tmp_path, capsys)
    assert main(["revisits", "import", "--db-url", db_url, str(path), "--staff", "nobody",
                 "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert "0 imported, 0 already there, 5 rejected" in out.out
    assert "line 2 (WO-1): No active revisit staff or manager is called “nobody”." in out.err


def test_revisitors_add_refuses_a_duplicate_and_lists_and_deactivates(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _world(db_url, tmp_path, capsys)
    assert main(["revisitors", "add", "--db-url", db_url, "--name", "孙回访",
                 "--community", "GG"]) == 2
    assert "孙回访 已是 GG 的回访员（1）" in capsys.readouterr().err
    assert main(["revisitors", "list", "--db-url", db_url]) == 0
    assert "孙回访" in capsys.readouterr().out
    assert main(["revisitors", "deactivate", "--db-url", db_url, "1"]) == 0
    assert "回访员 1：孙回访 已停用" in capsys.readouterr().out
    assert main(["revisitors", "deactivate", "--db-url", db_url, "9"]) == 2


def test_a_row_without_staff_and_no_staff_option_says_to_name_who_made_the_revisit(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _world(db_url, tmp_path, capsys)
    assert main(["revisits", "import", "--db-url", db_url, str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行（WO-1）：未写明谁做的回访：请填写 staff 列，或使用 --staff" in err
    assert "“”" not in err


async def test_full_width_stars_are_read_and_a_bad_channel_names_every_accepted_word(
        db_url: str, db: SessionFactory, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = await asyncio.to_thread(_world, db_url, tmp_path, capsys)
    # A Chinese IME in full-width mode types １–５ (and ｐｈｏｎｅ); the row means 5, 4, 4, 5.
    path.write_text("work_order,channel,overall,attitude,clarity,timeliness\n"
                    "WO-1,电话,５,４,４,５\n"
                    "WO-2,ｐｈｏｎｅ, ３ ,3,3,3\n"
                    "WO-3,传真,5,5,5,5\n", encoding="utf-8")
    assert await _cli("revisits", "import", "--db-url", db_url, str(path),
                      "--staff", "孙回访") == 1
    out = capsys.readouterr()
    assert "共 3 行（utf-8）：导入 2，已存在 0，拒绝 1" in out.out
    assert "第 4 行（WO-3）：channel 必须是 电话 / 上门（或 phone / visit）" in out.err
    async with db() as s:
        ratings = sorted((r.overall, r.attitude, r.clarity, r.timeliness, r.channel)
                         for r in (await s.exec(select(Response))).all())
    assert ratings == [(3, 3, 3, 3, "phone"), (5, 4, 4, 5, "phone")]
    assert await _cli("revisits", "import", "--db-url", db_url, str(path), "--staff", "孙回访",
                      "--lang", "en") == 1
    assert ("line 4 (WO-3): channel must be phone / visit (or 电话 / 上门)"
            in capsys.readouterr().err)


def test_a_cells_terminal_codes_and_line_breaks_are_shown_escaped_in_the_report(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A CSV from elsewhere must not drive the admin's terminal (clear the screen, recolour or
    # hide lines, set the title) nor forge report lines with a line break inside a cell.
    path = _world(db_url, tmp_path, capsys)
    path.write_text('work_order,channel,overall,attitude,clarity,timeliness,staff\n'
                    'WO-\x1b[2J\x1b]0;owned\x07,phone,5,5,5,5,孙回访\n'
                    'WO-1,phone,5,5,5,5,"x\n第 9 行（WO-1）：导入成功"\n'
                    'WO-\u202e1-OW,phone,5,5,5,5,\u009b31m孙\n', encoding="utf-8")
    assert main(["revisits", "import", "--db-url", db_url, str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "\u009b" not in err
    assert "第 2 行（WO-\\x1b[2J\\x1b]0;owned\\x07）" in err
    assert "“x\\n第 9 行（WO-1）：导入成功”" in err
    assert "WO-\\u202e1-OW" in err and "\\x9b31m孙" in err
    assert len(err.strip().splitlines()) == 3  # one line per rejected row, nothing forged
