"""`ownervoice --help` speaks the terminal's language, and explains every argument."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.cli import build_parser
from tests.fixtures.catalogs import singular_texts
from tests.fixtures.terminal import cli_env

ROOT = Path(__file__).resolve().parents[3]
# argparse's own texts a person can meet (Python 3.11's argparse.py).
ARGPARSE_TEXTS = (
    "usage: ", "positional arguments", "options", "show this help message and exit",
    "argument %(argument_name)s: %(message)s", "unrecognized arguments: %s",
    "the following arguments are required: %s", "one of the arguments %s is required",
    "expected one argument", "expected at most one argument", "expected at least one argument",
    "ambiguous option: %(option)s could match %(matches)s", "invalid %(type)s value: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "not allowed with argument %s", "ignored explicit argument %r",
)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def _help_texts() -> set[str]:
    texts: set[str] = set()
    for parser in _parsers(build_parser()):
        texts |= {t for t in (parser.description, parser.epilog) if t}
        texts |= {g.title for g in parser._action_groups if g.title}
        for action in parser._actions:
            if action.help and action.help != argparse.SUPPRESS:
                texts.add(action.help)
            if isinstance(action, argparse._SubParsersAction):
                texts |= {c.help for c in action._choices_actions if c.help}
    return texts


def _unexplained(parser: argparse.ArgumentParser, words: str = "ownervoice") -> Iterator[str]:
    """Each subcommand and argument under `parser` that has no help text, as typed."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            if not action.help or action.help == argparse.SUPPRESS:
                yield f"{words} {'/'.join(action.option_strings) or action.dest}"
            continue
        helped = {id(action.choices[c.dest]) for c in action._choices_actions if c.help}
        for name, sub in action.choices.items():
            if id(sub) not in helped:
                yield f"{words} {name}"
            yield from _unexplained(sub, f"{words} {name}")


def _cli(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args],
                          env=cli_env(lang, COLUMNS="100"), cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_every_help_text_of_every_command_has_a_chinese_translation() -> None:
    zh, en = singular_texts("zh_CN"), singular_texts("en")
    texts = _help_texts() | set(ARGPARSE_TEXTS)
    assert len(texts) > 100
    assert not sorted(t for t in texts if not zh.get(t)), "help texts without zh_CN"
    assert not sorted(t for t in texts if t not in en), "help texts missing from the en catalog"


def test_every_subcommand_and_argument_says_what_it_is_for() -> None:
    assert not sorted(set(_unexplained(build_parser()))), "without help (add help= and msgids)"


def test_a_subcommand_or_argument_without_help_is_found() -> None:
    parser = argparse.ArgumentParser(prog="ownervoice")
    parser.add_argument("--said", help="explained")
    parser.add_argument("--unsaid")
    actions = parser.add_subparsers(dest="command")
    actions.add_parser("quiet").add_argument("path")
    actions.add_parser("told", help="explained").add_argument("--hidden", help=argparse.SUPPRESS)
    assert sorted(_unexplained(parser)) == [
        "ownervoice --unsaid", "ownervoice quiet",
        "ownervoice quiet path", "ownervoice told --hidden",
    ]


def test_help_in_a_chinese_terminal_is_chinese_and_in_an_english_one_english() -> None:
    zh = _cli("--help", lang="zh_CN.UTF-8")
    assert zh.returncode == 0
    assert zh.stdout.startswith("用法：ownervoice")
    assert "显示此帮助信息并退出" in zh.stdout and "show this help" not in zh.stdout
    assert "运行机器人" in zh.stdout and "run the bot" not in zh.stdout
    en = _cli("--help", lang="en_US.UTF-8")
    assert en.stdout.startswith("usage: ownervoice") and "run the bot" in en.stdout
    assert "\noptions:\n" in en.stdout and "选项" not in en.stdout
    sub = _cli("report", "--help", lang="C.UTF-8")  # no language asked: Chinese
    assert sub.stdout.startswith("用法：ownervoice report") and "\n选项：\n" in sub.stdout
    assert "output" not in sub.stdout.replace("--output", "").replace("OUTPUT", "")


def _positional_names(parser: argparse.ArgumentParser) -> set[str]:
    return {action.metavar if isinstance(action.metavar, str) else action.dest
            for sub in _parsers(parser) for action in sub._actions
            if not action.option_strings and action.dest != argparse.SUPPRESS}


def test_every_positional_argument_is_named_in_chinese_in_usage_and_help() -> None:
    names = _positional_names(build_parser())
    assert {"key", "text", "ACTION"} <= names
    zh = singular_texts("zh_CN")
    assert not sorted(n for n in names if not zh.get(n)), "positional names without zh_CN"
    sub = _cli("templates", "set", "--help", lang="zh_CN.UTF-8")
    assert sub.stdout.startswith("用法：ownervoice templates set")
    assert "<键> <文本>" in sub.stdout and " key " not in sub.stdout
    en = _cli("templates", "set", "--help", lang="en_US.UTF-8")
    assert "key text" in en.stdout


def test_the_community_arguments_are_named_code_and_name_not_a_persons_name() -> None:
    zh = _cli("communities", "add", "--help", lang="zh_CN.UTF-8")
    assert "<代码> <名称>" in zh.stdout and "姓名" not in zh.stdout
    en = _cli("communities", "add", "--help", lang="en_US.UTF-8")
    assert "CODE NAME" in en.stdout
    imports = _cli("agents", "import", "--help", lang="zh_CN.UTF-8")
    assert "<文件>" in imports.stdout and "<路径>" not in imports.stdout
