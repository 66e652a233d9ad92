"""Configuration comes from ownervoice.toml and OWNERVOICE_* variables, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import load_settings


def test_environment_overrides_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "ownervoice.toml"
    config.write_text('[telegram]\ntoken = "1:file"\n[database]\nurl = "sqlite+aiosqlite:///a.db"\n')
    monkeypatch.setenv("OWNERVOICE_DATABASE__URL", "sqlite+aiosqlite:///b.db")
    settings = load_settings(config)
    assert settings.telegram.token.get_secret_value() == "1:file"
    assert settings.database.url == "sqlite+aiosqlite:///b.db"


def test_secrets_are_not_shown_in_repr(tmp_path: Path) -> None:
    config = tmp_path / "ownervoice.toml"
    config.write_text('[telegram]\ntoken = "123:very-secret"\n')
    assert "very-secret" not in repr(load_settings(config))


def test_points_weights_that_do_not_sum_to_one_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "ownervoice.toml"
    config.write_text("[points.satisfaction]\noverall = 0.9\n")
    with pytest.raises(ValidationError, match=r"sum to 1\.0"):
        load_settings(config)
