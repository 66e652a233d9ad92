"""Configuration comes from ownervoice.toml and OWNERVOICE_* variables, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import bot.config
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
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    settings = load_settings(tmp_path / "empty.toml")
    assert settings.telegram.token.get_secret_value() == (
        "987654321:AAHk3J9xQeR7vT2mN5pL8wZ1cY4bU6dF0sG")
    assert settings.api.token.get_secret_value() == "intake-token"


def test_with_no_configuration_named_the_working_folders_file_is_read_else_the_systems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The container image mounts its file at /etc/ownervoice/ownervoice.toml, and may run
    # on OWNERVOICE_* variables alone: that place is read when it holds a file, never required.
    system = tmp_path / "etc" / "ownervoice.toml"
    monkeypatch.setattr(bot.config, "SYSTEM_CONFIG_FILE", system)
    monkeypatch.delenv("OWNERVOICE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert load_settings().runtime == "aiogram"  # nothing anywhere: the defaults
    system.parent.mkdir()
    system.write_text('runtime = "ptb"\n', encoding="utf-8")
    assert load_settings().runtime == "ptb"
    (tmp_path / "ownervoice.toml").write_text('log_level = "DEBUG"\n', encoding="utf-8")
    settings = load_settings()  # the working folder's file wins; the two are not merged
    assert (settings.runtime, settings.log_level) == ("aiogram", "DEBUG")


def test_a_configuration_file_named_that_does_not_exist_is_refused_not_read_as_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OWNERVOICE_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(bot.config.ConfigMissing) as refused:
        load_settings()
    assert refused.value.path == tmp_path / "absent.toml"
    with pytest.raises(bot.config.ConfigMissing):
        load_settings(tmp_path / "typo.toml")
