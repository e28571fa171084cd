"""The package's import graph has no cycles (issue 17): every import counts, including the ones
inside functions and under ``TYPE_CHECKING``, and ``from pkg import sub`` counts as an import of
``pkg`` (its ``__init__`` runs first)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import arabnews_nlp

ROOT = Path(arabnews_nlp.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = ["arabnews_nlp", *path.relative_to(ROOT).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _targets(node: ast.AST, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            head = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*head, base] if base else head)
        return [base, *(f"{base}.{a.name}" for a in node.names)]
    return []


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (a name inside a module maps to that module)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, package):
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 100 and "arabnews_nlp.dates.resolve" in graph["arabnews_nlp.dates.extract"]
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as err:  # pragma: no cover - the message names the cycle
        raise AssertionError(f"import cycle: {' -> '.join(err.args[1])}") from None
