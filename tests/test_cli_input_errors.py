"""Every command reports rejected input on stderr and exits 1, as ``analyze`` does (issue 16).

Exit status 0 means every input record was used; 1 that some were rejected or the input was
missing, empty or a directory (the good records are still processed); 2 a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp.cli import app

try:
    runner = CliRunner(mix_stderr=False)
except TypeError:  # click >= 8.2 always keeps stderr apart
    runner = CliRunner()

GOOD = [
    {"id": "n-1", "title": "الحكومة تقر الموازنة العامة", "body": "أقرت الحكومة الموازنة العامة "
     "للعام المقبل بعد نقاش طويل في مجلس الوزراء حول العجز والدين."},
    {"id": "n-2", "title": "المنتخب يفوز في التصفيات", "body": "فاز المنتخب الوطني لكرة القدم "
     "على ضيفه بثلاثة أهداف في مباراة التصفيات المؤهلة إلى كأس العالم."},
]  # fmt: skip
BAD_LINE = b'{"id": "n-x", "title": "\xd8\xff", "body": "\xfe"}'


def corpus(tmp_path: Path, name: str = "news.jsonl", bad: bool = True) -> Path:
    lines = [json.dumps(GOOD[0], ensure_ascii=False).encode()]
    lines += [BAD_LINE] if bad else []
    lines += [json.dumps(GOOD[1], ensure_ascii=False).encode()]
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def invoke(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def ids(stdout: str) -> list[str]:
    return [json.loads(line).get("id") for line in stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("command", ["classify", "related", "entities"])
def test_rejected_record_exits_1_and_keeps_the_rest(tmp_path, command):
    result = invoke(command, str(corpus(tmp_path)))
    assert result.exit_code == 1
    assert "skipped:" in result.stderr and ":2: invalid utf-8" in result.stderr
    key = "query_id" if command == "related" else "id"
    assert [json.loads(line)[key] for line in result.stdout.splitlines()] == ["n-1", "n-2"]
    clean = invoke(command, str(corpus(tmp_path, "clean.jsonl", bad=False)))
    assert clean.exit_code == 0, clean.stderr


@pytest.mark.parametrize("command", ["classify", "related", "entities", "normalize"])
@pytest.mark.parametrize("case", ["missing", "empty", "empty folder"])
def test_missing_or_empty_input_exits_1(tmp_path, command, case):
    path = tmp_path / "news.jsonl"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "empty folder":
        path = tmp_path / "folder"
        path.mkdir()
    result = invoke(command, str(path))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == "" and "skipped:" in result.stderr


def test_normalize_keeps_lines_aligned_around_a_bad_line(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes("أعلنَت الوزارةُ\n".encode() + b"\xff\xfe\n" + "عاجـــل\n".encode())
    result = invoke("normalize", str(path))
    assert result.exit_code == 1 and ":2: invalid utf-8" in result.stderr
    assert result.stdout.split("\n") == ["اعلنت الوزاره", "", "عاجل", ""]
    folder = invoke("normalize", str(tmp_path))
    assert folder.exit_code == 1 and "is a directory" in folder.stderr


def test_stdin_with_a_bad_byte_in_the_first_line(tmp_path):
    data = b"\xd8 " + "خبر عاجل\n".encode() + "وصل الوزير إلى عمّان\n".encode() + b"\xff"
    result = invoke("normalize", input=data)
    assert result.exit_code == 1 and result.stdout.split("\n") == [
        "",
        "وصل الوزير الي عمان",
        "",
        "",
    ]
    result = invoke("classify", "-", input=corpus(tmp_path).read_bytes())
    assert result.exit_code == 1 and ids(result.stdout) == ["n-1", "n-2"]


def test_encoding_and_follow_symlinks_options(tmp_path):
    text = "\n".join(json.dumps(a, ensure_ascii=False) for a in GOOD) + "\n"
    path = tmp_path / "le.jsonl"
    path.write_bytes(text.encode("utf-16-le"))
    assert invoke("classify", str(path)).exit_code == 1  # not UTF-8 and no BOM
    result = invoke("classify", str(path), "--encoding", "utf-16-le")
    assert result.exit_code == 0 and ids(result.stdout) == ["n-1", "n-2"]
    assert invoke("classify", str(path), "--encoding", "no-such-codec").exit_code == 2
    folder, outside = tmp_path / "in", tmp_path / "outside.jsonl"
    folder.mkdir()
    outside.write_text(text, encoding="utf-8")
    (folder / "link.jsonl").symlink_to(outside)
    refused = invoke("classify", str(folder))
    assert refused.exit_code == 1 and "not followed" in refused.stderr and refused.stdout == ""
    followed = invoke("classify", str(folder), "--follow-symlinks")
    assert followed.exit_code == 0 and ids(followed.stdout) == ["n-1", "n-2"]
