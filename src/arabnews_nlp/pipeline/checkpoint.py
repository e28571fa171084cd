"""The stage-1 checkpoint: an append-only JSON Lines file of finished articles.

Each finished chunk is appended as whole lines and flushed, so after a crash or Ctrl-C the file
holds every article analysed so far and nothing else. The one thing a hard kill can leave is a
torn last line; :meth:`Checkpoint.load` cuts it off so later appends stay valid JSON Lines.

Next to it, ``config.json`` records the settings that shaped stage 1; resuming with different
settings is refused rather than silently mixing two analyses in one output. A marker file
(:data:`MARKER`) says the folder is ours: a folder without it is never deleted or reused.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.analysis.record import ArticleAnalysis
    >>> cp = Checkpoint(Path(tempfile.mkdtemp()) / "run.work")
    >>> cp.start({"labels": ["PER"]}, resume=False)
    []
    >>> done = ArticleAnalysis(Article(id="a1", title="عنوان", body="نص"), "culture", "ثقافة", 0.8)
    >>> cp.append([done])
    >>> [a.id for a in cp.start({"labels": ["PER"]}, resume=True)]
    ['a1']
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from arabnews_nlp._version import __version__
from arabnews_nlp.analysis.record import ArticleAnalysis, StoredAnalysis
from arabnews_nlp.files import atomic_file
from arabnews_nlp.pipeline.identity import describe_change

__all__ = ["MARKER", "Checkpoint", "CheckpointMismatch", "NotACheckpoint", "encode"]

#: The file that marks a work folder as an arabnews checkpoint (the only kind ever deleted).
MARKER = ".arabnews-checkpoint"
#: What a checkpoint written before the marker existed holds (still recognised as ours).
_LEGACY_FILES = {"config.json", "stage1.jsonl"}


def encode(analysis: ArticleAnalysis) -> str:
    """The checkpoint line of an analysis (JSON, Arabic kept readable, no newline)."""
    return json.dumps(analysis.to_dict(), ensure_ascii=False)


def _write(path: Path, text: str) -> None:
    """Write a small checkpoint file whole or not at all (the one atomic-write helper)."""
    with atomic_file(path) as f:
        f.write(text)


class CheckpointMismatch(ValueError):
    """A resume was asked for with settings that differ from the interrupted run's."""


class NotACheckpoint(ValueError):
    """The work folder's path holds something that is not an arabnews checkpoint."""


class Checkpoint:
    """The work folder of one analysis run (``OUTPUT.work/``).

    Args:
        folder: Where ``stage1.jsonl`` and ``config.json`` live.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "stage1.jsonl"
        self.config_path = self.folder / "config.json"
        self.input_path = self.folder / "input.json"

    def start(
        self,
        config: dict[str, Any],
        *,
        resume: bool,
        inputs: dict[str, Any] | None = None,
        other_input: bool = False,
        load: bool = True,
    ) -> list[ArticleAnalysis]:
        """Prepare the folder and return the articles already done (none unless ``resume``).

        With ``load=False`` nothing is returned: :meth:`scan` reads the articles one at a time.

        Without ``resume`` any earlier checkpoint is discarded. With it, a missing checkpoint
        simply starts from scratch, and one made with a different ``config`` raises
        :class:`CheckpointMismatch`, as does one made from other ``inputs`` (an
        :func:`~arabnews_nlp.pipeline.identity.input_identity`) unless ``other_input``.
        """
        stamped = {"version": __version__, **config}
        self._check_ours()
        if resume and self.path.exists():
            previous = json.loads(self.config_path.read_text(encoding="utf-8"))
            if previous != stamped:
                changed = sorted(
                    k for k in {*previous, *stamped} if previous.get(k) != stamped.get(k)
                )
                raise CheckpointMismatch(
                    f"cannot resume: the checkpoint in {self.folder} was made with different "
                    f"settings ({', '.join(changed)}); run without --resume to start over"
                )
            self._check_input(inputs, other_input)
            return self.load() if load else []
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        _write(self.folder / MARKER, f"arabnews-nlp {__version__} checkpoint\n")
        _write(self.config_path, json.dumps(stamped, ensure_ascii=False, indent=1))
        self._record_input(inputs)
        self.path.touch()
        return []

    def _record_input(self, inputs: dict[str, Any] | None) -> None:
        if inputs is not None:
            _write(self.input_path, json.dumps(inputs, ensure_ascii=False, indent=1))

    def _check_input(self, inputs: dict[str, Any] | None, other_input: bool) -> None:
        if inputs is None or not self.input_path.exists():
            return  # articles given directly, or a checkpoint older than the record
        previous = json.loads(self.input_path.read_text(encoding="utf-8"))
        if previous == inputs:
            return
        if not other_input:
            raise CheckpointMismatch(
                f"cannot resume: the checkpoint in {self.folder} was made from a different "
                f"input ({describe_change(previous, inputs)}); run without --resume to start "
                f"over, or with --resume-different-input to reuse its analyses of the "
                f"articles still in this input"
            )
        self._record_input(inputs)  # the next resume compares with this input

    def is_ours(self) -> bool:
        """Whether the folder is a checkpoint this library made (its marker, or only the two
        files of a checkpoint from before the marker)."""
        if self.folder.is_symlink() or not self.folder.is_dir():
            return False
        if (self.folder / MARKER).is_file():
            return True
        names = {p.name for p in self.folder.iterdir()}
        return bool(names) and names <= _LEGACY_FILES and self.config_path.is_file()

    def _check_ours(self) -> None:
        if not (self.folder.exists() or self.folder.is_symlink()) or self.is_ours():
            return
        raise NotACheckpoint(
            f"{self.folder} exists and is not an arabnews checkpoint (no {MARKER} file); "
            f"it is left alone: move it away or choose another output name"
        )

    def load(self) -> list[ArticleAnalysis]:
        """Every article in the checkpoint, in the order it was written.

        A torn last line (the process was killed mid-write) is truncated away.
        """
        return list(self.scan())

    def scan(self, skip: Container[str] = ()) -> Iterator[ArticleAnalysis]:
        """:meth:`load` one article at a time (memory stays that of one article), leaving out
        the ids in ``skip``.

        The torn last line is truncated away once the scan reaches it: read the scan to its
        end before appending.
        """
        good_end = 0
        with self.path.open("rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break
                try:
                    analysis = StoredAnalysis.from_dict(json.loads(line))
                except (ValueError, KeyError, TypeError, RecursionError):
                    break  # torn or damaged (even nested too deep to decode): redo from here
                good_end += len(line)
                if analysis.id not in skip:
                    yield analysis
        if good_end < self.path.stat().st_size:
            with self.path.open("r+b") as f:
                f.truncate(good_end)

    def append_lines(self, lines: Sequence[str]) -> None:
        """Append already-encoded lines (:meth:`ArticleAnalysis.to_dict` as JSON, no newline).

        Workers encode their own results, so the parent of a parallel run only writes.
        """
        if lines:
            with self.path.open("a", encoding="utf-8") as f:
                f.write("".join(line + "\n" for line in lines))

    def append(self, analyses: Iterable[ArticleAnalysis]) -> None:
        """Append finished articles as whole lines and hand them to the operating system.

        The data is flushed, not fsynced: it survives the process being interrupted or
        killed, which is what resume is for; an fsync per chunk cost more than the analysis
        itself on some disks. After a power loss a torn tail is cut off by :meth:`load`.
        """
        # One write of whole lines per chunk: a kill can tear at most the chunk's tail.
        self.append_lines([encode(a) for a in analyses])

    def remove(self) -> None:
        """Delete the work folder (after the final output is safely written), if it is ours."""
        if self.is_ours():
            shutil.rmtree(self.folder, ignore_errors=True)
