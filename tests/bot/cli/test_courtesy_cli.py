"""`ownervoice communities set|list` (quiet hours, time zone) and `ownervoice templates`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from tests.fixtures.terminal import speak


def test_a_community_gets_its_own_quiet_hours_and_time_zone(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["communities", "add", "sunny", "阳光花园"]) == 0
    assert main(["communities", "set", "sunny", "--quiet-hours", "22:00-07:30",
                 "--timezone", "Asia/Urumqi"]) == 0
    assert "time zone Asia/Urumqi, quiet hours 22:00-07:30" in capsys.readouterr().out
    assert main(["communities", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Asia/Urumqi" in listed and "22:00-07:30" in listed and "folded (30 days)" in listed
    assert main(["communities", "set", "sunny", "--quiet-hours", "default"]) == 0
    assert "company default (21:00-08:00)" in capsys.readouterr().out


def test_the_community_list_heads_its_names_as_names_not_as_a_persons(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    speak(monkeypatch, "zh_CN.UTF-8")
    assert main(["communities", "add", "sunny", "阳光花园"]) == 0
    capsys.readouterr()
    assert main(["communities", "list"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header[:4] == ["编号", "代码", "名称", "时区"]


@pytest.mark.parametrize(("argv", "says"), [
    (["communities", "set", "sunny", "--quiet-hours", "08:00-08:00"], "the same minute"),
    (["communities", "set", "sunny", "--quiet-hours", "9pm-8am"], "are not HH:MM-HH:MM"),
    (["communities", "set", "sunny", "--quiet-hours", ""], "are not HH:MM-HH:MM"),
    (["communities", "set", "sunny", "--quiet-hours", "  "], "are not HH:MM-HH:MM"),
    (["communities", "set", "sunny", "--timezone", "Mars/Base"], "unknown time zone"),
    (["communities", "add", "park", "公园", "--timezone", "CST"], "unknown time zone"),
])
def test_a_window_or_zone_that_makes_no_sense_is_one_line_and_exit_2(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    assert main(["communities", "add", "sunny", "阳光花园"]) == 0
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and "nothing was changed" in err and len(err.splitlines()) == 1
    assert main(["communities", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Asia/Shanghai" in listed and "park" not in listed
    assert "company default (21:00-08:00)" in listed  # the window was not touched


def test_company_quiet_hours_that_make_no_sense_are_refused_at_config_load(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = cli_workdir / "bad.toml"
    bad.write_text('[courtesy]\nquiet_hours = "21:00-21:00"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="quiet_hours"):
        load_settings(bad)
    monkeypatch.setenv("OWNERVOICE_CONFIG", str(bad))
    assert main(["communities", "list"]) == 2
    err = capsys.readouterr().err.strip()
    assert "courtesy.quiet_hours" in err and len(err.splitlines()) == 1


def test_templates_are_listed_reworded_hidden_and_reset(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "list", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("1. [sorry] We are sorry")
    assert main(["templates", "set", "visit", "--lang", "en", "We come at 9."]) == 0
    assert main(["templates", "hide", "thanks", "--lang", "en"]) == 0
    assert main(["templates", "set", "night", "--lang", "en", "Noted; first thing tomorrow."]) == 0
    capsys.readouterr()
    assert main(["templates", "list", "--lang", "en"]) == 0
    keys = [line.split("]")[0].split("[")[1] for line in capsys.readouterr().out.splitlines()]
    assert keys == ["sorry", "visit", "fixed", "night"]
    assert main(["templates", "reset", "thanks", "--lang", "en"]) == 0
    assert main(["templates", "set", "Bad Key!", "x"]) == 2
    assert main(["templates", "set", "ok", "--lang", "fr", "x"]) == 2
    assert "is not a template key" in capsys.readouterr().err


def test_hiding_a_template_that_does_not_exist_is_refused_and_stores_nothing(
        cli_workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "hide", "sory"]) == 2  # a typo of "sorry"
    err = capsys.readouterr().err
    assert "sory" in err and "no template" in err and err.count("\n") == 1
    assert main(["templates", "set", "night", "Noted."]) == 0
    assert main(["templates", "hide", "night"]) == 0  # the company's own
    assert main(["templates", "hide", "sorry"]) == 0  # a default
    capsys.readouterr()
    assert main(["templates", "list"]) == 0
    keys = [line.split("]")[0].split("[")[1] for line in capsys.readouterr().out.splitlines()]
    assert keys == ["visit", "fixed", "thanks"]
    assert main(["templates", "reset", "sory"]) == 0  # nothing there to reset: said so
    assert "sory" in capsys.readouterr().out
