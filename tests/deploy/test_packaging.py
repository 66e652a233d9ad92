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
