"""Every code example in the docs and in the package docstrings runs, so the docs cannot rot.

Fenced blocks in ``docs/**/*.md``:

* ```` ```python ```` blocks that contain ``>>>`` run as doctests (outputs compared, with
  ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``);
* other ```` ```python ```` blocks run as scripts;
* ```` ```bash ```` / ```` ```sh ```` / ```` ```console ```` blocks run with ``bash -euo pipefail``
  (a leading ``$ `` prompt is dropped, lines without one are output and are not run), with the
  package's console scripts first on ``PATH``.

The blocks of a page run in order, as a reader would run them: they share one Python namespace
and one working directory, a fresh folder per page that holds ``articles.jsonl`` (a copy of the
bundled sample corpus) and, next to it, a ``../shared`` link to the shared data when that exists,
as in a checkout of the project.
A first line ``# requires: shared`` skips the block when ``../shared`` is absent; a first line
``# not run: <reason>`` marks a block that cannot run here (``pip install``, ``make``...): it is
only syntax-checked.

The package docstrings run with :mod:`doctest` module by module, and ``docs/cli.md`` must match
what ``scripts/gen_cli_docs.py`` generates from the command line itself.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import os
import pkgutil
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import arabnews_nlp

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GRIFFE_EXTENSION = ROOT / "scripts" / "griffe_examples.py"
SAMPLE = ROOT / "src" / "arabnews_nlp" / "data" / "sample_articles.jsonl"
SHARED = Path(os.environ.get("ARABNEWS_SHARED", ROOT.parent / "shared"))
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PYTHON_LANGS = {"python", "py", "pycon"}
SHELL_LANGS = {"bash", "sh", "shell", "console"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a docs page."""

    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(DOCS)}:{self.line}"

    @property
    def marker(self) -> str:
        first = self.code.lstrip().split("\n", 1)[0].strip()
        return first if first.startswith(("# requires:", "# not run:")) else ""


def parse_blocks(path: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file, dedented (blocks may sit in admonitions)."""
    blocks: list[Block] = []
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m["indent"], m["fence"], m["lang"].lower()
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(indent + fence):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        blocks.append(Block(path, start + 1, lang, textwrap.dedent("\n".join(body)) + "\n"))
    return blocks


def all_blocks() -> list[Block]:
    blocks = [b for p in sorted(DOCS.rglob("*.md")) for b in parse_blocks(p)]
    return [b for b in blocks if b.lang in PYTHON_LANGS | SHELL_LANGS]


def shell_script(block: Block) -> str:
    """The commands of a shell block: ``$ `` prompts dropped, prompt-less lines skipped if any."""
    lines = block.code.split("\n")
    if any(line.startswith("$ ") for line in lines):
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    return "\n".join(lines)


class PageSession:
    """The state the blocks of one page share: a working directory and a Python namespace."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.globs: dict[str, Any] = {"__name__": "__main__"}
        self.done = 0  # blocks of the page run so far, in order


@pytest.fixture(scope="session")
def sessions() -> dict[Path, PageSession]:
    """One session per docs page, for the whole test run."""
    return {}


def new_workdir(root: Path) -> Path:
    """A working directory holding ``articles.jsonl``, with ``../shared`` linked when present."""
    work = root / "project"
    work.mkdir()
    shutil.copy(SAMPLE, work / "articles.jsonl")
    if (SHARED / "data").is_dir():
        (root / "shared").symlink_to(SHARED.resolve(), target_is_directory=True)
    return work


BLOCKS = all_blocks()


def test_docs_have_examples() -> None:
    """A guard against the collector silently finding nothing (a moved folder, a changed fence)."""
    assert len(BLOCKS) >= 10, [b.id for b in BLOCKS]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_docs_example(
    block: Block,
    sessions: dict[Path, PageSession],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if block.marker == "# requires: shared" and not (SHARED / "data").is_dir():
        pytest.skip("needs ../shared")
    session = sessions.get(block.path)
    if session is None:
        session = sessions[block.path] = PageSession(new_workdir(tmp_path_factory.mktemp("docs")))
    monkeypatch.chdir(session.workdir)
    page = [b for b in BLOCKS if b.path == block.path]
    index = page.index(block)
    # Test distribution (pytest-xdist) may hand this block to a worker that has not run the ones
    # before it: run those first, as a reader would have.
    for earlier in page[session.done : index]:
        try:
            run_block(earlier, session)
        except (Exception, AssertionError):
            # That block's own test reports the failure; this one cannot run without it.
            session.done = index + 1
            pytest.skip(f"an earlier block of the page failed: {earlier.id}")
    session.done = index + 1
    run_block(block, session)


def run_block(block: Block, session: PageSession) -> None:
    is_python = block.lang in PYTHON_LANGS
    if block.marker.startswith("# requires:") and not (SHARED / "data").is_dir():
        return
    if block.marker.startswith("# not run:"):
        if is_python:
            compile(block.code, block.id, "exec")
        else:
            subprocess.run(["bash", "-n"], input=shell_script(block), text=True, check=True)
    elif is_python and ">>>" in block.code:
        run_doctest(block.code, block.id, block.path, block.line, session.globs)
    elif is_python:
        exec(compile(block.code, block.id, "exec"), session.globs)
    else:
        run_shell(block, session.workdir)


def run_doctest(text: str, name: str, path: Path, line: int, globs: dict[str, Any]) -> None:
    test = doctest.DocTestParser().get_doctest(text, globs, name, str(path), line)
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    globs.update(test.globs)  # DocTest works on a copy; later blocks see what this one defined
    assert runner.failures == 0, "".join(report)


def run_shell(block: Block, workdir: Path) -> None:
    env = dict(os.environ)
    # The console scripts of the environment running the tests (``arabnews``) come first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", shell_script(block)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = f"{proc.stdout}\n{proc.stderr}"
    assert proc.returncode == 0, f"{block.id} exited {proc.returncode}\n{output}"


def test_cli_reference_is_current() -> None:
    """``docs/cli.md`` is generated from the Typer app; a changed option must regenerate it."""
    script = ROOT / "scripts" / "gen_cli_docs.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_docs_build_extension() -> None:
    """The griffe extension that renders docstring doctests as code (``mkdocs.yml``) works."""
    spec = importlib.util.spec_from_file_location("griffe_examples", GRIFFE_EXTENSION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = doctest.testmod(module, optionflags=DOCTEST_FLAGS)
    assert result.attempted and not result.failed


# ------------------------------------------------------------------ package docstrings
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(arabnews_nlp.__path__, prefix="arabnews_nlp.")
)


@pytest.mark.parametrize("module_name", ["arabnews_nlp", *MODULES])
def test_module_doctests(module_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] != "arabnews_nlp":
            pytest.skip(f"optional dependency {exc.name} is not installed")
        raise
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS)
    report: list[str] = []
    for test in finder.find(module, module_name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
