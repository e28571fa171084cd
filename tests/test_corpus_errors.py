"""Bad input: each bad record is reported with file, record number and reason."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

import pytest

from arabnews_nlp.corpus import CorpusError, ReadReport, RecordError, read_articles

GOOD = {"title": "هدنة في الجنوب", "body": "أعلن الطرفان هدنة لمدة أسبوع."}
OTHER = {"title": "ارتفاع منسوب النهر", "body": "ارتفع منسوب النهر بعد الأمطار."}


def line(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


@pytest.fixture
def messy_jsonl(tmp_path: Path) -> Path:
    """One good record on lines 1, 5 and 9; each other line is bad in its own way."""
    path = tmp_path / "messy.jsonl"
    path.write_bytes(
        line(GOOD)  # 1 good
        + b'{"title": "\xd9\x85\xff\xfe", "body": "x"}\n'  # 2 invalid UTF-8
        + '{"title": "خبر ناقص", "body": \n'.encode()  # 3 malformed JSON
        + line({"title": "عنوان فقط"})  # 4 missing body
        + line(OTHER)  # 5 good
        + line({"body": "نص بلا عنوان"})  # 6 no title: a valid body-only record
        + b"\x8f\x00\x13\xfa\x9c junk \x00\n"  # 7 binary junk
        + line({**GOOD, "id": None})  # 8 same source+title+date: duplicate id
        + b"\n"
        + line({"id": "n-9", "title": "سوق الأسهم", "body": "أغلقت السوق على ارتفاع."})  # 10
        + b'["not", "an", "object"]\n'  # 11
    )
    return path


def test_collect_reports_each_bad_line_with_reason(messy_jsonl):
    reader = read_articles(messy_jsonl)
    assert [a.title for a in reader] == [GOOD["title"], OTHER["title"], "", "سوق الأسهم"]
    report = reader.report
    got = [(e.record, e.kind) for e in report.errors]
    assert got == [
        (2, "decode"),
        (3, "parse"),
        (4, "missing_field"),
        (7, "decode"),
        (8, "duplicate"),
        (11, "type"),
    ]
    assert all(e.source == str(messy_jsonl) for e in report.errors)
    assert report.errors[2].reason == "missing body"
    assert "invalid utf-8 at byte offset" in report.errors[0].reason
    assert report.read == 4 and report.bad == 6 and report.duplicates == 1
    assert str(report.errors[1]).startswith(f"{messy_jsonl}:3: malformed JSON")


def test_skip_counts_but_keeps_nothing(messy_jsonl):
    reader = read_articles(messy_jsonl, errors="skip")
    assert len(list(reader)) == 4
    assert reader.report.bad == 6 and reader.report.errors == []


def test_raise_stops_at_first_bad_record_with_details(messy_jsonl):
    reader = read_articles(messy_jsonl, errors="raise")
    assert next(reader).title == GOOD["title"]
    with pytest.raises(CorpusError) as caught:
        next(reader)
    assert caught.value.error == RecordError(
        str(messy_jsonl), 2, caught.value.error.reason, "decode"
    )
    assert isinstance(caught.value, ValueError)


def test_duplicates_keep_option(messy_jsonl):
    reader = read_articles(messy_jsonl, duplicates="keep")
    assert len(list(reader)) == 5 and reader.report.duplicates == 1


def test_duplicate_ids_across_files(tmp_path):
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_bytes(line({**GOOD, "id": "same"}))
    reader = read_articles(tmp_path)
    assert len(list(reader)) == 1
    [error] = reader.report.errors
    assert (
        error.kind == "duplicate" and error.source.endswith("b.jsonl") and "'same'" in error.reason
    )


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.csv", "empty.txt", "blank.json"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"" if name.startswith("empty") else b"  \n\n")
    reader = read_articles(path)
    assert list(reader) == []
    [error] = reader.report.errors
    assert (error.record, error.kind, error.reason) == (None, "empty", "empty file")


def test_binary_junk_file_is_one_error_not_thousands(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_bytes(os.urandom(200_000) + b"\x00")
    reader = read_articles([path, tmp_path / "junk.bin"])
    assert list(reader) == []
    assert [(e.kind, e.record) for e in reader.report.errors] == [
        ("format", None),
        ("missing", None),
    ]


def test_binary_file_with_unknown_extension(tmp_path):
    path = tmp_path / "image.dat"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    reader = read_articles(path)
    assert list(reader) == [] and reader.report.errors[0].kind == "format"


def test_fifty_megabyte_article_is_reported_not_loaded(tmp_path):
    path = tmp_path / "huge.jsonl"
    body = "ك" * (25 * 1024 * 1024)  # 50 MB of UTF-8
    with path.open("wb") as out:
        out.write(line(GOOD))
        out.write(line({"title": "مقال ضخم", "body": body}))
        out.write(line(OTHER))
    reader = read_articles(path)
    assert [a.title for a in reader] == [GOOD["title"], OTHER["title"]]
    [error] = reader.report.errors
    assert (error.record, error.kind) == (2, "too_large")
    assert "max_record_bytes=16,777,216" in error.reason


def test_fifty_megabyte_article_accepted_when_limit_raised(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("مقال ضخم\n" + "ك" * (25 * 1024 * 1024), encoding="utf-8")
    [article] = read_articles(path, max_record_bytes=None)
    assert len(article.body) == 25 * 1024 * 1024
    reader = read_articles(path)
    assert list(reader) == [] and reader.report.errors[0].kind == "too_large"


def test_invalid_utf8_in_csv_rejects_only_that_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        "title,body\nعنوان أول,نص أول\n".encode()
        + b"\xd8\xff\xfe,x\n"
        + "عنوان ثالث,نص ثالث\n".encode()
    )
    reader = read_articles(path)
    assert [a.title for a in reader] == ["عنوان أول", "عنوان ثالث"]
    [error] = reader.report.errors
    assert (error.record, error.kind) == (3, "decode")


def test_csv_row_with_too_many_cells(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text("title,body\nأ,ب,ج\nعنوان,نص\n", encoding="utf-8")
    reader = read_articles(path)
    assert len(list(reader)) == 1 and reader.report.errors[0].record == 2


def test_legacy_encoding_option(tmp_path):
    path = tmp_path / "cp1256.txt"
    path.write_bytes("خبر قديم\nنص مكتوب بترميز ويندوز العربي.\n".encode("cp1256"))
    reader = read_articles(path)
    assert list(reader) == [] and reader.report.kinds["decode"] == 1  # not UTF-8
    [article] = read_articles(path, encoding="cp1256")
    assert article.title == "خبر قديم"


def test_json_array_syntax_error_reports_index_and_stops(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text(
        '[{"title": "أ", "body": "ب"}, {"title": "ج" "body": "د"}, {"title": "هـ", "body": "و"}]',
        encoding="utf-8",
    )
    reader = read_articles(path)
    assert [a.title for a in reader] == ["أ"]
    [error] = reader.report.errors
    assert error.record == 2 and "rest of file skipped" in error.reason


def test_truncated_json_array(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[{"title": "أ", "body": "ب"}, {"title": "ج", "bo', encoding="utf-8")
    reader = read_articles(path)
    assert len(list(reader)) == 1 and reader.report.errors[0].kind == "parse"


def test_unparseable_date_keeps_the_record_with_a_warning(tmp_path):
    path = tmp_path / "dates.jsonl"
    path.write_bytes(line({**GOOD, "published": "منتصف الأسبوع الماضي"}))
    reader = read_articles(path)
    [article] = reader
    assert article.published is None and article.meta["published_raw"] == "منتصف الأسبوع الماضي"
    assert reader.report.ok and reader.report.warnings[0].kind == "date"


def test_wrong_field_type(tmp_path):
    path = tmp_path / "types.jsonl"
    path.write_bytes(line({"title": ["قائمة"], "body": "نص"}) + line({**GOOD, "meta": "[1]"}))
    reader = read_articles(path)
    assert list(reader) == [] and [e.kind for e in reader.report.errors] == ["type", "type"]


def test_corrupt_archive_keeps_the_members_before_the_damage(tmp_path):
    good = tmp_path / "src"
    good.mkdir()
    for i in range(40):
        (good / f"{i:02d}.jsonl").write_bytes(line({"id": str(i), **GOOD}))
    archive = tmp_path / "cut.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(good, arcname="docs")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) * 2 // 3])
    reader = read_articles(archive)
    read = len(list(reader))
    assert 0 < read < 40
    assert reader.report.errors[-1].kind in ("format", "io")


def test_missing_paths_and_empty_globs(tmp_path):
    reader = read_articles([tmp_path / "nope.jsonl", str(tmp_path / "*.parquet")])
    assert list(reader) == []
    assert [e.reason for e in reader.report.errors] == [
        "no such file or directory",
        "glob matched no files",
    ]


def test_report_summary_and_error_cap(messy_jsonl):
    report = ReadReport(max_errors=2)
    list(read_articles(messy_jsonl, report=report))
    assert len(report.errors) == 2 and report.bad == 6
    assert report.summary() == (
        "4 read, 6 bad (decode: 2, duplicate: 1, missing_field: 1, parse: 1, type: 1), "
        "1 duplicate ids, 1 files"
    )
    assert json.loads(json.dumps(report.to_dict()))["bad"] == 6


def test_corrupt_parquet_is_one_file_error(tmp_path):
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1" + os.urandom(500) + b"PAR1")
    reader = read_articles([path, tmp_path / "bad.parquet"])
    assert list(reader) == []
    assert [(e.kind, e.record) for e in reader.report.errors] == [("format", None)] * 2
    assert "unreadable Parquet file" in reader.report.errors[0].reason


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>صفحة</title></head><body><div></div></body></html>", encoding="utf-8"
    )
    reader = read_articles(path)
    assert list(reader) == []
    assert reader.report.errors[0].kind in ("missing_field", "parse")
