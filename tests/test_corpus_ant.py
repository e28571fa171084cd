"""The ANT pseudo-XML corpus: folder trees, streamed .tar.xz archives, the real archive."""

from __future__ import annotations

import resource
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from arabnews_nlp.corpus import read_articles
from arabnews_nlp.corpus.ant import ANT_CATEGORIES

ANT = Path(__file__).parent / "fixtures" / "corpus" / "ant"


def check_fixture_articles(reader) -> None:
    by_id = {a.id: a for a in reader}
    assert set(by_id) == {"WD-sport-1-20180305", "WD-economy-2-20180306"}
    final = by_id["WD-sport-1-20180305"]
    assert final.source == "Wadi" and final.section == "sport"
    assert final.meta == {
        "outlet": "Wadi",
        "category": "sport",
        "docno": "WD-sport-1-20180305",
        "src": "wadi",
        "author": "القاهرة - سامي يوسف",
    }
    assert final.published == "2018-03-05T19:45:00+03:00"
    assert final.lede == "بلغ النادي الأهلي نهائي الكأس بعد فوزه بهدفين مقابل هدف."
    assert final.url == "https://example.org/sport/2018/03/05/final"
    # A bare "<" inside the text is text, not markup.
    assert final.body.splitlines()[1].startswith("< وسجل المهاجم")
    cotton = by_id["WD-economy-2-20180306"]
    # An unparseable TIME is kept verbatim and is not an error.
    assert cotton.published is None and cotton.meta["time_raw"] == "الثلاثاء 6 مارس"
    assert "author" not in cotton.meta
    report = reader.report
    assert report.warnings == []
    [empty] = report.errors
    assert empty.kind == "missing_field" and empty.source.endswith("SH-culture-3-20180307.txt")


def test_folder_tree():
    check_fixture_articles(read_articles(ANT))


def test_tar_xz_is_streamed_without_extraction(tmp_path):
    archive = tmp_path / "ant-mini.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        for outlet in ("Wadi", "Sahel"):
            tar.add(ANT / outlet, arcname=outlet)
    check_fixture_articles(read_articles(archive))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ant-mini.tar.xz"]


def test_many_docs_in_one_file_and_a_truncated_doc(tmp_path):
    docs = [p.read_text(encoding="utf-8") for p in sorted(ANT.rglob("WD-*.txt"))]
    path = tmp_path / "all.txt"
    path.write_text("".join(docs) + docs[0][: len(docs[0]) // 2], encoding="utf-8")
    reader = read_articles(path)
    articles = list(reader)
    # Outside the <Outlet>/<category>/ layout the outlet comes from <SRC>.
    assert [a.source for a in articles] == ["wadi", "wadi"]
    assert [(e.kind, e.record) for e in reader.report.errors] == [
        ("parse", 34)
    ]  # 16 + 17 lines before it


def test_oversized_doc_is_reported(tmp_path):
    doc = (ANT / "Wadi" / "sport" / "WD-sport-1-20180305.txt").read_text(encoding="utf-8")
    path = tmp_path / "big.txt"
    path.write_text(doc.replace("<TEXT>\n", "<TEXT>\n" + "نص " * 4000 + "\n"), encoding="utf-8")
    reader = read_articles(path, format="ant", max_record_bytes=5000)
    assert list(reader) == [] and reader.report.errors[0].kind == "too_large"


def test_text_file_forced_as_ant_is_reported(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("عنوان\nنص عادي بلا وسوم.\n", encoding="utf-8")
    reader = read_articles(path, format="ant")
    assert list(reader) == [] and "no <DOC> element" in reader.report.errors[0].reason


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@pytest.mark.slow
def test_four_outlet_archive_streams_with_flat_memory(shared_dir):
    archive = shared_dir / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
    if not archive.exists():
        pytest.skip("ANT archive not in ../shared")
    reader = read_articles(archive)
    counts: Counter[tuple[str, str]] = Counter()
    rss_at: dict[int, float] = {}
    for n, article in enumerate(reader, start=1):
        counts[(article.source, article.section)] += 1
        assert article.title and article.body and article.id == article.meta["docno"]
        if n in (15_000, 27_000):
            rss_at[n] = _rss_mib()
    total = sum(counts.values())
    assert 27_000 < total < 28_000
    assert {outlet for outlet, _ in counts} == {"Alarabia", "CNN", "France24", "SkyNews"}
    assert {section for _, section in counts} == set(ANT_CATEGORIES)
    assert reader.report.bad == reader.report.kinds["missing_field"] <= 5
    # The xz decoder's 64 MiB dictionary is filled by ~15k articles; after that, flat.
    assert rss_at[27_000] - rss_at[15_000] < 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < 1024
