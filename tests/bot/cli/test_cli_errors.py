"""Every CLI failure is one line in the terminal's language and exit code 2, no traceback."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import bot.cli.report
from bot.cli import main
from bot.emulator import running_emulator
from surveys import migrations
from surveys.core.db import create_engine
from tests.fixtures.terminal import cli_env, closed_port


def _cli(cwd: Path, *args: str, lang: str = "en_US.UTF-8", **env: str
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd,
                          env=cli_env(lang, **env), capture_output=True, text=True,
                          timeout=120, check=False)


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A loopback port another process (this test) listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_report_in_a_folder_without_a_database_says_to_run_db_upgrade(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "report", "--period", "2026-W47"))
    assert line == ("ownervoice report: there is no database at ownervoice.db; create it with "
                    "`ownervoice db upgrade` (or point --db-url / database.url at yours)")
    assert list(tmp_path.iterdir()) == []  # reading never creates an empty database


@pytest.mark.parametrize("command", [
    ["communities", "list"], ["agents", "list"], ["managers", "list"], ["revisitors", "list"],
    ["people", "owners", "list"], ["people", "agents", "list"],
], ids=" ".join)
def test_a_list_in_a_folder_without_a_database_says_so_and_creates_none(
        tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], terminal: Callable[[str], None]) -> None:
    # `agents list` run in the wrong folder made an empty ownervoice.db there and showed an
    # empty table, as if every agent were gone; `report` already refused.
    monkeypatch.chdir(tmp_path)
    terminal("en_US.UTF-8")
    assert main(command) == 2
    assert capsys.readouterr().err == (
        f"ownervoice {' '.join(command)}: there is no database at ownervoice.db; create it "
        "with `ownervoice db upgrade` (or point --db-url / database.url at yours)\n")
    assert list(tmp_path.iterdir()) == []


def test_the_message_follows_the_terminal_language(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "report", "--period", "week", lang="zh_CN.UTF-8"))
    assert line.startswith("ownervoice report：ownervoice.db 没有数据库；请先运行 "
                           "`ownervoice db upgrade` 创建")


def test_a_database_behind_this_version_is_named_with_both_revisions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"

    async def old_database() -> None:
        engine = create_engine(url)
        await migrations.upgrade(engine, "0003")
        await engine.dispose()

    asyncio.run(old_database())
    line = _one_line(_cli(tmp_path, "report", "--period", "week", "--db-url", url))
    assert f"is at revision 0003, this version needs {migrations.head_revision()}" in line


@pytest.mark.parametrize("args", [
    ["report", "--period", "week", "--db-url", "data/ownervoice.db"],
    ["managers", "list", "--db-url", "data/ownervoice.db"],
    ["db", "--db-url", "data/ownervoice.db", "upgrade"],
])
def test_a_plain_path_as_db_url_shows_the_url_to_write(tmp_path: Path, args: list[str]) -> None:
    line = _one_line(_cli(tmp_path, *args))
    assert ("data/ownervoice.db is not a database URL; for a SQLite file write "
            "sqlite+aiosqlite:///data/ownervoice.db") in line


def test_a_sqlite_file_in_a_missing_or_unwritable_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    for path in (tmp_path / "no" / "such" / "x.db", tmp_path / "a-file" / "x.db"):
        # A command that writes (a list refuses a missing file before it looks at folders).
        line = _one_line(_cli(tmp_path, "managers", "add", "--name", "赵经理", "--db-url",
                              f"sqlite+aiosqlite:///{path}"))
        assert line == (f"ownervoice managers add: cannot open the SQLite file {path}: its "
                        "folder does not exist or is not writable")


def test_a_sqlite_file_name_too_long_for_the_system_says_so_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / ("业主" * 50 + ".db")  # 303 bytes: over the 255 a name may have
    line = _one_line(_cli(tmp_path, "db", "upgrade", "--db-url", f"sqlite+aiosqlite:///{path}",
                          lang="zh_CN.UTF-8"))
    assert line == f"ownervoice db upgrade：无法打开 SQLite 文件 {path}：文件名对系统来说太长"
    assert not any(p.suffix == ".db" for p in tmp_path.iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_sqlite_file_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    try:
        line = _one_line(_cli(tmp_path, "managers", "list", "--db-url",
                              f"sqlite+aiosqlite:///{folder / 'x.db'}"))
    finally:
        folder.chmod(0o700)
    assert line.startswith(f"ownervoice managers list: cannot open the SQLite file {folder}")


def test_an_unreachable_postgres_is_named_without_its_password(tmp_path: Path,
                                                              busy_port: int) -> None:
    port = closed_port()
    url = f"postgresql+asyncpg://ov:s3cret@127.0.0.1:{port}/ov"
    line = _one_line(_cli(tmp_path, "managers", "list", "--db-url", url))
    assert f"cannot use the database at postgresql+asyncpg://ov:***@127.0.0.1:{port}/ov" in line
    assert "s3cret" not in line


def test_the_emulator_on_a_port_in_use_says_so(tmp_path: Path, busy_port: int) -> None:
    line = _one_line(_cli(tmp_path, "emulator", "--port", str(busy_port)))
    assert line == (f"ownervoice emulator: 127.0.0.1:{busy_port} is already in use by another "
                    "process; stop it or choose another port (--port)")


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en_US.UTF-8", "zh_CN.UTF-8"])
async def test_run_with_its_api_port_in_use_says_so(tmp_path: Path, busy_port: int,
                                                    lang: str) -> None:
    async with running_emulator() as emulator:
        done = await asyncio.to_thread(
            _cli, tmp_path, "run", lang=lang, OWNERVOICE_TELEGRAM__TOKEN="123456:TEST",
            OWNERVOICE_TELEGRAM__API_BASE=emulator.base_url, OWNERVOICE_LOG_LEVEL="WARNING",
            OWNERVOICE_API__PORT=str(busy_port), OWNERVOICE_API__TOKEN="api-token",
            OWNERVOICE_INVITES__SECRET="invite-secret")  # else a WARNING line each
    # The ways out are names to type, no English words between them for a Chinese reader.
    if lang.startswith("en"):
        assert _one_line(done) == (
            f"ownervoice run: 127.0.0.1:{busy_port} is already in use by another process; "
            "stop it or choose another port (api.port / OWNERVOICE_API__PORT / --no-api)")
    else:
        assert _one_line(done) == (
            f"ownervoice run：127.0.0.1:{busy_port} 已被其他进程占用；请先停止该进程或换一个端口"
            "（api.port / OWNERVOICE_API__PORT / --no-api）")


def test_an_invalid_configuration_names_the_keys(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "report", "--period", "week",
                          OWNERVOICE_API__PORT="eighty"))
    assert line == ("ownervoice report: invalid configuration (api.port); see "
                    "deploy/ownervoice.example.toml")


@pytest.mark.parametrize("command", [
    ["surveys", "links", "--since", "2026-11-01"], ["orders", "import", "orders.csv"],
    ["revisits", "import", "revisits.csv"], ["communities", "list"],
], ids=" ".join)
def test_an_invalid_setting_is_named_by_every_command_under_its_whole_name(
        tmp_path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], terminal: Callable[[str], None]) -> None:
    # `surveys links` said "run `ownervoice run` to see which setting" under the name
    # "ownervoice surveys"; `orders import` was "ownervoice orders".
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNERVOICE_WEB__BASE_URL", "https://survey.example.com")
    monkeypatch.setenv("OWNERVOICE_SCHEDULE__TIMEZONE", "Mars/Olympus")
    terminal("zh_CN.UTF-8")
    assert main(command) == 2
    said = f"ownervoice {' '.join(command[:2])}"
    assert capsys.readouterr().err == (f"{said}：配置无效（schedule.timezone）；"
                                       "请参考 deploy/ownervoice.example.toml\n")


def test_an_unexpected_error_is_one_line_and_its_traceback_only_with_v(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    terminal: Callable[[str], None],
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("disk on fire at /srv/secret")

    monkeypatch.setattr(bot.cli.report, "_run", broken)
    terminal("en_US.UTF-8")
    assert main(["report", "--period", "week"]) == 2
    err = capsys.readouterr().err
    assert err == ("ownervoice report: unexpected error; run `ownervoice -v …` again to see "
                   "the details\n")  # no class name: it tells the reader nothing
    assert main(["-v", "report", "--period", "week"]) == 2
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.slow
def test_a_config_file_named_with_config_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "--config", "nofile.toml", "report", "--period", "week"))
    assert line == ("ownervoice report: there is no configuration file nofile.toml; check the "
                    "path given to --config (deploy/ownervoice.example.toml is an example)")
    zh = _one_line(_cli(tmp_path, "--config", "nofile.toml", "report", "--period", "week",
                        lang="zh_CN.UTF-8"))
    assert zh.startswith("ownervoice report：没有配置文件 nofile.toml")


@pytest.mark.slow
@pytest.mark.parametrize("where", ["--config", "ownervoice.toml"])
def test_a_config_file_that_is_not_toml_names_the_file_and_the_line(tmp_path: Path,
                                                                     where: str) -> None:
    name = "broken.toml" if where == "--config" else "ownervoice.toml"
    (tmp_path / name).write_text('[api]\nport = 8080\nthis is = not toml [\n')
    args = ["--config", name] if where == "--config" else []
    line = _one_line(_cli(tmp_path, *args, "report", "--period", "week"))
    assert line == (f"ownervoice report: {name} is not valid TOML (line 3, column 6); fix it "
                    "as in deploy/ownervoice.example.toml")
    zh = _one_line(_cli(tmp_path, *args, "report", "--period", "week", lang="zh_CN.UTF-8"))
    assert zh == (f"ownervoice report：{name} 不是有效的 TOML（第 3 行第 6 列）；请参照 "
                  "deploy/ownervoice.example.toml 修改")


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_config_file_saved_as_gbk_or_utf16_says_to_save_it_as_utf8(tmp_path: Path,
                                                                      encoding: str) -> None:
    # What Windows Notepad or a Chinese editor may save: a comment in Chinese, not UTF-8.
    (tmp_path / "ownervoice.toml").write_bytes("# 阳光花园的配置\n[api]\nport = 8080\n"
                                               .encode(encoding))
    line = _one_line(_cli(tmp_path, "report", "--period", "week"))
    assert line == ("ownervoice report: ownervoice.toml is not UTF-8 text; save it as UTF-8 "
                    "(e.g. iconv -f GBK -t UTF-8) and run the command again")
    zh = _one_line(_cli(tmp_path, "report", "--period", "week", lang="zh_CN.UTF-8"))
    assert zh.startswith("ownervoice report：ownervoice.toml 不是 UTF-8 文本")


@pytest.mark.slow
def test_a_config_file_with_a_byte_order_mark_says_to_save_it_without(tmp_path: Path) -> None:
    (tmp_path / "ownervoice.toml").write_bytes("\ufeff[api]\nport = 8080\n".encode())
    line = _one_line(_cli(tmp_path, "report", "--period", "week"))
    assert line == ("ownervoice report: ownervoice.toml starts with a byte order mark (BOM); "
                    "save it as UTF-8 without BOM and run the command again")


def test_run_without_a_token_says_so_in_the_terminal_language(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "run", lang="zh_CN.UTF-8"))
    assert line == ("ownervoice run：未设置 telegram.token（在 ownervoice.toml 中填写，或设置环境"
                    "变量 OWNERVOICE_TELEGRAM__TOKEN）")


def test_run_with_an_invalid_configuration_is_one_line_naming_the_keys(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "run", OWNERVOICE_API__PORT="eighty"))
    assert line == ("ownervoice run: invalid configuration (api.port); see "
                    "deploy/ownervoice.example.toml")


@pytest.mark.parametrize(("host", "port"), [("127.0.0.1", "70000"), ("127.0.0.1", "-1"),
                                            ("999.1.1.1", "0"), ("192.0.2.1", "0")])
def test_an_address_the_emulator_cannot_listen_on_is_one_line(tmp_path: Path, host: str,
                                                              port: str) -> None:
    line = _one_line(_cli(tmp_path, "emulator", "--host", host, "--port", port))
    assert line == (f"ownervoice emulator: cannot listen on {host}:{port}: the address must "
                    "be one of this machine's and the port 0-65535 (--host / --port)")


def test_db_upgrade_to_an_unknown_revision_names_it_and_the_newest(tmp_path: Path) -> None:
    line = _one_line(_cli(tmp_path, "db", "upgrade", "zzz"))
    assert line == (f"ownervoice db upgrade: there is no revision zzz; the newest is "
                    f"{migrations.head_revision()} (`ownervoice db current` shows where the "
                    "database is)")
    assert _one_line(_cli(tmp_path, "db", "downgrade", "0099")).startswith(
        "ownervoice db downgrade: there is no revision 0099;")


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
def test_an_invite_without_the_bot_api_says_why_the_link_is_plain_in_one_line(
        tmp_path: Path) -> None:
    port = closed_port()
    env = {"OWNERVOICE_INVITES__SECRET": "s", "OWNERVOICE_TELEGRAM__TOKEN": "1:x",
           "OWNERVOICE_TELEGRAM__API_BASE": f"http://127.0.0.1:{port}/nothing"}
    assert _cli(tmp_path, "db", "upgrade").returncode == 0
    done = _cli(tmp_path, "managers", "add", "--name", "赵经理", "--invite",
                lang="zh_CN.UTF-8", **env)
    assert done.returncode == 0, done.stderr
    assert "\t/start " in done.stdout
    assert done.stderr.splitlines()[-1].startswith(
        f"ownervoice：无法向 http://127.0.0.1:{port}/nothing 的 Bot API 查询机器人的用户名")


@pytest.mark.parametrize("option", ["--out", "--workdir"])
def test_a_demo_folder_that_cannot_be_made_is_refused_before_the_demo_starts(
        tmp_path: Path, option: str) -> None:
    (tmp_path / "a-file").write_text("")
    done = _cli(tmp_path, "demo", option, "a-file/inside", lang="zh_CN.UTF-8")
    assert _one_line(done) == ("ownervoice demo：无法使用文件夹 a-file/inside：请检查路径和权限"
                               "（它不能位于文件之下）")
    assert done.stdout == ""


@pytest.mark.parametrize(("key", "value", "field"), [
    ("SCHEDULE__TIMEZONE", "Mars/Olympus", "schedule.timezone"),
    ("LOG_LEVEL", "LOUD", "log_level"),
    ("TELEGRAM__API_BASE", "api.telegram.org", "telegram.api_base"),
    ("TELEGRAM__API_BASE", "ftp://files.example.com", "telegram.api_base"),
])
@pytest.mark.slow
def test_a_configured_value_that_cannot_work_names_its_key_before_anything_runs(
        tmp_path: Path, key: str, value: str, field: str) -> None:
    for command in (["run"], ["report", "--period", "week"]):
        done = _cli(tmp_path, *command, **{f"OWNERVOICE_{key}": value,
                                           "OWNERVOICE_TELEGRAM__TOKEN": "123456:SECRET",
                                           "OWNERVOICE_TELEGRAM__STARTUP_ATTEMPTS": "1"})
        assert _one_line(done) == (f"ownervoice {command[0]}: invalid configuration ({field}); "
                                   "see deploy/ownervoice.example.toml")
        assert "SECRET" not in done.stderr


# In the slow suite (CI runs it): seconds the quick suite's 10-minute budget cannot spare.
@pytest.mark.slow
def test_an_owner_import_that_needs_the_bots_name_says_only_why_nothing_was_imported(
        tmp_path: Path) -> None:
    port = closed_port()
    env = {"OWNERVOICE_INVITES__SECRET": "s", "OWNERVOICE_TELEGRAM__TOKEN": "1:x",
           "OWNERVOICE_TELEGRAM__API_BASE": f"http://127.0.0.1:{port}"}
    assert _cli(tmp_path, "db", "upgrade").returncode == 0
    assert _cli(tmp_path, "communities", "add", "GG", "绿地花园").returncode == 0
    (tmp_path / "owners.csv").write_text("community_code,name,phone\nGG,王伟,13812345678\n")
    done = _cli(tmp_path, "people", "owners", "import", "owners.csv", "--invites", "i.csv",
                lang="zh_CN.UTF-8", **env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "错误：无法获取机器人的用户名：请用 --bot-username 指定；未导入任何内容"]


def test_the_emulator_says_where_it_listens_in_the_terminal_language(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "emulator", "--port", "0"],
                            cwd=tmp_path, env=cli_env("zh_CN.UTF-8"), stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert line.startswith("Bot API 模拟器正在监听 http://127.0.0.1:"), line
    assert "（Bot API：http://127.0.0.1:" in line and "控制接口：" in line


def test_a_config_path_that_is_a_folder_is_called_a_folder_not_a_missing_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        terminal: Callable[[str], None]) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    terminal("en_US.UTF-8")
    assert main(["--config", str(folder), "report", "--period", "week"]) == 2
    assert capsys.readouterr().err == (
        f"ownervoice report: {folder} is a folder, not a configuration file; give --config "
        f"the path of the file itself, e.g. {folder / 'ownervoice.toml'}\n")
    terminal("zh_CN.UTF-8")
    assert main(["--config", str(folder), "report", "--period", "week"]) == 2
    assert capsys.readouterr().err == (
        f"ownervoice report：{folder} 是文件夹，不是配置文件；--config 后请写配置文件本身的路径，"
        f"例如 {folder / 'ownervoice.toml'}\n")


def test_an_ownervoice_toml_that_is_a_folder_is_refused_not_read_as_no_configuration(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        terminal: Callable[[str], None]) -> None:
    # What a container gets when its volume names a file missing on the host: a folder.
    (tmp_path / "ownervoice.toml").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OWNERVOICE_CONFIG", raising=False)
    terminal("en_US.UTF-8")
    assert main(["report", "--period", "week"]) == 2
    assert capsys.readouterr().err == (
        "ownervoice report: ownervoice.toml is a folder, not a configuration file; put the "
        "file in its place (deploy/ownervoice.example.toml is an example) or give --config "
        "the path of one\n")
    terminal("zh_CN.UTF-8")
    assert main(["run"]) == 2
    assert capsys.readouterr().err == (
        "ownervoice run：ownervoice.toml 是文件夹，不是配置文件；请在该位置放入配置文件（示例见 "
        "deploy/ownervoice.example.toml），或用 --config 指定配置文件的路径\n")


def test_a_configuration_file_named_by_ownervoice_config_that_does_not_exist_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        terminal: Callable[[str], None]) -> None:
    # A typo in the unit file or the container's variable: running on defaults would start a
    # bot on an empty SQLite file beside the real one, with none of the office's settings.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNERVOICE_CONFIG", "/etc/ownervoice/ownervoic.toml")
    terminal("en_US.UTF-8")
    assert main(["report", "--period", "week"]) == 2
    assert capsys.readouterr().err == (
        "ownervoice report: there is no configuration file /etc/ownervoice/ownervoic.toml, "
        "which OWNERVOICE_CONFIG names; correct the path, or unset OWNERVOICE_CONFIG to run "
        "on ./ownervoice.toml and the OWNERVOICE_* variables\n")
    terminal("zh_CN.UTF-8")
    assert main(["run"]) == 2
    assert capsys.readouterr().err == (
        "ownervoice run：没有 OWNERVOICE_CONFIG 指定的配置文件 /etc/ownervoice/ownervoic.toml；"
        "请更正该路径，或取消 OWNERVOICE_CONFIG，改用 ./ownervoice.toml 和 OWNERVOICE_* 环境变量\n")
    assert list(tmp_path.iterdir()) == []  # no database was made on the defaults
