"""`ownervoice people`, `invite` and `orders` on a real database file."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.cli import main
from bot.cli.imports import Progress
from bot.i18n import translator
from surveys.core.db import session_factory
from surveys.intake.importer import ImportReport
from surveys.people.binding import redeem_invite

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
    assert "第 3 行（WO-2）：owner_phone 为空或少于 5 个字符" in out.err
    assert "共 2 行（utf-8）：导入 1，已存在 0，拒绝 1" in out.out
    assert main(["orders", "--db-url", db_url, "import", "--lang", "en", str(path)]) == 1
    out = capsys.readouterr()
    assert "line 3 (WO-2): owner_phone is empty or shorter than 5 characters" in out.err
    assert "2 rows (utf-8): 0 imported, 1 already there, 1 rejected" in out.out
    assert main(["orders", "--db-url", db_url, "close", "--external-id", "WO-3",
                 "--community", "GG", "--owner-phone", "13812345678", "--agent", "A-7",
                 "--title", "门禁"]) == 0
    assert capsys.readouterr().out.startswith("工单 WO-3 已结单：回访 #")  # a survey's number
    capsys.readouterr()
    assert main(["orders", "--db-url", db_url, "reassign", "--external-id", "WO-3",
                 "--agent", "NOPE"]) == 2
    assert capsys.readouterr().err.startswith("错误：")

    assert main(["invite", "owner", "1", "--db-url", db_url, "--bot-username", "ov_bot"]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("https://t.me/ov_bot?start=") and len(link.split("=")[1]) <= 64


def test_an_agent_is_invited_by_staff_id_as_agents_add_named_them(
        db_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    people = ["people", "--db-url", db_url]
    assert main([*people, "communities", "add", "GG", "绿地花园"]) == 0
    for staff_id, name in (("A-6", "王晓梅"), ("A-7", "李客服")):
        assert main([*people, "agents", "add", "--id", staff_id, "--name", name,
                     "--community", "GG"]) == 0
    capsys.readouterr()
    invite = ["invite", "--db-url", db_url, "--bot-username", "ov_bot", "agent"]
    assert main([*invite, "A-7"]) == 0
    token = capsys.readouterr().out.strip().split("=")[1]
    role, subject = asyncio.run(_redeem(db_url, token))
    assert (role, subject) == ("agent", 2)  # 李客服, not row 1
    assert main([*invite, "A-9"]) == 2
    assert capsys.readouterr().err == ("ownervoice invite：没有工号为 A-9 的客服"
                                       "（`ownervoice agents list` 可查看全部客服）\n")
    assert main([*invite, "99"]) == 2
    assert capsys.readouterr().err == ("ownervoice invite：没有编号为 99 的此类人员"
                                       "（`ownervoice agents list` 可查看编号）\n")


async def _redeem(db_url: str, token: str) -> tuple[str, int]:
    engine = create_async_engine(db_url)
    try:
        return await redeem_invite(db=session_factory(engine), token=token,
                                   telegram_user_id=7001, chat_id=7001, secret="cli-secret")
    finally:
        await engine.dispose()


def test_a_file_in_another_encoding_is_refused_up_front_with_exit_2(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(CSV.splitlines()[0].encode() + "\nWO-1,GG,Hélène,13812345678,A-7,crème\n"
                     .encode("latin-1"))
    assert main(["orders", "--db-url", db_url, "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：文件编码不是 UTF-8") and "CSV UTF-8" in err
    assert "Traceback" not in err


def test_a_utf16_file_without_a_byte_order_mark_is_named_in_the_readers_language(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes(CSV.encode("utf-16-le"))
    assert main(["orders", "--db-url", db_url, "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "不带字节序标记的 UTF-16" in err and "without" not in err, err


def test_the_progress_bar_is_drawn_on_a_terminal_only() -> None:

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = Progress(translator("en"), stream)
        bar.draw(ImportReport(rows=500), 0.5)
        bar.clear()
    assert "[###############...............] 50% 500 rows" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_a_bad_value_given_to_orders_close_names_the_option_to_fix(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orders", "close", "--external-id", "WO-9", "--community", "GG",
                 "--owner-phone", "123", "--agent", "A-7", "--db-url", db_url]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "错误：--owner-phone 为空或少于 5 个字符"


def test_invite_without_the_bots_name_prints_a_plain_start_link_as_add_invite_does(
        db_url: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # README: links read /start … when neither telegram.token nor --bot-username gives the
    # name. `managers add --invite` did so; `invite manager 1` exited 2 with the token inside
    # an error line.
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    monkeypatch.delenv("OWNERVOICE_TELEGRAM__TOKEN", raising=False)
    assert main(["managers", "add", "--name", "赵经理", "--db-url", db_url]) == 0
    capsys.readouterr()
    assert main(["invite", "manager", "1", "--db-url", db_url]) == 0
    link = capsys.readouterr().out.strip()
    assert link.startswith("/start ")
    role, subject = asyncio.run(_redeem(db_url, link.removeprefix("/start ")))
    assert (role, subject) == ("manager", 1)
