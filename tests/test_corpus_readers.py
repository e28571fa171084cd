"""read_articles on every input format, using the original fixtures in tests/fixtures/corpus."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from arabnews_nlp.corpus import ReadReport, read_articles
from arabnews_nlp.corpus.sniff import sniff_format

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"
TSV_COLUMNS = {"عنوان": "title", "نص": "body", "القسم": "section"}


def titles(reader) -> list[str]:
    return [article.title for article in reader]


def test_jsonl_fields_aliases_and_dates():
    reader = read_articles(FIXTURES / "articles.jsonl")
    nile, dates, poetry = list(reader)
    assert reader.report.ok and reader.report.read == 3
    assert nile.id == "nile-001" and nile.tags == ["أسوان", "بنية تحتية"]
    assert nile.published == "2023-11-14T08:30:00+02:00" and nile.body.count("\n") == 1
    # headline/text/category/date/keywords are accepted as aliases of the Article fields.
    assert dates.title == "ارتفاع صادرات التمور المغربية" and dates.section == "اقتصاد"
    assert dates.published == "2023-12-03T12:00:00+01:00"  # RFC 2822
    assert dates.tags == ["تمور", "زراعة", "تصدير"]
    # Arabic-Indic digits in a date; an unknown key lands in meta.
    assert poetry.published == "2024-01-18T00:00:00"
    assert poetry.meta == {"reporter": "سلمى العتيبي"}


def test_ids_are_stable_hashes_when_absent():
    first = [a.id for a in read_articles(FIXTURES / "articles.jsonl")]
    again = [a.id for a in read_articles(FIXTURES / "articles.jsonl")]
    assert first == again and first[1].startswith("a-")


def test_json_array():
    articles = list(read_articles(FIXTURES / "articles.json"))
    assert [a.id for a in articles] == ["gulf-7", "gulf-8"]
    assert articles[1].meta == {"round": 12}


def test_concatenated_pretty_printed_json_objects(tmp_path):
    path = tmp_path / "two.json"
    path.write_text(
        '{\n  "title": "عودة القطارات",\n  "body": "عادت القطارات إلى العمل."\n}\n'
        '{\n  "title": "أسعار الوقود",\n  "body": "استقرت أسعار الوقود."\n}\n',
        encoding="utf-8",
    )
    assert titles(read_articles(path)) == ["عودة القطارات", "أسعار الوقود"]


def test_json_array_streams_across_chunk_boundaries(tmp_path):
    # Records far larger than the 1 MiB read chunk must still be parsed whole.
    body = "نص طويل جدا عن الاقتصاد. " * 60_000
    path = tmp_path / "big.json"
    path.write_text(
        f'[{{"title": "تقرير أول", "body": "{body}"}}, {{"title": "تقرير ثان", "body": "{body}"}}]',
        encoding="utf-8",
    )
    articles = list(read_articles(path))
    assert [a.title for a in articles] == ["تقرير أول", "تقرير ثان"]
    assert articles[1].body == body


def test_csv_with_quoted_newlines_json_tags_and_empty_cells():
    reader = read_articles(FIXTURES / "articles.csv")
    water, derby = list(reader)
    assert reader.report.ok
    assert water.tags == ["مياه", "جفاف"] and water.published == "2024-02-05"
    assert water.url == "https://example.org/water"
    assert derby.body.endswith("وأشاد المدربان بالأداء الدفاعي.")
    assert derby.published is None and derby.url is None and derby.meta == {}


def test_tsv_with_column_mapping():
    [article] = read_articles(FIXTURES / "articles.tsv", columns=TSV_COLUMNS)
    assert article.title == "معرض للخط العربي في تونس" and article.section == "ثقافة"


def test_csv_delimiter_option(tmp_path):
    path = tmp_path / "semicolon.csv"
    path.write_text("title;body\nانتخابات بلدية;جرت الانتخابات البلدية بهدوء.\n", encoding="utf-8")
    assert titles(read_articles(path, delimiter=";")) == ["انتخابات بلدية"]


def test_text_folder_title_on_first_line():
    by_file = {Path(a.meta["file"]).name: a for a in read_articles(FIXTURES / "txt")}
    rain = by_file["desert-rain.txt"]
    assert rain.title == "أمطار نادرة تكسو الصحراء بالخضرة"
    assert rain.body.splitlines()[0].startswith("شهدت مناطق صحراوية")
    assert by_file["bread-prices.txt"].body.count("\n") == 1  # blank lines are not paragraphs


def test_html_with_trafilatura():
    [page] = read_articles(FIXTURES / "page.html")
    assert page.title == "افتتاح مكتبة عامة جديدة في حلب"
    assert page.section == "ثقافة" and page.tags == ["مكتبات", "حلب"]
    assert page.published == "2024-03-10T09:30:00+03:00"
    assert page.body.startswith("افتتحت بلدية حلب")
    assert "قاعات للأطفال" in page.body  # sub-heading kept
    # Navigation, the sidebar and the footer are not article text.
    for boilerplate in ("الرئيسية", "الأكثر قراءة", "جميع الحقوق"):
        assert boilerplate not in page.body


def test_glob_and_list_of_paths_and_shared_report():
    report = ReadReport()
    pattern = str(FIXTURES / "articles.*")
    articles = list(read_articles([pattern, FIXTURES / "txt"], report=report, columns=TSV_COLUMNS))
    # jsonl 3 + json 2 + csv 2 + tsv 1 + txt 2
    assert len(articles) == 10 and report.read == 10 and report.files == 6


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)],
)
def test_compressed_files_are_read_transparently(tmp_path, suffix, compress):
    path = tmp_path / f"articles.jsonl{suffix}"
    path.write_bytes(compress((FIXTURES / "articles.jsonl").read_bytes()))
    assert len(list(read_articles(path))) == 3


def test_tar_and_zip_archives_stream_members(tmp_path):
    tar_path = tmp_path / "bundle.tar.gz"
    with tarfile.open(tar_path, "w:gz") as archive:
        archive.add(FIXTURES / "articles.jsonl", arcname="a/articles.jsonl")
        archive.add(FIXTURES / "txt", arcname="a/txt")
    zip_path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.write(FIXTURES / "articles.json", "articles.json")
        archive.writestr("._articles.json", b"\x00\x05junk")  # macOS resource fork: skipped
    reader = read_articles([tar_path, zip_path])
    assert len(list(reader)) == 3 + 2 + 2 and reader.report.ok
    assert reader.report.files == 4


def test_stdin(monkeypatch):
    data = (FIXTURES / "articles.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert len(list(read_articles("-"))) == 3


def test_reader_is_lazy_and_closeable(tmp_path):
    path = tmp_path / "a.jsonl"
    shutil.copy(FIXTURES / "articles.jsonl", path)
    reader = read_articles(path)
    path.unlink()  # nothing was opened yet
    assert list(reader) == [] and reader.report.kinds["missing"] == 1
    reader = read_articles(FIXTURES / "articles.jsonl")
    next(reader)
    reader.close()
    assert list(reader) == []


def test_explicit_format_overrides_extension(tmp_path):
    path = tmp_path / "export.dat"
    shutil.copy(FIXTURES / "articles.jsonl", path)
    assert len(list(read_articles(path, format="jsonl"))) == 3


def test_source_and_require_options():
    reader = read_articles(FIXTURES / "articles.json", source="خليج", require=["title", "section"])
    assert {a.source for a in reader} == {"خليج"}


@pytest.mark.parametrize(
    ("suffix", "head", "expected"),
    [
        (".jsonl", b"", "jsonl"),
        ("", b'{"title": "x"}\n', "jsonl"),
        ("", b'{\n  "title": "x"\n}', "json"),
        (".txt", b"  [ {} ]", "json"),
        (".txt", b"<DOC>\n<DOCNO>1</DOCNO>", "ant"),
        ("", b"<!DOCTYPE html><html><body></body></html>", "html"),
        ("", b"PAR1\x15\x04", "parquet"),
        (".txt", "رياضة\nالفريق يفوز بالبطولة الإقليمية\n١٢٠\n".encode(), "pagedump"),
        (".txt", "عنوان الخبر\nنص الخبر الكامل هنا.\n".encode(), "text"),
    ],
)
def test_sniff_format(suffix, head, expected):
    assert sniff_format(suffix, head) == expected


def test_unknown_format_and_option_fail_early():
    with pytest.raises(ValueError, match="unknown format"):
        read_articles("x", format="docx")
    with pytest.raises(TypeError, match="unknown read option"):
        read_articles("x", delimeter=";")
    with pytest.raises(ValueError, match="errors must be"):
        read_articles("x", errors="ignore")
