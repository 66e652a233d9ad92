"""scripts/import_graph.py finds every import cycle, also through local, TYPE_CHECKING and
package imports, and every function-local import without a reason."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tests.fixtures.scripts import load_script


def _tool() -> ModuleType:
    return load_script("import_graph")


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_cycle_through_a_function_local_or_type_checking_import_is_found(tmp_path: Path) -> None:
    tool = _tool()
    _tree(tmp_path, {
        "app/__init__.py": "",
        "app/core.py": "def route():\n    from app import handlers\n",
        "app/handlers.py": "from typing import TYPE_CHECKING\n"
                           "if TYPE_CHECKING:\n    from app.core import route\n",
        "app/leaf.py": "import app.core\n",
    })
    graph = tool.build(("app",), tmp_path)
    assert tool.cycles(graph) == [["app.core", "app.handlers"]]
    [local] = graph.local
    assert (local.module, local.target, local.reason) == ("app.core", "app.handlers", "")


def test_importing_a_module_runs_its_packages_init_so_that_counts(tmp_path: Path) -> None:
    tool = _tool()
    _tree(tmp_path, {
        "app/__init__.py": "",
        "app/render.py": "from app.staff import buttons\n",
        "app/staff/__init__.py": "from app.staff.core import Staff\n",
        "app/staff/core.py": "from app.staff import agent\nStaff = 1\n",
        "app/staff/agent.py": "from app import render\n",
        "app/staff/buttons.py": "",
    })
    groups = tool.cycles(tool.build(("app",), tmp_path))
    assert groups == [["app.render", "app.staff", "app.staff.agent", "app.staff.core"]]


def test_a_local_import_with_a_why_comment_above_its_block_is_explained(tmp_path: Path) -> None:
    tool = _tool()
    _tree(tmp_path, {
        "app/__init__.py": "",
        "app/chart.py": "def draw():\n"
                        "    # why: matplotlib loads only when a chart is drawn\n"
                        "    import json\n\n    import os\n",
    })
    graph = tool.build(("app",), tmp_path)
    assert [imp.reason for imp in graph.local] == [
        "matplotlib loads only when a chart is drawn"] * 2
    assert tool.cycles(graph) == []


def test_the_project_has_no_cycle_and_no_unexplained_local_import() -> None:
    tool = _tool()
    graph = tool.build()
    assert tool.cycles(graph) == []
    assert [f"{i.module}:{i.line}" for i in graph.local if not i.reason] == []
