"""The HTML report: self-contained, right-to-left, escaped, with anchors and highlights."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from arabnews_nlp import Article
from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, RelatedLink
from arabnews_nlp.entities import Entity
from arabnews_nlp.entities.extract import text_and_fields
from arabnews_nlp.report import render_report, write_report
from arabnews_nlp.report.highlight import highlight

FLOOD = Article(
    id="flood/1",
    title="أمطار غزيرة تغمر شوارع الإسكندرية",
    lede="تعطلت حركة المرور في الإسكندرية بعد أمطار استمرت يومين.",
    body="قالت هيئة الأرصاد إن الأمطار ستتواصل حتى المساء.\nوأعلنت محافظة الإسكندرية حالة الطوارئ.",
    section="local",
    published="2024-01-15T08:00:00+02:00",
    source="جريدة الساحل",
)
PORT = Article(
    id="port 2",
    title="إغلاق ميناء الإسكندرية بسبب سوء الأحوال الجوية",
    body="أغلقت هيئة الميناء أرصفة الإسكندرية أمام السفن <مؤقتًا> & حتى تهدأ الرياح.",
    published="2024-02-03",
    source="جريدة الساحل",
)
NO_DATE = Article(id="x3", title="<script>alert('x')</script> عنوان خبيث", body="نص قصير.")


def _mentions(article: Article, spec: list[tuple[str, str]]) -> list[Entity]:
    text, fields = text_and_fields(article)
    out = []
    for surface, label in spec:
        for m in re.finditer(re.escape(surface), text):
            name, fs, _ = next(f for f in fields if f[1] <= m.start() < f[2])
            out.append(
                Entity(label, surface, m.start(), m.end(), surface, 0.8, name,
                       m.start() - fs, m.end() - fs)
            )  # fmt: skip
    return sorted(out, key=lambda e: e.start)


def _record(article, section, name, spec, related=()):
    analysis = ArticleAnalysis(article, section, name, 0.75, _mentions(article, spec))
    return AnalysisRecord(analysis, related=list(related))


@pytest.fixture()
def records() -> list[AnalysisRecord]:
    return [
        _record(FLOOD, "politics", "سياسة", [("الإسكندرية", "LOC"), ("هيئة الأرصاد", "ORG")],
                [RelatedLink(PORT.id, 0.41, PORT.title, ("الإسكندرية",))]),
        _record(PORT, "economy", "اقتصاد", [("الإسكندرية", "LOC"), ("هيئة الميناء", "ORG")],
                [RelatedLink(FLOOD.id, 0.41, FLOOD.title, ("الإسكندرية",))]),
        _record(NO_DATE, "culture", "ثقافة", []),
    ]  # fmt: skip


class _Tags(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "line", "rect"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_page_is_rtl_arabic_and_well_formed(records):
    html = render_report(records)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in html
    assert '"Noto Naskh Arabic", "Amiri"' in html
    tags = _parse(html)
    assert tags.errors == [] and tags.stack == []


def test_page_is_self_contained(records):
    html = render_report(records)
    tags = _parse(html)
    for tag, attrs in tags.attrs:
        assert tag not in ("script", "link", "img", "iframe"), tag
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            # Only in-page anchors; the article's own URL is the one allowed external link.
            assert value.startswith("#") or value in {a.url for a in (FLOOD, PORT)} or not value
    assert "@import" not in html and "url(" not in html


def test_text_is_escaped(records):
    html = render_report(records)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; عنوان خبيث" in html
    assert "أمام السفن &lt;مؤقتًا&gt; &amp; حتى" in html


def test_sections_entities_and_timeline(records):
    html = render_report(records)
    assert html.count('class="bar-row"') >= 3
    for name in ("سياسة", "اقتصاد", "ثقافة"):
        assert name in html
    assert re.search(
        r"<span><bdi>الإسكندرية</bdi></span>.*?<span class=\"num\"[^>]*>2</span>", html, re.S
    )
    assert 'id="cooccurrence"' in html and '<table class="heat">' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "2024-01" in html and "2024-02" in html


def test_no_timeline_without_dates(records):
    html = render_report(records[2:])
    assert 'id="timeline"' not in html and "<svg" not in html


def test_articles_have_anchors_highlights_and_related_links(records):
    html = render_report(records)
    assert '<article id="art-0"' in html and '<article id="art-1"' in html
    # The related link of the first article points at the second article's anchor.
    first = html[html.index('<article id="art-0"') : html.index('<article id="art-1"')]
    assert f'<a href="#art-1"><bdi>{PORT.title}</bdi></a>' in first
    assert '<mark class="ent LOC" title="LOC · الإسكندرية">الإسكندرية</mark>' in first
    assert '<mark class="ent ORG" title="ORG · هيئة الأرصاد">هيئة الأرصاد</mark>' in first
    # Every mention in the title, lede and body is marked once.
    assert first.count('title="LOC · الإسكندرية"') == 3


def test_max_articles_limits_blocks_not_figures(records, tmp_path):
    path = write_report(records, tmp_path / "r.html", max_articles=1)
    html = path.read_text(encoding="utf-8")
    assert html.count("<article ") == 1
    assert "تُعرض أول 1 مقالة من 3" in html
    # The related article is not shown: its title is listed without a dead link.
    assert 'href="#art-1"' not in html and PORT.title in html


def test_highlight_skips_overlaps_and_escapes():
    html = highlight("أ<ب>ت", [(0, 1, "PER", "x"), (0, 3, "LOC", "y"), (3, 4, "ORG", '"z"')])
    assert html == (
        '<mark class="ent PER" title="x">أ</mark>&lt;ب'
        '<mark class="ent ORG" title="&quot;z&quot;">&gt;</mark>ت'
    )


def _with(article: Article, **changes: str) -> list[AnalysisRecord]:
    from dataclasses import replace

    return [_record(replace(article, **changes), "culture", "ثقافة", [])]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "//evil.example/x",
    ],
)
def test_only_http_urls_become_links(url):
    html = render_report(_with(NO_DATE, url=url))
    hrefs = [a.get("href") or "" for tag, a in _parse(html).attrs if tag == "a"]
    assert all(h.startswith("#") for h in hrefs), hrefs
    assert "المصدر: <code><bdi>" in html  # still shown, as text


def test_http_urls_stay_links():
    html = render_report(_with(NO_DATE, url="https://news.example/ar/1?a=1&b=2"))
    assert '<a href="https://news.example/ar/1?a=1&amp;b=2" rel="noreferrer">' in html


def test_titles_and_names_are_isolated_from_the_text_around_them():
    # An unclosed right-to-left override in a title must not reorder the score after it.
    hostile = Article(id="rlo", title="\u202eخبر معكوس", body="وصل الوفد إلى القاهرة.")
    related = RelatedLink(hostile.id, 0.93, hostile.title, ("\u202eالقاهرة",))
    records = [
        _record(hostile, "politics", "سياسة", [("القاهرة", "LOC")]),
        _record(PORT, "economy", "اقتصاد", [], [related]),
    ]
    html = render_report(records)
    assert "<h3><bdi>\u202eخبر معكوس</bdi></h3>" in html
    assert '<a href="#art-0"><bdi>\u202eخبر معكوس</bdi></a>' in html
    assert "<bdi>\u202eالقاهرة</bdi>" in html
    assert "<span><bdi>القاهرة</bdi></span>" in html  # top-entities bar
    assert _parse(html).errors == []


def test_page_forbids_loading_or_running_anything(records):
    html = render_report(records)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"  # no script, image, font, frame or fetch
    assert directives["style-src"] == "'unsafe-inline'"  # the inline stylesheet only
    assert html.index("Content-Security-Policy") < html.index("<style>")


def test_an_untitled_related_article_is_listed_by_its_first_words():
    post = Article(id="post-7", body="انقطعت الكهرباء عن أحياء واسعة من الإسكندرية مساء أمس لساعات")
    records = [
        _record(FLOOD, "politics", "سياسة", [], [RelatedLink(post.id, 0.5, "", ())]),
        _record(post, "politics", "سياسة", []),
    ]
    first = render_report(records).split('<article id="art-1"')[0]
    assert f"<bdi>{post.headline}</bdi>" in first.split("مقالات ذات صلة")[1]
