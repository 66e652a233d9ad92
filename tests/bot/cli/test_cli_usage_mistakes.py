"""A usage mistake is one line in the terminal's language: what went wrong, what to do, exit 2.

argparse's own wording ("usage:", "error:", "invalid int value", "the following arguments are
required") never reaches the person: each kind of mistake is worded by the catalogs.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from tests.fixtures.terminal import cli_env

ROOT = Path(__file__).resolve().parents[3]
COMMANDS = ("'demo', 'run', 'classify', 'report', 'points', 'orders', 'people', 'communities', "
            "'invite', 'managers', 'agents', 'db', 'emulator', 'surveys', 'revisitors', "
            "'revisits', 'templates'")
REPORT_HELP_ZH = "（用法见 `ownervoice report --help`）"
REPORT_HELP_EN = " (see `ownervoice report --help`)"

# (what is typed, the line a Chinese terminal shows, the line an English one shows)
MISTAKES = [
    pytest.param(["report"],
                 "ownervoice report：缺少必需的 --period，请加上" + REPORT_HELP_ZH,
                 "ownervoice report: --period must be given" + REPORT_HELP_EN,
                 id="a required option is missing"),
    pytest.param(["templates", "set"],
                 "ownervoice templates set：缺少必需的 <键>, <文本>，请加上"
                 "（用法见 `ownervoice templates set --help`）",
                 "ownervoice templates set: key, text must be given"
                 " (see `ownervoice templates set --help`)",
                 id="required positional arguments are missing"),
    pytest.param(["nosuch"],
                 f"ownervoice：没有 'nosuch' 这个命令，请从 {COMMANDS} 中选择"
                 "（用法见 `ownervoice --help`）",
                 f"ownervoice: there is no command 'nosuch'; choose from {COMMANDS}"
                 " (see `ownervoice --help`)",
                 id="an unknown command"),
    pytest.param(["people", "nosuch"],
                 "ownervoice people：没有 'nosuch' 这个命令，请从 'communities', 'agents', "
                 "'owners' 中选择（用法见 `ownervoice people --help`）",
                 "ownervoice people: there is no command 'nosuch'; choose from 'communities', "
                 "'agents', 'owners' (see `ownervoice people --help`)",
                 id="an unknown subcommand"),
    pytest.param(["report", "--period", "week", "--format", "xx"],
                 "ownervoice report：--format：不能是 'xx'，请从 'json', 'png', 'text', 'xlsx' "
                 "中选择" + REPORT_HELP_ZH,
                 "ownervoice report: --format: 'xx' is not allowed; choose from 'json', 'png', "
                 "'text', 'xlsx'" + REPORT_HELP_EN,
                 id="an invalid choice"),
    pytest.param(["report", "--period", "week", "--limit", "ten"],
                 "ownervoice report：--limit：'ten' 不是整数，请写数字，例如 10" + REPORT_HELP_ZH,
                 "ownervoice report: --limit: 'ten' is not a whole number; write digits, "
                 "e.g. 10" + REPORT_HELP_EN,
                 id="a word where a whole number goes"),
    pytest.param(["invite", "owner", "seven"],
                 "ownervoice invite：<编号>：'seven' 不是整数，请写相应 list 命令显示的编号"
                 "（用法见 `ownervoice invite --help`）",
                 "ownervoice invite: ID: 'seven' is not a whole number; write the id the list "
                 "command shows (see `ownervoice invite --help`)",
                 id="a word where a whole-number argument goes"),
    pytest.param(["emulator", "--latency", "slow"],
                 "ownervoice emulator：--latency：'slow' 不是数字，请写数字，例如 1.5"
                 "（用法见 `ownervoice emulator --help`）",
                 "ownervoice emulator: --latency: 'slow' is not a number; write e.g. 1.5"
                 " (see `ownervoice emulator --help`)",
                 id="a word where a number goes"),
    pytest.param(["report", "--period", "week", "--nosuch", "x"],
                 "ownervoice report：无法识别 --nosuch x，请删掉或检查拼写" + REPORT_HELP_ZH,
                 "ownervoice report: --nosuch x is not understood here; remove it or check its "
                 "spelling" + REPORT_HELP_EN,
                 id="unrecognized arguments, said by the subcommand they follow"),
    pytest.param(["report", "--period"],
                 "ownervoice report：--period：后面要写一个值" + REPORT_HELP_ZH,
                 "ownervoice report: --period: a value must follow it" + REPORT_HELP_EN,
                 id="an option without its value"),
    pytest.param(["report", "--period", "week", "--l", "5"],
                 "ownervoice report：--l 可能是 --lang, --limit，请写出完整的选项名"
                 + REPORT_HELP_ZH,
                 "ownervoice report: --l could mean --lang, --limit; write the option in full"
                 + REPORT_HELP_EN,
                 id="an ambiguous abbreviation"),
    pytest.param(["--verbose=3", "report"],
                 "ownervoice：-v/--verbose：不接受值，却写了 '3'，请删掉"
                 "（用法见 `ownervoice --help`）",
                 "ownervoice: -v/--verbose: it takes no value, but '3' was given; remove it"
                 " (see `ownervoice --help`)",
                 id="a value given to a flag"),
    pytest.param(["--db-url", "sqlite+aiosqlite:///x.db", "communities", "list"],
                 "ownervoice：--db-url 要写在命令之后，例如 ownervoice communities list --db-url …"
                 "（用法见 `ownervoice --help`）",
                 "ownervoice: --db-url goes after the command, e.g. ownervoice communities list "
                 "--db-url … (see `ownervoice --help`)",
                 id="a command's option written before the command"),
]


@pytest.mark.parametrize(("argv", "zh_line", "en_line"), MISTAKES)
def test_a_usage_mistake_is_one_catalog_line_in_either_language_and_exit_code_2(
    terminal: Callable[[str], None], capsys: pytest.CaptureFixture[str],
    argv: list[str], zh_line: str, en_line: str,
) -> None:
    for lang, line in (("zh_CN.UTF-8", zh_line), ("en_US.UTF-8", en_line)):
        terminal(lang)
        assert main(argv) == 2
        said = capsys.readouterr()
        assert (said.out, said.err) == ("", line + "\n")


LIMIT_ZH = "ownervoice report：--limit：'ten' 不是整数，请写数字，例如 10" + REPORT_HELP_ZH


@pytest.mark.parametrize(("lang", "line"), [
    ("zh_CN.UTF-8", LIMIT_ZH),
    ("C.UTF-8", LIMIT_ZH),  # no language asked for: Chinese
    ("en_US.UTF-8", "ownervoice report: --limit: 'ten' is not a whole number; write digits, "
                    "e.g. 10" + REPORT_HELP_EN),
])
def test_the_installed_command_says_a_mistake_in_one_line_of_the_terminals_language(
    lang: str, line: str
) -> None:
    done = subprocess.run([sys.executable, "-m", "bot.cli", "report", "--period", "week",
                           "--limit", "ten"], env=cli_env(lang), cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n")
