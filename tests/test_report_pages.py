"""A page dump's own related block in the report, the site's order beside ours (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp import Article
from arabnews_nlp.cli import app
from arabnews_nlp.related.pages import rank_page_block

PAGE = Path(__file__).parent / "fixtures" / "pages" / "water-project.txt"
_ROW = re.compile(r'<td class="num">(\d+)</td><td><bdi>(.*?)</bdi></td><td class="num">(\d+)</td>')


def _report(page: Path, tmp_path: Path) -> str:
    out, report = tmp_path / "out.jsonl", tmp_path / "report.html"
    args = ["analyze", str(page), "--input-format", "pagedump", "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--report", str(report), "-q"])
    assert result.exit_code == 0, result.output
    return report.read_text(encoding="utf-8")


def _site_rows(html: str) -> list[tuple[int, str, int]]:
    """(site position, title, our rank) of each row of the page's related-block table."""
    [table] = re.findall(r'<table class="index site-block">(.*?)</table>', html, re.S)
    return [(int(site), title, int(ours)) for site, title, ours in _ROW.findall(table)]


def test_analyze_report_shows_the_sites_order_beside_ours(tmp_path: Path) -> None:
    rows = _site_rows(_report(PAGE, tmp_path))
    assert [site for site, _, _ in rows] == [1, 2, 3, 4]
    assert sorted(ours for _, _, ours in rows) == [1, 2, 3, 4]
    # The site lists a football draw first; the funding story of the same plant is ours.
    assert rows[0][1] == "المنتخب يتعادل مع ضيفه في مباراة ودية" and rows[0][2] != 1
    assert rows[2][1].startswith("صندوق التنمية المحلية يموّل محطة تحلية") and rows[2][2] == 1


def test_an_article_without_a_block_gets_no_table(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("افتتاح جسر جديد في المدينة\n\nافتتحت البلدية جسرا جديدا للمشاة.\n")
    out, report = tmp_path / "out.jsonl", tmp_path / "report.html"
    args = ["analyze", str(plain), "-o", str(out), "--report", str(report), "-q"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert "site-block" not in report.read_text(encoding="utf-8")


def test_a_block_of_the_wrong_shape_is_skipped_not_fatal() -> None:
    title = "البلدية تشغل محطة تحلية المياه"
    for junk in ("نص", {"title": "x"}, [3, None], [{"lede": "بلا عنوان"}], [{"title": 7}]):
        assert rank_page_block(Article(id="p", title=title, meta={"related": junk})) == []
    block = [None, {"title": "محطة تحلية المياه تبدأ العمل", "lede": 5}]
    [stub] = rank_page_block(Article(id="p", title=title, meta={"related": block}))
    assert (stub.meta_position, stub.rank, stub.title) == (2, 1, block[1]["title"])


@pytest.mark.slow
def test_the_real_page_dump_report_puts_the_sites_last_stub_first(
    shared_dir: Path, tmp_path: Path
) -> None:
    rows = _site_rows(_report(shared_dir / "examples" / "news-page-dump.txt", tmp_path))
    assert [site for site, _, _ in rows] == [1, 2, 3, 4, 5]
    # The one story about the visit is the site's fifth and our first.
    assert rows[-1][2] == 1
