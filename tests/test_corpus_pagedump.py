"""Plain-text page dumps: header, tags, body with sub-headings, and the related-articles block."""

from __future__ import annotations

from pathlib import Path

import pytest

from arabnews_nlp.corpus import read_articles, related_stubs_as_articles
from arabnews_nlp.corpus.pagedump import parse_pagedump

PAGE = Path(__file__).parent / "fixtures" / "corpus" / "pagedump.txt"


@pytest.fixture(scope="module")
def page():
    [article] = read_articles(PAGE)  # sniffed: label / title / view count
    return article


def test_header_fields(page):
    assert page.section == "اقتصادي"
    assert page.title == "الحكومة تقر خطة لدعم المزارعين في سهل الغاب وتوسيع شبكات الري"
    assert page.meta["views"] == 1482
    assert page.tags == ["زراعة", "سهل الغاب", "الري"]  # tab-separated tag line


def test_body_keeps_subheadings_as_paragraphs(page):
    paragraphs = page.body.split("\n")
    assert paragraphs[0].startswith("أقرت الحكومة في جلستها الأسبوعية")
    assert "قروض ميسرة للمزارعين الصغار" in paragraphs
    assert page.meta["subheadings"] == ["قروض ميسرة للمزارعين الصغار", "شبكات ري حديثة"]
    assert len(paragraphs) == 6  # the no-break-space spacer lines are gone
    assert "مقالات ذات صلة" not in page.body


def test_related_stubs(page):
    related = page.meta["related"]
    assert [r["views"] for r in related] == [12, 45, 230]  # ٤٥ read as 45
    assert related[2]["title"] == "وزارة الزراعة تعلن توزيع بذار القمح على مزارعي سهل الغاب"
    assert related[2]["lede"].startswith("بدأت مديرية زراعة الغاب توزيع بذار القمح")
    assert related[2]["lede"].endswith("استعدادا للموسم الجديد")
    assert page.meta["trailer"] == ["إعلان ممول"]


def test_related_stubs_as_articles(page):
    stubs = related_stubs_as_articles(page)
    assert [s.meta["position"] for s in stubs] == [1, 2, 3]
    assert all(s.meta["related_to"] == page.id and s.id != page.id for s in stubs)
    assert stubs[1].title == "افتتاح معرض للكتاب في حماة"
    assert stubs[1].body == stubs[1].lede == "افتتح في مدينة حماة معرض للكتاب بمشاركة خمسين دار نشر"
    assert len({s.id for s in stubs}) == 3


def test_tag_line_without_separators_is_split_into_words():
    fields = parse_pagedump(
        "محليات\nافتتاح سوق شعبية في المدينة القديمة\n77\nأسواق تراث\nافتتحت البلدية سوقا.\n"
    )
    assert fields["tags"] == ["أسواق", "تراث"] and fields["meta"]["tags_raw"] == "أسواق تراث"
    assert fields["meta"]["related"] == []
    custom = parse_pagedump(
        "محليات\nعنوان طويل بما يكفي هنا\n5\nأسواق تراث\nنص.\n", tag_separator="|"
    )
    assert custom["tags"] == ["أسواق تراث"]


def test_page_without_counter_or_tags():
    fields = parse_pagedump(
        "رياضة\nالفريق يفوز بالكأس بعد مباراة مثيرة\nفاز الفريق بالكأس.\nوسط فرحة كبيرة.\n"
    )
    assert fields["tags"] == [] and "views" not in fields["meta"]
    assert fields["body"] == "فاز الفريق بالكأس.\nوسط فرحة كبيرة."


def test_shared_example_page(shared_dir):
    path = shared_dir / "examples" / "news-page-dump.txt"
    [article] = read_articles(path, format="pagedump")
    stubs = related_stubs_as_articles(article)
    assert article.meta["views"] > 0 and len(article.meta["subheadings"]) >= 2
    assert len(stubs) == 5 and all(s.meta["views"] for s in stubs)
    assert any(s.title.startswith("دمشق وموسكو تبحثان") for s in stubs)
