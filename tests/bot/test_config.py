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


def test_secrets_lose_the_spaces_and_line_break_a_secrets_file_leaves_around_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Docker secret or an EnvironmentFile keeps the file's trailing newline; the Bot API
    # and the intake API compare the token byte for byte.
    monkeypatch.setenv("OWNERVOICE_TELEGRAM__TOKEN",
                       " 987654321:AAHk3J9xQeR7vT2mN5pL8wZ1cY4bU6dF0sG\n")
    monkeypatch.setenv("OWNERVOICE_API__TOKEN", "intake-token\r\n")
    settings = load_settings(tmp_path / "none.toml")
    assert settings.telegram.token.get_secret_value() == (
        "987654321:AAHk3J9xQeR7vT2mN5pL8wZ1cY4bU6dF0sG")
    assert settings.api.token.get_secret_value() == "intake-token"
