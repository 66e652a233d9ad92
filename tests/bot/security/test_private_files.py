"""Files holding owners' data are created readable by their owner only, whatever the umask."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from surveys.core.db import create_engine, session_factory
from surveys.models import Community


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask 022: a file made with the default mode is world-readable."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.mark.usefixtures("open_umask")
def test_a_new_sqlite_database_and_its_write_ahead_log_are_private(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Names, phones and owners' words: another account on the host must not read them.
    db = tmp_path / "ownervoice.db"
    url = f"sqlite+aiosqlite:///{db}"
    assert main(["db", "--db-url", url, "upgrade"]) == 0
    assert main(["people", "--db-url", url, "communities", "add", "GG", "绿地花园"]) == 0
    capsys.readouterr()
    assert _mode(db) == 0o600

    async def write_and_look() -> dict[str, int]:  # while the bot runs: its -wal and -shm
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session, session.begin():
                session.add(Community(code="HH", name="滨江花园"))
            return await asyncio.to_thread(lambda: {p.name: _mode(p) for p in tmp_path.iterdir()})
        finally:
            await engine.dispose()

    assert asyncio.run(write_and_look()) == {
        "ownervoice.db": 0o600, "ownervoice.db-wal": 0o600, "ownervoice.db-shm": 0o600}


@pytest.mark.usefixtures("open_umask")
def test_the_invite_links_report_and_survey_links_files_are_private(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "private-files-secret")
    monkeypatch.setenv("OWNERVOICE_WEB__BASE_URL", "https://survey.example.com")
    url = f"sqlite+aiosqlite:///{tmp_path / 'ov.db'}"
    assert main(["people", "--db-url", url, "communities", "add", "GG", "绿地花园"]) == 0
    owners, invites = tmp_path / "owners.csv", tmp_path / "invites.csv"
    owners.write_text("community_code,name,phone\nGG,王先生,13812345678\n", encoding="utf-8")
    assert main(["people", "--db-url", url, "owners", "import", str(owners), "--invites",
                 str(invites), "--bot-username", "ov_bot"]) == 0
    report, links = tmp_path / "report.xlsx", tmp_path / "links.csv"
    assert main(["report", "--db-url", url, "--period", "2026-11", "--format", "xlsx",
                 "--output", str(report)]) == 0
    assert main(["surveys", "links", "--db-url", url, "--since", "2026-11-01",
                 "--output", str(links)]) == 0
    capsys.readouterr()
    assert "13812345678" in invites.read_text(encoding="utf-8-sig")  # full phones, for SMS
    assert {p.name: _mode(p) for p in (invites, report, links)} == {
        "invites.csv": 0o600, "report.xlsx": 0o600, "links.csv": 0o600}
