"""README's staff commands work as written in a fresh folder (the test reads them from README)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# Each case runs README's shell block in a fresh folder (~20 s in all): the slow suite, which CI
# and scripts/test.sh run.
pytestmark = pytest.mark.slow


def readme_staff_block() -> str:
    """The first shell block of README's "Roles and commands" section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Roles and commands")[1]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, "README's Roles and commands section lost its shell block"
    return found.group(1)


def _shell(cwd: Path, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OWNERVOICE_", "LC_"))}
    bin_dir = str(Path(sys.executable).parent)  # `ownervoice` and `python3` of this venv
    clean.update(PATH=f"{bin_dir}:{clean.get('PATH', '')}", LANG="zh_CN.UTF-8", **env)
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=clean,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_readme_staff_commands_run_as_written_in_a_fresh_folder(tmp_path: Path) -> None:
    done = _shell(tmp_path, readme_staff_block())
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert "小区 1：sunny 阳光花园" in out and "主管 1：赵经理（sunny）" in out
    assert sum(line.split("\t")[-1].startswith("/start ") for line in out) == 3  # 3 invites
    assert "客服 1：A001 王晓梅 已停用" in out and "主管 1：赵经理 已停用" in out
    managers = out.index(next(line for line in out if line.startswith("编号  姓名")))
    assert out[managers + 1].split() == ["1", "赵经理", "sunny", "未绑定", "已停用"]
    agents = out.index(next(line for line in out if line.startswith("编号  工号")))
    assert [line.split() for line in out[agents + 1:agents + 3]] == [
        ["1", "A001", "王晓梅", "sunny", "未绑定", "已停用"],
        ["2", "A002", "李建国", "sunny", "未绑定", "在职"]]
    assert done.stderr == ""


def test_a_rerun_adds_no_second_manager_and_says_how_to_get_a_link(tmp_path: Path) -> None:
    lines = readme_staff_block().splitlines()
    add = next(i for i, line in enumerate(lines) if line.startswith("ownervoice managers add"))
    first = _shell(tmp_path, "\n".join(lines[:add + 1]))
    assert first.returncode == 0, first.stderr
    again = _shell(tmp_path, "\n".join([lines[0], lines[add]]))
    assert again.returncode == 2
    assert again.stderr == ("ownervoice managers add：赵经理 已是sunny的主管（主管 1）；"
                            "如需新的邀请链接：ownervoice invite manager 1\n")
    listed = _shell(tmp_path, "ownervoice managers list").stdout.splitlines()
    assert [line.split()[:2] for line in listed[1:]] == [["1", "赵经理"]]


def test_without_the_invite_secret_nothing_is_added(tmp_path: Path) -> None:
    done = _shell(tmp_path, "ownervoice communities add sunny 阳光花园\n"
                  "ownervoice managers add --name 赵经理 --community sunny --invite")
    assert done.returncode == 2
    assert done.stderr == ("ownervoice managers add：--invite 需要 invites.secret（请先设置 "
                           "OWNERVOICE_INVITES__SECRET）；未添加任何人\n")
    assert _shell(tmp_path, "ownervoice managers list").stdout.splitlines()[1:] == []


def test_a_manager_of_a_community_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    done = _shell(tmp_path, "ownervoice managers add --name 赵经理 --community sunny")
    assert done.returncode == 2
    assert done.stderr == ("ownervoice managers add：没有小区“sunny”；请先添加：ownervoice "
                           "communities add sunny 小区名称\n")
