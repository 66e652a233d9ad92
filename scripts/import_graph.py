"""Find import cycles and function-local imports in the project's packages.

Usage: python scripts/import_graph.py [--check] [--list-local] [PACKAGE ...]

Every import counts: at module level, inside a function or class, and under
`if TYPE_CHECKING:`; `from a import b` counts as importing the module `a.b` when that is a
module, else `a`; importing `a.b.c` also imports the packages `a` and `a.b` (their
`__init__.py` runs first) unless the importer is inside them. A cycle is a strongly connected
group of modules (or a module importing itself). Prints the cycles and the count of
function-local imports (each with its line and its `# why` comment with --list-local);
--check exits 1 when there is a cycle or a function-local import without a `# why` comment on
its line or the line above.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "scoring", "surveys")


@dataclass(frozen=True)
class LocalImport:
    """An import statement inside a function or class body."""

    module: str
    line: int
    target: str
    reason: str


@dataclass
class Graph:
    """Project modules and the project modules each imports."""

    edges: dict[str, set[str]] = field(default_factory=dict)
    local: list[LocalImport] = field(default_factory=list)


def module_name(path: Path, root: Path = ROOT) -> str:
    """Turn a file path under `root` into a dotted module name."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _resolve(node, module, is_package)
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def _packages(target: str, importer: str) -> list[str]:
    """Return the packages above `target` that do not also contain `importer`."""
    parts = target.split(".")
    mine = importer.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))
            if parts[:i] != mine[:i]]


def _walk(tree: ast.AST, local: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, local
        inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        yield from _walk(child, inner)


def _reason(lines: list[str], node: ast.stmt) -> str:
    """Return the `# why:` comment on the import's lines or above its block of imports."""
    last = node.end_lineno or node.lineno
    candidates = lines[node.lineno - 1:last]
    above = node.lineno - 2
    while above >= 0 and (not lines[above].strip()
                          or lines[above].strip().startswith(("from ", "import "))):
        candidates.append(lines[above])
        above -= 1
    if above >= 0:
        candidates.append(lines[above])
    for text in candidates:
        if "# why" in text:
            return text.split("# why", 1)[1].lstrip(": ").strip()
    return ""


def build(packages: tuple[str, ...] = PACKAGES, root: Path = ROOT) -> Graph:
    """Read every module of the packages and collect its imports."""
    files = [p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))]
    modules = {module_name(p, root) for p in files}
    graph = Graph()
    for path in files:
        module = module_name(path, root)
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        edges = graph.edges.setdefault(module, set())
        for node, local in _walk(ast.parse(source, str(path))):
            names = _targets(node, module, path.name == "__init__.py")
            if isinstance(node, ast.ImportFrom):
                # `from a import b` imports the module a.b when it exists, else the package a.
                base = names.pop()
                names = [n if n in modules else base for n in names]
            targets = {n for n in names if n in modules and n != module}
            edges.update(targets)
            # Importing a.b.c runs a/__init__.py and a/b/__init__.py first: packages the
            # importer is not itself inside are imported too.
            edges.update(p for t in targets for p in _packages(t, module) if p in modules)
            if local:
                target = min(targets) if targets else names[0]
                graph.local.append(
                    LocalImport(module, node.lineno, target, _reason(lines, node))
                )
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """Strongly connected groups of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative Tarjan: deep import chains would exceed the recursion limit.
        work = [(start, iter(sorted(graph.edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.edges.get(node, ()):
                    found.append(sorted(group))

    for module in sorted(graph.edges):
        if module not in index:
            visit(module)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    """Print cycles and function-local imports; with --check, fail on either problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=list(PACKAGES))
    parser.add_argument("--check", action="store_true",
                        help="exit 1 on a cycle or an unexplained local import")
    parser.add_argument("--list-local", action="store_true",
                        help="list every function-local import")
    args = parser.parse_args(argv)
    graph = build(tuple(args.packages))
    groups = cycles(graph)
    for group in groups:
        print(f"cycle ({len(group)} modules): " + " ↔ ".join(group))
    unexplained = [imp for imp in graph.local if not imp.reason]
    if args.list_local:
        for imp in graph.local:
            why = imp.reason or "?"
            print(f"local import {imp.module}:{imp.line} -> {imp.target}  # why: {why}")
    project = sum(1 for imp in graph.local if imp.target.split(".")[0] in PACKAGES)
    print(
        f"{len(graph.edges)} modules, {len(groups)} cycles, {len(graph.local)} function-local "
        f"imports ({project} of project modules, {len(unexplained)} without a '# why' comment)"
    )
    if args.check and (groups or unexplained):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
