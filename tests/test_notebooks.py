"""The notebooks in ``notebooks/`` run clean from top to bottom and are committed stripped.

Each notebook is executed with nbclient on a kernel that is *this* interpreter (a kernelspec
written to a temporary folder), so a fresh ``.venv`` made by ``make test`` runs them without
any ``ipykernel install`` step and a user-level ``python3`` kernel cannot hijack the run.
A cell that raises fails the test, and so does anything written to stderr (a warning such as
matplotlib's "Glyph missing from font" means a broken plot).

Set ``ARABNEWS_NOTEBOOK_OUT=<dir>`` to keep the executed notebooks (with outputs) for a look.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300
KERNEL_NAME = "arabnews-nlp-tests"


def _load_strip_script() -> Any:
    path = ROOT / "scripts" / "strip_notebooks.py"
    spec = importlib.util.spec_from_file_location("strip_notebooks", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


strip_notebooks = _load_strip_script()


def test_three_notebooks() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert len(names) == 3, names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {i} has outputs: run scripts/strip_notebooks.py"
            assert cell.execution_count is None, f"cell {i} has an execution count"
    assert not strip_notebooks.strip_file(path, check=True), "run scripts/strip_notebooks.py"


def test_strip_script_doctest() -> None:
    import doctest

    result = doctest.testmod(strip_notebooks, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kernelspec folder whose only kernel is the interpreter running the tests."""
    root = tmp_path_factory.mktemp("kernels")
    spec_dir = root / KERNEL_NAME
    spec_dir.mkdir()
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "arabnews-nlp tests",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    # A fresh environment builds Matplotlib's font cache on first import and says so on stderr;
    # build it here so that the notice cannot land in a notebook's output.
    import matplotlib.font_manager  # noqa: F401

    return root


def stderr_outputs(nb: Any) -> list[str]:
    return [
        f"cell {i}: {out.get('text', '')}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.output_type == "stream" and out.name == "stderr"
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, kernel_dir: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]),
    )
    client = nbclient.NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT_S,
        # The notebooks must not depend on where they are run from: run them in an empty folder.
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    finally:
        out_dir = os.environ.get("ARABNEWS_NOTEBOOK_OUT")
        if out_dir:
            Path(out_dir).mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, Path(out_dir) / path.name)
    assert not stderr_outputs(nb), "\n".join(stderr_outputs(nb))
