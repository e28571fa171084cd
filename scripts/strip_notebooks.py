"""Strip outputs, execution counts and volatile metadata from Jupyter notebooks.

Notebooks are committed without outputs: diffs stay readable, no stale results are shipped, and
the tests (which execute every notebook) are the only place outputs are produced.

Usage::

    python scripts/strip_notebooks.py                 # strip notebooks/*.ipynb in place
    python scripts/strip_notebooks.py --check         # exit 1 if any notebook is not stripped
    python scripts/strip_notebooks.py path/a.ipynb    # specific files

The functions are importable (``tests/test_notebooks.py`` uses :func:`strip` to check that what is
committed is already stripped).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

# Notebook-level metadata worth keeping: which kernel and language the notebook is for. Everything
# else (widget state, editor settings, papermill/nbclient timing) changes on every run.
KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info")
# Cell-level metadata worth keeping: tags drive tooling (e.g. "raises-exception"), the rest is
# execution timing and UI state.
KEEP_CELL_METADATA = ("tags",)


def strip(nb: Any) -> Any:
    """Strip a notebook node in place and return it.

    Clears code-cell outputs and execution counts, drops volatile metadata and keeps only the
    stable parts of ``language_info`` (its version changes with the interpreter).

    Example:
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        >>> nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"})]
        >>> nb.cells[0].execution_count = 1
        >>> cell = strip(nb).cells[0]
        >>> cell.outputs, cell.execution_count
        ([], None)
    """
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in KEEP_NOTEBOOK_METADATA}
    if "language_info" in nb.metadata:
        nb.metadata["language_info"] = {"name": nb.metadata["language_info"].get("name", "python")}
    for cell in nb.cells:
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEEP_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def strip_file(path: Path, *, check: bool = False) -> bool:
    """Strip one notebook file; return True when it was (or, with ``check``, would be) changed."""
    before = path.read_text(encoding="utf-8")
    nb = strip(nbformat.reads(before, as_version=4))
    after = nbformat.writes(nb) + "\n"
    if after == before:
        return False
    if not check:
        path.write_text(after, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/)")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any differ")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    changed = [p for p in paths if strip_file(p, check=args.check)]
    for path in changed:
        print(f"{'not stripped' if args.check else 'stripped'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
