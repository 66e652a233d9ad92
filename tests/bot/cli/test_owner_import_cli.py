"""`ownervoice people owners import`: bulk onboarding with invite links for the company's sender."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.cli import main
from surveys.core.db import create_engine, session_factory
from surveys.models import Invite, Owner
from surveys.people.binding import redeem_invite

SECRET = "owner-import-secret"
OWNERS = (
    "community_code,name,phone,building,room\n"
    "GG,王先生,13812345678,3,1201\n"
    "GG,=HYPERLINK(\"http://evil\"),13812345679,3,1202\n"
    "GG,李女士,12345,3,1203\n"
    "XX,赵先生,13900001111,1,101\n"
    "GG,王先生,138 1234 5678,,\n"
    "GG,@孙女士,13900002222,,\n"
)


@pytest.fixture
def community(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", SECRET)
    assert main(["people", "--db-url", db_url, "communities", "add", "GG", "绿地花园"]) == 0
    return db_url


def _count(db_url: str, table: type) -> int:
    async def count() -> int:
        engine = create_engine(db_url)
        try:
            async with session_factory(engine)() as s:
                return int((await s.exec(select(func.count()).select_from(table))).one())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_owners_are_imported_once_with_formula_safe_invite_links_that_bind(
    community: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, links = tmp_path / "owners.csv", tmp_path / "invites.csv"
    path.write_text(OWNERS, encoding="utf-8")
    command = ["people", "--db-url", community, "owners", "import", str(path),
               "--invites", str(links), "--bot-username", "@ov_bot", "--lang", "en"]
    assert main(command) == 1  # two rows rejected
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        "line 4 (12345): phone is not a Chinese mobile (11 digits) or landline number",
        "line 5 (139****1111): unknown community XX (add it with ownervoice people "
        "communities add)"]
    assert "6 rows (utf-8): 3 imported, 1 already there, 2 rejected" in out.out
    with links.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["phone"] for r in rows] == ["13812345678", "13812345679", "13900002222"]
    assert rows[1]["name"] == "'=HYPERLINK(\"http://evil\")" and rows[2]["name"] == "'@孙女士"
    assert all(r["invite_link"].startswith("https://t.me/ov_bot?start=") for r in rows)
    assert _count(community, Owner) == 3

    token = rows[0]["invite_link"].split("=", 1)[1]

    async def redeem() -> tuple[str, int]:
        engine = create_engine(community)
        try:
            return await redeem_invite(db=session_factory(engine), token=token,
                                       telegram_user_id=7001, chat_id=7001, secret=SECRET)
        finally:
            await engine.dispose()

    assert asyncio.run(redeem()) == ("owner", 1)

    assert main(command) == 1  # a rerun: nothing new, invites only for owners still unbound
    out = capsys.readouterr()
    assert "6 rows (utf-8): 0 imported, 4 already there, 2 rejected" in out.out
    with links.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["phone"] for r in csv.DictReader(fh)] == ["13812345679", "13900002222"]
    assert _count(community, Owner) == 3


def test_invites_without_a_secret_refuse_before_importing_anything(
    community: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OWNERVOICE_INVITES__SECRET")
    path = tmp_path / "owners.csv"
    path.write_text(OWNERS, encoding="utf-8")
    assert main(["people", "--db-url", community, "owners", "import", str(path),
                 "--invites", str(tmp_path / "out.csv"), "--bot-username", "ov_bot"]) == 2
    assert "invites.secret" in capsys.readouterr().err
    assert (_count(community, Owner), _count(community, Invite)) == (0, 0)


def test_a_gb18030_owner_list_imports_and_a_latin1_one_is_refused(
    community: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_bytes(OWNERS.splitlines()[0].encode() + b"\n"
                     + "GG,王先生,13812345678,3,1201\n".encode("gb18030"))
    assert main(["people", "--db-url", community, "owners", "import", str(path)]) == 0
    assert "导入 1" in capsys.readouterr().out
    path.write_bytes(b"community_code,name,phone\nGG,H\xe9l\xe8ne,13812345670\n")
    assert main(["people", "--db-url", community, "owners", "import", str(path)]) == 2
    assert "CSV UTF-8" in capsys.readouterr().err
    assert _count(community, Owner) == 1


def test_an_invite_file_that_cannot_be_written_refuses_before_importing_anything(
    community: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(OWNERS, encoding="utf-8")
    target = tmp_path / "no-such-folder" / "links.csv"
    assert main(["people", "--db-url", community, "owners", "import", str(path),
                 "--invites", str(target), "--bot-username", "ov_bot"]) == 2
    err = capsys.readouterr().err
    assert err == f"ownervoice people owners import：无法写入 {target}，请检查文件夹和权限\n"
    assert (_count(community, Owner), _count(community, Invite)) == (0, 0)
