"""What a run promises (docs/guarantees.md): files it writes, paths it refuses, bounds it keeps."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from arabnews_nlp.pipeline.output import atomic_file, write_jsonl

ARTICLES = [
    {
        "id": "g-1",
        "title": "وزير الخارجية المصري يزور الخرطوم",
        "body": "وصل وزير الخارجية المصري إلى الخرطوم في زيارة تستمر يومين يبحث خلالها "
        "ملف المياه مع نظيره السوداني.",
    },
    {
        "id": "g-2",
        "title": "نادي الوداد يفوز بكأس العرش",
        "body": "فاز نادي الوداد البيضاوي بكأس العرش المغربية بعد تغلبه على الرجاء "
        "بهدف في الدار البيضاء.",
    },
]


def _write_corpus(path: Path, articles: list[dict] = ARTICLES) -> Path:
    path.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_atomic_files_get_the_umask_mode_like_the_jsonl(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with atomic_file(tmp_path / "report.html") as f:
            f.write("<p>تقرير</p>")
        write_jsonl([{"id": "a"}], tmp_path / "out.jsonl")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "report.html") == 0o666 & ~umask
    assert _mode(tmp_path / "report.html") == _mode(tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "report.html"]
