"""`ownervoice classify learn` and `classify --data-dir`: every failure is one line, exit 2."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.errors import NO_DATABASE
from bot.cli.learn import (
    BAD_BASE,
    BASE_WITHOUT_LEARN,
    BROKEN,
    IN_PACKAGE,
    NO_CORRECTIONS,
    UNWRITABLE,
)
from bot.i18n import translator
from surveys.complaints.corrections import correct_tags
from surveys.core.db import SessionFactory
from tests.fixtures.complaint_world import MANAGER_HERE_TG, build_world, submit_response
from tests.fixtures.terminal import cli_env

ROOT = Path(__file__).resolve().parents[3]
EN, ZH = translator("en"), translator("zh_CN")
WORDS = "快递延误了，保安态度很差"
VERDICT = {"polarity": "negative", "complaint": True,
           "aspects": {"attitude": "neg", "clarity": None, "timeliness": "neg",
                       "resolution": None}}


async def _cli(tmp_path: Path, db_url: str, *args: str, lang: str = "en_US.UTF-8"
               ) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot.cli", "classify", *args],
        cwd=tmp_path, env=cli_env(lang, OWNERVOICE_DATABASE__URL=db_url), capture_output=True,
        text=True, timeout=300,
    )


async def _one_correction(db: SessionFactory) -> None:
    world = await build_world(db)
    _, _, [cid] = await submit_response(db, world, comment=WORDS, classification=VERDICT)
    await correct_tags(db=db, complaint_id=cid, telegram_user_id=MANAGER_HERE_TG,
                       aspects=VERDICT["aspects"] | {"timeliness": None})


async def test_nothing_to_learn_is_one_line_in_the_readers_language(
        db: SessionFactory, db_url: str, tmp_path: Path) -> None:
    done = await _cli(tmp_path, db_url, "learn")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [EN._(NO_CORRECTIONS)]
    done = await _cli(tmp_path, db_url, "learn", lang="zh_CN.UTF-8")
    assert done.stderr.splitlines() == [ZH._(NO_CORRECTIONS)]
    assert not (tmp_path / "classifier-data").exists()


async def test_learning_into_the_installed_package_is_refused(
        db: SessionFactory, db_url: str, tmp_path: Path) -> None:
    await _one_correction(db)
    inside = ROOT / "scoring" / "classifier" / "learned"
    done = await _cli(tmp_path, db_url, "learn", "--data-dir", str(inside))
    assert done.returncode == 2 and not inside.exists()
    assert done.stderr.splitlines() == [EN._(IN_PACKAGE, dir=inside)]


async def test_a_missing_database_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ownervoice.db"
    done = await _cli(tmp_path, f"sqlite+aiosqlite:///{path}", "learn")
    assert done.returncode == 2 and not path.exists()
    assert done.stderr.splitlines() == [EN._(NO_DATABASE, command="classify", where=path)]


async def test_classifying_with_a_broken_learned_directory_is_one_line(
        db_url: str, tmp_path: Path) -> None:
    broken = tmp_path / "learned"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"version": 1}', encoding="utf-8")
    (tmp_path / "comments.txt").write_text("师傅来得很快\n", encoding="utf-8")
    done = await _cli(tmp_path, db_url, "comments.txt", "--data-dir", str(broken))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [EN._(BROKEN, dir=broken)]


async def test_a_learned_directory_through_a_symbolic_link_loop_is_one_chinese_line(
        db: SessionFactory, db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    looped = tmp_path / "a" / "learned"
    (tmp_path / "comments.txt").write_text("师傅来得很快\n", encoding="utf-8")
    done = await _cli(tmp_path, db_url, "comments.txt", "--data-dir", str(looped),
                      lang="zh_CN.UTF-8")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [ZH._(BROKEN, dir=looped)]  # not "意外错误"
    await _one_correction(db)
    done = await _cli(tmp_path, db_url, "learn", "--data-dir", str(looped), lang="zh_CN.UTF-8")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [ZH._(UNWRITABLE, dir=looped)]


@pytest.mark.slow
async def test_a_base_that_is_not_labelled_rows_is_one_line_and_learns_nothing(
        db: SessionFactory, db_url: str, tmp_path: Path) -> None:
    await _one_correction(db)
    unlabelled = tmp_path / "rows.jsonl"
    unlabelled.write_text('{"text": "师傅来得很快", "polarity": "great"}\n', encoding="utf-8")
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes('{"text": "师傅"}'.encode("gbk"))
    for base in (unlabelled, gbk, tmp_path / "missing.jsonl"):
        done = await _cli(tmp_path, db_url, "learn", "--base", str(base), "--data-dir", "out")
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.splitlines() == [EN._(BAD_BASE, file=base)]
    assert not (tmp_path / "out").exists()


async def test_a_base_when_classifying_is_refused_in_one_line(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "comments.txt").write_text("师傅来得很快\n", encoding="utf-8")
    done = await _cli(tmp_path, db_url, "comments.txt", "--base", "rows.jsonl")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [EN._(BASE_WITHOUT_LEARN)]
