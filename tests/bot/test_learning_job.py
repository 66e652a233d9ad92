"""The nightly learning job: off by default, and only at the configured hour when on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import bot.learning
from bot.config import ClassifierConfig, ScheduleConfig, Settings
from bot.jobs import JOBS
from bot.learning import learn_nightly, load_learned
from scoring.classifier import learning
from surveys.core.clock import FrozenClock


class Host:
    """Just enough of the running process for the job."""

    def __init__(self, **classifier: Any) -> None:
        self.settings = Settings(classifier=ClassifierConfig(**classifier),
                                 schedule=ScheduleConfig(timezone="Asia/Shanghai"))


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    async def fake_learn_now(host: Any) -> str:
        calls.append(host)
        return "learned"

    monkeypatch.setattr(bot.learning, "learn_now", fake_learn_now)
    return calls


def test_the_job_is_listed_hourly_and_learning_is_off_by_default() -> None:
    assert JOBS["classifier_learn"].cron == "0 * * * *"
    assert ClassifierConfig().learn_nightly is False


async def test_the_job_does_nothing_while_switched_off(runs: list[Any]) -> None:
    assert await learn_nightly(Host()) is None  # type: ignore[arg-type]
    assert runs == []


async def test_the_job_learns_only_at_the_configured_company_hour(runs: list[Any]) -> None:
    clock = FrozenClock(datetime(2026, 11, 17, 18, 0)).install()  # 02:00 in Shanghai
    try:
        host = Host(learn_nightly=True, learn_hour=3)
        assert await learn_nightly(host) is None  # type: ignore[arg-type]
        clock.current = datetime(2026, 11, 17, 19, 0)  # 03:00 in Shanghai
        assert await learn_nightly(host) == "learned"  # type: ignore[arg-type]
        assert runs == [host]
    finally:
        clock.uninstall()


def test_a_broken_learned_directory_at_start_up_falls_back_to_the_shipped_model(
        tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    settings = Settings(classifier=ClassifierConfig(data_dir=str(tmp_path)))
    assert load_learned(settings) is None and learning.active() is None
