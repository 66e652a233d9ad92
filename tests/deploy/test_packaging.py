"""pyproject.toml builds without deprecation warnings: `scripts/setup.sh` prints none."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_with_its_file_shipped() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    assert project["license"] == "MIT"
    files = project["license-files"]
    assert files and all((ROOT / name).is_file() for name in files)
    assert "MIT License" in (ROOT / files[0]).read_text(encoding="utf-8")


def test_build_backend_is_a_setuptools_that_understands_spdx_licenses() -> None:
    build = _pyproject()["build-system"]
    assert isinstance(build, dict)
    setuptools = next(Requirement(r) for r in build["requires"]
                      if Requirement(r).name == "setuptools")
    # setuptools 77 is the first to read `license = "MIT"` + `license-files`.
    assert not setuptools.specifier.contains(Version("76.9")), setuptools


@pytest.mark.slow
def test_editable_install_prints_no_build_backend_warning(tmp_path: Path) -> None:
    # What setup.sh runs, into a throw-away prefix (needs the package index for the backend).
    done = subprocess.run(
        # --ignore-installed: without it pip uninstalls the venv's own copy first.
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps",
         "--ignore-installed", "-e", str(ROOT), "--prefix", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "BuildBackendWarning" not in done.stdout + done.stderr, done.stderr



def _pip(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_an_installed_wheel_carries_the_catalogs_and_answers_in_chinese(tmp_path: Path) -> None:
    # The systemd unit's `pip install /path/to/ownervoice` (no -e) left locales/ behind: the
    # installed bot spoke its English msgids to every Chinese owner, with no warning.
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    _pip("wheel", "--no-deps", "-w", str(wheels), str(ROOT))
    _pip("install", "--no-deps", "--target", str(site), *map(str, wheels.glob("*.whl")))
    said = subprocess.run(
        [sys.executable, "-c", "import bot.i18n as i; print(i.LOCALES_DIR); print(i.Translator("
         "'zh_CN')._('Sorry, something went wrong on our side. Please try again later.'))"],
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=False)
    where, words = said.stdout.splitlines()
    assert where.startswith(str(site)), said.stdout
    assert words == "抱歉，系统暂时出了点问题，请稍后再试。"
