"""Hostile input (issue 16): bad bytes, duplicate keys, deep nesting, byte-order marks.

Every case keeps the good records around the bad one and reports the bad one; none of
them may stop the read. The big or nested inputs are built here, never committed.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from arabnews_nlp.corpus import read_articles

FIRST = {"title": "افتتاح جسر جديد", "body": "افتتحت البلدية جسرا جديدا فوق الوادي."}
LAST = {"title": "موسم قطف الزيتون", "body": "بدأ المزارعون قطف الزيتون في القرى الجبلية."}
DEEP = 100_000


def jline(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def kinds(reader) -> list[tuple[int | None, str]]:
    return [(e.record, e.kind) for e in reader.report.errors]


# --- invalid UTF-8: only the record holding the bad byte is lost -------------------------


def test_bad_byte_early_in_a_file_without_known_extension(tmp_path):
    path = tmp_path / "feed.dat"  # sniffed by content
    path.write_bytes(jline(FIRST) + b'{"title": "\xd8\xff", "body": "x"}\n' + jline(LAST))
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "decode")]


def test_bad_byte_early_on_stdin(monkeypatch):
    data = jline(FIRST) + b"\xff\xfe\xfd junk\n" + jline(LAST)
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    reader = read_articles("-")
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "decode")]


def test_bad_byte_inside_a_json_array_keeps_the_records_around_it(tmp_path):
    path = tmp_path / "items.json"
    bad = b'{"title": "\xd9\x85\xff", "body": "\xfe"}'
    path.write_bytes(b"[" + jline(FIRST) + b"," + bad + b",\n" + jline(LAST) + b"]")
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "decode")]


def test_bad_byte_in_a_nested_field_or_a_key_is_reported(tmp_path):
    path = tmp_path / "nested.jsonl"
    path.write_bytes(
        b'{"title": "t", "body": "b", "meta": {"tags": ["\\udcff"]}}\n'
        + b'{"title": "t2", "body": "b", "\\ud800": 1}\n'
        + jline(LAST)
    )
    reader = read_articles(path)
    assert [a.title for a in reader] == [LAST["title"]]
    assert kinds(reader) == [(1, "decode"), (2, "decode")]


# --- duplicate keys ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dup.jsonl", "dup.json"])
def test_duplicate_keys_are_a_record_error(tmp_path, name):
    dup = '{"id": "خ-1", "title": "عنوان", "body": "نص الخبر.", "id": "خ-2"}'
    lines = [json.dumps(FIRST, ensure_ascii=False), dup, json.dumps(LAST, ensure_ascii=False)]
    text = "\n".join(lines) if name.endswith("l") else "[" + ",\n".join(lines) + "]"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    [error] = reader.report.errors
    assert (error.record, error.kind) == (2, "parse") and "duplicate key 'id'" in error.reason


def test_duplicate_key_in_meta_json_of_a_csv_cell(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        'title,body,meta\nعنوان,نص,"{""a"": 1, ""a"": 2}"\nعنوان آخر,نص آخر,\n', encoding="utf-8"
    )
    reader = read_articles(path)
    assert [a.title for a in reader] == ["عنوان آخر"]
    assert kinds(reader) == [(2, "type")] and "duplicate key 'a'" in reader.report.errors[0].reason


# --- deep nesting ----------------------------------------------------------------------------


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_deeply_nested_jsonl_record(tmp_path):
    path = tmp_path / "deep.jsonl"
    nested = '{"title": "t", "body": "b", "meta": {"x": ' + deep(DEEP) + "}}\n"
    path.write_bytes(jline(FIRST) + nested.encode() + jline(LAST))
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "too_deep")]


@pytest.mark.parametrize("depth", [150, DEEP])
def test_deeply_nested_record_in_a_json_array(tmp_path, depth):
    path = tmp_path / "deep.json"
    nested = '{"title": "t", "body": "b", "meta": {"x": ' + deep(depth) + "}}"
    path.write_bytes(b"[" + jline(FIRST) + b"," + nested.encode() + b",\n" + jline(LAST) + b"]")
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "too_deep")]


def test_a_bare_deep_array_is_one_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(deep(DEEP), encoding="utf-8")
    reader = read_articles(path)
    assert list(reader) == [] and kinds(reader) == [(1, "too_deep")]


def test_parquet_json_columns_metadata_of_the_wrong_type(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"title": [FIRST["title"]], "body": [FIRST["body"]]})
    for value in (b"5", b'{"meta": 1}', b"[1]", b"[[[["):
        path = tmp_path / "bad.parquet"
        pq.write_table(table.replace_schema_metadata({b"arabnews:json_columns": value}), path)
        reader = read_articles(path)
        assert list(reader) == []
        [error] = reader.report.errors
        assert error.kind == "format" and "arabnews:json_columns" in error.reason


def test_parquet_json_column_nested_too_deep(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "title": [FIRST["title"], LAST["title"]],
            "body": [FIRST["body"], LAST["body"]],
            "meta": ['{"x": ' + deep(DEEP) + "}", "{}"],
        }
    )
    path = tmp_path / "deep.parquet"
    pq.write_table(table.replace_schema_metadata({b"arabnews:json_columns": b'["meta"]'}), path)
    reader = read_articles(path)
    assert [a.title for a in reader] == [LAST["title"]]
    assert kinds(reader) == [(1, "too_deep")]


def test_resume_skips_a_deeply_nested_checkpoint_line(tmp_path):
    from arabnews_nlp.pipeline.checkpoint import Checkpoint

    checkpoint = Checkpoint(tmp_path / "run.work")
    checkpoint.start({}, resume=False)
    checkpoint.path.write_text('{"a": ' + deep(DEEP) + "}\n", encoding="utf-8")
    assert checkpoint.load() == []  # treated like a torn line: redone, not a crash


# --- byte-order marks and --encoding ----------------------------------------------------------


UTF16_CASES = ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"]


def with_bom(text: str, encoding: str) -> bytes:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    return data


@pytest.mark.parametrize("encoding", UTF16_CASES)
@pytest.mark.parametrize(
    "name, text",
    [
        ("a.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in (FIRST, LAST))),
        ("a.csv", f"title,body\n{FIRST['title']},{FIRST['body']}\n{LAST['title']},{LAST['body']}"),
        ("a.json", json.dumps([FIRST, LAST], ensure_ascii=False)),
        ("a.dat", "\n".join(json.dumps(r, ensure_ascii=False) for r in (FIRST, LAST))),
    ],
)
def test_byte_order_mark_decides_the_encoding(tmp_path, encoding, name, text):
    path = tmp_path / name
    path.write_bytes(with_bom(text, encoding))
    reader = read_articles(path)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert reader.report.ok


def test_utf16_text_article_and_bad_utf16_record(tmp_path):
    text = tmp_path / "a.txt"
    text.write_bytes(f"{FIRST['title']}\n\n{FIRST['body']}\n".encode("utf-16"))
    [article] = read_articles(text)
    assert (article.title, article.body) == (FIRST["title"], FIRST["body"])
    lines = tmp_path / "b.jsonl"
    lone = b"\x00\xd8"  # a lone UTF-16-LE high surrogate: undecodable
    lines.write_bytes(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (FIRST,)).encode("utf-16")
        + "\n".encode("utf-16-le")
        + '{"title": "x'.encode("utf-16-le")
        + lone
        + '", "body": "y"}\n'.encode("utf-16-le")
        + json.dumps(LAST, ensure_ascii=False).encode("utf-16-le")
    )
    reader = read_articles(lines)
    assert [a.title for a in reader] == [FIRST["title"], LAST["title"]]
    assert kinds(reader) == [(2, "decode")]


def test_encoding_option_without_bom(tmp_path):
    path = tmp_path / "le.jsonl"
    path.write_bytes(jline(FIRST).decode().encode("utf-16-le"))
    assert list(read_articles(path)) == []  # not UTF-8: reported, not guessed
    [article] = read_articles(path, encoding="utf-16-le")
    assert article.title == FIRST["title"]
    cp = tmp_path / "cp.csv"
    cp.write_bytes(f"title,body\n{LAST['title']},{LAST['body']}\n".encode("cp1256"))
    [article] = read_articles(cp, encoding="cp1256")
    assert article.body == LAST["body"]


def test_declared_legacy_encoding_is_not_overridden_by_a_bom_lookalike(tmp_path):
    path = tmp_path / "cp.txt"
    # cp1256 bytes that happen to start like a UTF-16-LE mark (ÿþ) stay cp1256.
    path.write_bytes(b"\xff\xfe" + f"{FIRST['title']}\n{FIRST['body']}".encode("cp1256"))
    [article] = read_articles(path, encoding="cp1256")
    assert article.body == FIRST["body"]


def test_encoding_error_reasons_name_the_file_and_record(tmp_path: Path):
    path = tmp_path / "x.json"
    path.write_bytes(b'[{"title": "\xff", "body": "b"}]')
    reader = read_articles(path)
    assert list(reader) == []
    [error] = reader.report.errors
    assert str(error) == f"{path}:1: invalid utf-8 in the record"


# --- CSV with a quote that is never closed ---------------------------------------------------


def csv_rows(n: int) -> list[str]:
    return [f"عنوان الخبر {i},نص الخبر رقم {i}." for i in range(n)]


def test_unterminated_quote_is_reported_and_later_rows_kept(tmp_path):
    rows = csv_rows(6)
    rows[2] = 'عنوان مكسور,"نص بدأ باقتباس لم يغلق'
    path = tmp_path / "stray.csv"
    path.write_text("title,body\n" + "\n".join(rows) + "\n", encoding="utf-8")
    reader = read_articles(path)
    assert [a.title for a in reader] == [f"عنوان الخبر {i}" for i in (0, 1, 3, 4, 5)]
    [error] = reader.report.errors
    assert (error.record, error.kind) == (4, "parse") and "never closed" in error.reason


def test_record_spanning_too_many_lines(tmp_path):
    rows = csv_rows(30)
    rows[1] = 'عنوان مكسور,"اقتباس مفتوح'
    rows[25] = 'عنوان آخر,"يغلق هنا" فقط'  # closes the stray quote 24 lines later
    path = tmp_path / "long.tsv"
    path.write_text(
        "title\tbody\n" + "\n".join(r.replace(",", "\t") for r in rows) + "\n", encoding="utf-8"
    )
    reader = read_articles(path, max_record_lines=10)
    titles = [a.title for a in reader]
    assert "عنوان الخبر 2" in titles and "عنوان الخبر 29" in titles and len(titles) >= 26
    assert reader.report.errors[0].record == 3 and "never closed" in reader.report.errors[0].reason
    # A real multi-line cell (paragraphs) within the bound is one record, as before.
    path.write_text('title,body\nعنوان,"فقرة أولى\nفقرة ثانية"\n', encoding="utf-8")
    [article] = read_articles(path.with_suffix(".tsv"), format="csv")
    assert article.body == "فقرة أولى\nفقرة ثانية"


# --- symbolic links ------------------------------------------------------------------------


@pytest.fixture
def linked_tree(tmp_path: Path) -> Path:
    """``in/`` holds a real file, a link to a file outside, a link to a folder outside and
    a link to a file inside; ``outside/`` is what must not be read by default."""
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "secret.txt").write_text("سر\nهذا ملف خارج مجلد الإدخال.\n", encoding="utf-8")
    (outside / "more" / "x.jsonl").write_bytes(jline(LAST))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(jline(FIRST))
    (folder / "p.txt").symlink_to(outside / "secret.txt")
    (folder / "ext").symlink_to(outside / "more", target_is_directory=True)
    (folder / "same").symlink_to(folder, target_is_directory=True)  # a loop inside the tree
    return folder


def test_links_out_of_an_input_folder_are_reported_not_followed(linked_tree):
    reader = read_articles(linked_tree)
    assert [a.title for a in reader] == [FIRST["title"]]
    errors = sorted((Path(e.source).name, e.kind) for e in reader.report.errors)
    assert errors == [("ext", "link"), ("p.txt", "link")]
    assert "not followed" in reader.report.errors[0].reason


def test_follow_symlinks_reads_them(linked_tree):
    reader = read_articles(linked_tree, follow_symlinks=True)
    assert sorted(a.title for a in reader) == sorted([FIRST["title"], LAST["title"], "سر"])
    assert reader.report.ok


def test_links_out_of_a_glob_base_are_reported(linked_tree):
    reader = read_articles(str(linked_tree / "*.txt"))
    assert list(reader) == [] and [e.kind for e in reader.report.errors] == ["link"]
    # A link named explicitly is what the user asked for.
    [article] = read_articles(linked_tree / "p.txt")
    assert article.title == "سر"


def test_link_members_of_a_tar_archive_are_never_followed(tmp_path):
    import tarfile

    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = jline(FIRST)
        info = tarfile.TarInfo("docs/a.jsonl")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, target in [("docs/p.txt", "/etc/passwd"), ("docs/up.txt", "../../x.txt")]:
            link = tarfile.TarInfo(name)
            link.type, link.linkname = tarfile.SYMTYPE, target
            tar.addfile(link)
        inner = tarfile.TarInfo("docs/b.jsonl")
        inner.type, inner.linkname = tarfile.SYMTYPE, "a.jsonl"
        tar.addfile(inner)
    reader = read_articles(archive, follow_symlinks=True)
    assert [a.title for a in reader] == [FIRST["title"]]
    assert [(e.source.split("!")[1], e.kind) for e in reader.report.errors] == [
        ("docs/p.txt", "link"),
        ("docs/up.txt", "link"),
    ]


def test_dask_folder_walk_refuses_the_same_links(linked_tree):
    pytest.importorskip("dask")
    from arabnews_nlp.dask_engine.inputs import read_articles_dask

    items = read_articles_dask(linked_tree).compute(scheduler="sync")
    assert [a.title for a in items if not hasattr(a, "kind")] == [FIRST["title"]]
    assert sorted(Path(e.source).name for e in items if hasattr(e, "kind")) == ["ext", "p.txt"]


# --- records without a title -------------------------------------------------------------------

POST = "انقطعت الكهرباء عن أحياء واسعة من المدينة مساء أمس لساعات بسبب عطل في محطة التحويل."
SNIPPET = "أعلنت وزارة الصحة تسجيل انخفاض في عدد الإصابات بالإنفلونزا خلال الأسبوع الماضي."


@pytest.mark.parametrize("name", ["posts.jsonl", "posts.csv", "posts.parquet", "posts.json"])
def test_body_only_records_are_valid_everywhere(tmp_path, name):
    from arabnews_nlp.corpus import write_articles

    path = tmp_path / name
    records = [{"body": POST, "source": "tw"}, {"body": SNIPPET, "source": "tw"}, FIRST]
    if name.endswith(".csv"):
        path.write_text(f"title,body,source\n,{POST},tw\n,{SNIPPET},tw\n", encoding="utf-8")
        records = records[:2]
    else:
        write_articles(records, path)
    reader = read_articles(path)
    articles = list(reader)
    assert reader.report.ok and [a.body for a in articles] == [r["body"] for r in records]
    assert articles[0].title == "" and articles[0].id != articles[1].id
    assert articles[0].headline == "انقطعت الكهرباء عن أحياء واسعة من المدينة مساء…"
    # Asking for a title still rejects them.
    strict = read_articles(path, require=("title", "body"))
    assert [a.title for a in strict] == [r["title"] for r in records if "title" in r]
    assert strict.report.kinds["missing_field"] == 2


def test_untitled_ant_document(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(
        f"<DOC>\n<DOCNO>X-sport-1</DOCNO>\n<TEXT>\n{POST}\n</TEXT>\n</DOC>\n", encoding="utf-8"
    )
    [article] = read_articles(path)
    assert (article.id, article.title, article.body) == ("X-sport-1", "", POST)


def test_report_shows_the_first_words_of_an_untitled_article(tmp_path):
    from arabnews_nlp.pipeline import RunOptions, run_analysis

    path = tmp_path / "posts.jsonl"
    bridge = "افتتحت البلدية جسرا جديدا فوق الوادي صباح اليوم بحضور المحافظ وسكان القرى المجاورة"
    path.write_bytes(jline({"body": POST}) + jline({"body": bridge}) + jline(FIRST))
    report = tmp_path / "report.html"
    summary = run_analysis(
        [str(path)], tmp_path / "out.jsonl", RunOptions(report=report, progress=False)
    )
    assert summary.exit_code == 0 and summary.written == 3
    html = report.read_text(encoding="utf-8")
    assert "انقطعت الكهرباء عن أحياء واسعة من المدينة مساء…" in html
    # The printed summary names the untitled article the same way.
    shown = {name for pair in summary.related_pairs for name in (pair["a"], pair["b"])}
    assert "افتتحت البلدية جسرا جديدا فوق الوادي صباح اليوم…" in shown and "" not in shown
