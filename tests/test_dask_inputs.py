"""Dask input and output: the same articles and rejections as the local corpus readers.

These run on Dask's synchronous scheduler (no cluster): they test what the tasks compute, the
cluster tests in ``test_dask_cluster.py`` test where they run.
"""

from __future__ import annotations

import json
from pathlib import Path

import dask
import pytest

dask_bag = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")

from arabnews_nlp import Article  # noqa: E402
from arabnews_nlp.corpus import RecordError, read_articles, write_articles  # noqa: E402
from arabnews_nlp.dask_engine import (  # noqa: E402
    as_article_bag,
    drop_duplicate_ids,
    read_articles_dask,
    write_records_dask,
)
from arabnews_nlp.dask_engine.outputs import (  # noqa: E402
    join_parts,
    record_columns,
    wants_parts,
)

LINES = [
    {"id": "q-1", "title": "افتتاح معرض الكتاب في الشارقة", "body": "افتتح معرض الكتاب أبوابه "
     "صباح اليوم بمشاركة ناشرين من عشرين دولة عربية.", "date": "2024-11-06"},
    {"id": "q-2", "headline": "ارتفاع صادرات التمور التونسية", "text": "سجلت صادرات التمور "
     "التونسية ارتفاعا ملحوظا خلال الموسم الحالي."},
    {"id": "q-3", "title": "خبر بلا نص"},
    {"id": "q-1", "title": "نسخة ثانية من الخبر الأول", "body": "نص مكرر بالمعرف نفسه."},
    {"id": "q-4", "title": "منتخب الأردن يستعد لمباراة ودية", "body": "يواصل المنتخب تدريباته "
     "في عمّان استعدادا للمباراة الودية المقبلة."},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    lines = [json.dumps(x, ensure_ascii=False) for x in LINES]
    lines.insert(3, '{"id": "q-5", "title": "سطر مقطوع')
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _split(items: list) -> tuple[list[Article], list[RecordError]]:
    return [x for x in items if isinstance(x, Article)], [
        x for x in items if isinstance(x, RecordError)
    ]


@pytest.mark.parametrize("blocksize", [None, 120])
def test_jsonl_blocks_give_the_local_readers_articles_and_errors(jsonl: Path, blocksize):
    bag = drop_duplicate_ids(read_articles_dask(jsonl, blocksize=blocksize))
    if blocksize:
        assert bag.npartitions > 1
    articles, errors = _split(bag.compute())
    reader = read_articles(jsonl)
    assert articles == list(reader)
    assert sorted(e.kind for e in errors) == sorted(e.kind for e in reader.report.errors)
    assert {e.kind for e in errors} == {"parse", "missing_field", "duplicate"}
    assert articles[1].title == "ارتفاع صادرات التمور التونسية"  # "headline" alias applied


def test_parquet_and_dataframe_inputs_match_the_jsonl(jsonl: Path, tmp_path: Path):
    expected = list(read_articles(jsonl))
    parquet = tmp_path / "news.parquet"
    write_articles([a.to_dict() for a in expected], parquet, "parquet")
    assert read_articles_dask(parquet).compute() == expected
    assert as_article_bag(dd.read_parquet(parquet)).compute() == expected


def test_a_bag_of_dicts_is_validated_like_a_file():
    bag = dask_bag.from_sequence([LINES[0], LINES[2], 42], npartitions=2)
    articles, errors = _split(as_article_bag(bag).compute())
    assert [a.id for a in articles] == ["q-1"]
    assert [e.kind for e in errors] == ["missing_field", "type"]
    with pytest.raises(TypeError, match="dask Bag or DataFrame"):
        as_article_bag([LINES[0]])


def test_first_copy_of_an_id_wins_across_partitions():
    one = Article(id="d", title="الأول", body="النص الأول")
    two = Article(id="d", title="الثاني", body="النص الثاني")
    other = Article(id="e", title="خبر آخر", body="نص آخر")
    bag = dask_bag.from_sequence([other, one, two, one], npartitions=4)
    articles, errors = _split(drop_duplicate_ids(bag).compute())
    assert [a.title for a in articles] == ["خبر آخر", "الأول"]
    assert [e.kind for e in errors] == ["duplicate", "duplicate"]


def test_other_formats_go_through_the_corpus_readers_on_workers():
    folder = Path(__file__).parent / "fixtures" / "corpus" / "ant"
    articles, errors = _split(read_articles_dask(folder).compute())
    reader = read_articles(folder)
    assert articles == list(reader)
    assert [e.kind for e in errors] == [e.kind for e in reader.report.errors]


def _output_records(n: int) -> list[dict]:
    return [
        {**dict.fromkeys(record_columns()), "id": f"r{i}", "title": f"خبر رقم {i}",
         "section_score": 0.5, "entities": [], "top_entities": [], "related": [],
         "duplicates": []}
        for i in range(n)
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_records_written_in_parts_read_back_in_order(tmp_path: Path, fmt: str):
    records = _output_records(7)
    out = tmp_path / f"analysis.{fmt}"
    paths = write_records_dask(dask_bag.from_sequence(records, npartitions=3), out, fmt)
    assert len(paths) == 3
    if fmt == "jsonl":
        parts = sorted(out.glob("*.jsonl"))
        lines = [json.loads(x) for p in parts for x in p.read_text("utf-8").splitlines()]
    else:
        lines = dd.read_parquet(out).compute().to_dict("records")
    assert [r["id"] for r in lines] == [f"r{i}" for i in range(7)]
    assert lines[3]["title"] == "خبر رقم 3"
    # A second run with fewer partitions leaves no stale part behind.
    write_records_dask(dask_bag.from_sequence(records[:2], npartitions=1), out, fmt)
    assert len(list(out.glob("part*"))) == 1
    with pytest.raises(ValueError, match="jsonl"):
        write_records_dask(dask_bag.from_sequence(records), out, "csv")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_parts_joined_into_the_one_file_the_path_names(tmp_path: Path, fmt: str):
    records = _output_records(12)
    out = tmp_path / f"analysis.{fmt}"
    assert not wants_parts(out) and wants_parts(f"{tmp_path}/folder/")
    folder = tmp_path / ".parts"
    write_records_dask(dask_bag.from_sequence(records, npartitions=11), folder, fmt)
    join_parts(str(folder), str(out), fmt)
    assert out.is_file() and not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left
    if fmt == "jsonl":
        lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    else:
        import pyarrow.parquet as pq

        lines = pq.read_table(out).to_pylist()
    assert [r["id"] for r in lines] == [f"r{i}" for i in range(12)]  # part 10 after part 9
    assert lines[3]["title"] == "خبر رقم 3"
    assert wants_parts(tmp_path)  # an existing folder stays a folder of parts


def test_a_folder_is_walked_like_the_local_reader_and_its_jsonl_split(jsonl: Path, tmp_path):
    folder = tmp_path / "archive"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "b.jsonl").write_bytes(jsonl.read_bytes())
    lines = [json.dumps({**LINES[4], "id": "z-1"}, ensure_ascii=False)]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "README.md").write_text("ملاحظات", encoding="utf-8")  # not a data file
    (folder / ".hidden.jsonl").write_text("{", encoding="utf-8")
    bag = drop_duplicate_ids(read_articles_dask(folder, blocksize=150))
    assert bag.npartitions > 2  # the JSON Lines files were cut into blocks
    articles, errors = _split(bag.compute())
    reader = read_articles(folder)
    assert articles == list(reader)
    assert sorted(e.kind for e in errors) == sorted(e.kind for e in reader.report.errors)
