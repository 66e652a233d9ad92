"""Every `ownervoice …` command line the docs give names a command and options that exist."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "deploy" / "ownervoice.example.toml"]
OPTION = re.compile(r"^--[a-z][a-z-]*")


def _documented() -> list[tuple[str, str]]:
    """(file, command line) for each inline `ownervoice …` and each such line of a code block."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        lines = re.findall(r"`(ownervoice [^`]+)`", text)
        for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
            lines += [line.split(" #")[0].strip().removeprefix(".venv/bin/")
                      for line in block.splitlines()
                      if line.strip().removeprefix(".venv/bin/").startswith("ownervoice ")]
        found += [(path.name, line) for line in lines]
    return found


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _unknown(line: str, top: argparse.ArgumentParser) -> list[str]:
    """The words of `line` that name no subcommand or option where they stand."""
    words, parser = line.split()[1:], top
    while words and (choices := _subcommands(parser)):
        word = words.pop(0)
        if word.startswith("-") or word.isupper() or word in ("…", "..."):
            if word == "--config" and words:
                words.pop(0)
            continue  # a top-level option, or a placeholder such as COMMAND
        names = [name for name in word.strip("[]").split("|") if name]
        if missing := [name for name in names if name not in choices]:
            return missing
        parser = choices[names[0]]
    return [m[0] for w in words if (m := OPTION.match(w))
            and m[0] not in parser._option_string_actions]


def test_every_command_line_in_the_docs_names_commands_and_options_that_exist() -> None:
    documented = _documented()
    assert len(documented) > 50
    top = build_parser()
    stale = [(name, line, words) for name, line in documented if (words := _unknown(line, top))]
    assert not stale, f"command lines the CLI does not have: {stale}"


def test_a_stale_subcommand_or_option_is_found() -> None:
    top = build_parser()
    assert _unknown("ownervoice surveys fatigue", top) == ["fatigue"]
    assert _unknown("ownervoice report --period week --colour red", top) == ["--colour"]
    assert _unknown("ownervoice invite owner|agent|manager ID --bot-username NAME", top) == []
    assert _unknown("ownervoice templates list|set|hide|reset", top) == []
