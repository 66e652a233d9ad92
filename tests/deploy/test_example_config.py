"""deploy/ownervoice.example.toml documents every configuration key, with valid values."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.config import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "ownervoice.example.toml"
# Keys documented as comments because they have no value by default.
COMMENTED = {"telegram.webhook_url", "telegram.webhook_secret"}


def _model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
        if isinstance(default, BaseModel):
            keys |= _model_keys(type(default), f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def _file_keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for name, value in data.items():
        if isinstance(value, dict):
            keys |= _file_keys(value, f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def test_example_config_lists_every_setting() -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    text = EXAMPLE.read_text(encoding="utf-8")
    documented = _file_keys(data) | {k for k in COMMENTED if f"# {k.split('.')[-1]} =" in text}
    missing = sorted(_model_keys(Settings) - documented)
    assert not missing, f"keys missing from {EXAMPLE.name}: {missing}"
    unknown = sorted(_file_keys(data) - _model_keys(Settings))
    assert not unknown, f"keys in {EXAMPLE.name} that Settings does not know: {unknown}"


def test_example_config_loads_and_equals_the_defaults() -> None:
    assert load_settings(EXAMPLE) == Settings()
