"""`arabnews related` and `arabnews evaluate related`.

``arabnews related CORPUS`` indexes the articles of CORPUS (any corpus format, or JSON Lines on
stdin) and writes, for every article, one JSON line with its related articles and its
near-duplicates. ``--query`` asks for one article (by id) or one text instead; ``--index`` starts
from a saved index (CORPUS articles, if any, are added to it) and ``--save-index`` writes the
index for the next run.

Example:
    $ arabnews related news.jsonl -k 3 --save-index news.idx > related.jsonl
    $ arabnews related --index news.idx --query "زيارة الرئيس السوري إلى موسكو"
    {"query_id": null, "query": "زيارة الرئيس السوري إلى موسكو", "results": [...], ...}
    $ arabnews evaluate related ans-stance-dev.csv --json
    {"recall@1": 0.92, "recall@5": 0.99, "mrr": 0.95, ...}
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from arabnews_nlp.article import Article
from arabnews_nlp.cli.app import app, evaluate_app
from arabnews_nlp.cli.choices import Gold, InputFormat, value
from arabnews_nlp.cli.common import (
    EncodingOpt,
    FollowSymlinksOpt,
    fatal_errors,
    finish,
    read_corpus,
)
from arabnews_nlp.pipeline.options import DEFAULT_RELATED_K

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.related import RelatedIndex, RelatedResults

_BATCH = 256


def _build_index(
    articles: list[Article], index_dir: Path | None, params: dict[str, Any]
) -> RelatedIndex:
    from arabnews_nlp.related import RelatedIndex

    if index_dir is None:
        if not articles:
            raise typer.BadParameter("no articles to index", param_hint="CORPUS")
        return RelatedIndex(**params).fit(articles)
    index = RelatedIndex.load(index_dir)
    new = [a for a in articles if index.position(a.id) is None]
    if new:
        index.add(new)
    return index


def _answers(
    index: RelatedIndex,
    articles: list[Article],
    query: str | None,
    k: int,
    options: dict[str, Any],
) -> Iterator[tuple[str | None, RelatedResults]]:
    """(query text or None, results) for the --query value, or for every corpus article."""
    if query is None:
        for start in range(0, len(articles), _BATCH):
            batch = articles[start : start + _BATCH]
            yield from ((None, r) for r in index.query_many(batch, k, **options))
        return
    by_id = {a.id: a for a in articles}
    if query in by_id:
        yield None, index.query(by_id[query], k, **options)
    elif index.position(query) is not None:
        yield None, index.related_to([query], k, **options)[0]
    else:
        yield query, index.query(query, k, **options)


def _rank_page_blocks(pages: list[Article], entity_weight: float) -> None:
    from arabnews_nlp.related.pages import rank_page_block

    for page in pages:
        ranked = rank_page_block(page, entity_weight=entity_weight)
        record = {
            "query_id": page.id,
            "title": page.title,
            "site_order": [stub["title"] for stub in page.meta["related"]],
            "ranked": [r.to_dict() for r in ranked],
        }
        typer.echo(json.dumps(record, ensure_ascii=False))


@app.command("related")
def related_command(
    corpus: Annotated[
        str | None,
        typer.Argument(help="Articles file/glob/archive (any corpus format) or '-' for stdin."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", help="An article id, or a text; default: every article."),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="Related articles per query.")] = DEFAULT_RELATED_K,
    index_dir: Annotated[
        Path | None,
        typer.Option("--index", help="Start from this saved index (CORPUS articles are added)."),
    ] = None,
    save_index: Annotated[
        Path | None, typer.Option("--save-index", help="Write the index to this directory.")
    ] = None,
    fmt: Annotated[
        InputFormat | None, typer.Option("--format", "-f", help="CORPUS format; sniffed if unset.")
    ] = None,
    within_days: Annotated[
        float | None,
        typer.Option("--within-days", help="Only articles published within N days of the query."),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option("--section", help="Only articles of this section (repeatable)."),
    ] = None,
    same_section: Annotated[
        bool, typer.Option("--same-section", help="Only articles of the query's section.")
    ] = False,
    min_score: Annotated[float, typer.Option("--min-score", help="Drop weaker matches.")] = 0.0,
    entity_weight: Annotated[
        float,
        typer.Option(
            "--entity-weight", help="Share of the score from entities in meta (new index only)."
        ),
    ] = 0.0,
    explain: Annotated[
        bool, typer.Option("--explain/--no-explain", help="Shared terms and entities.")
    ] = True,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help="Score every indexed article (default: the index's candidate search, "
            "exact on small indexes).",
        ),
    ] = False,
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Related articles and near-duplicates, one JSON line per query article (or text).

    A CORPUS of news-page dumps that carry their own related-articles block (and no --index
    or --query) gets that block ranked against each page instead: the site's order beside
    ours, one JSON line per page.

    Exit status: 0 every CORPUS record was used; 1 some were rejected (listed on stderr), or
    CORPUS is missing or empty; 2 usage error.
    """
    from arabnews_nlp.corpus import ReadReport

    if corpus is None and index_dir is None:
        if sys.stdin.isatty():
            raise typer.BadParameter("give a CORPUS, '-' for stdin, or --index DIR")
        corpus = "-"
    read_report = ReadReport()
    articles = (
        list(
            read_corpus(
                corpus, value(fmt), read_report, encoding=encoding, follow_symlinks=follow_symlinks
            )
        )
        if corpus is not None
        else []
    )
    if query is None and not articles:
        if read_report.bad:  # the input was missing, empty or all rejected: already said
            finish(read_report.bad)
        raise typer.BadParameter("nothing to query: give CORPUS articles or --query")
    if query is None and index_dir is None and all(a.meta.get("related") for a in articles):
        # Page dumps with the site's own related block: rank each block against its page.
        _rank_page_blocks(articles, entity_weight)
        finish(read_report.bad)
    index = _build_index(articles, index_dir, {"entity_weight": entity_weight})
    if save_index is not None:
        with fatal_errors():
            index.save(save_index)
        typer.echo(f"index of {len(index)} articles saved to {save_index}", err=True)
    options = {
        "within_days": within_days,
        "sections": set(section) if section else None,
        "same_section": same_section,
        "min_score": min_score,
        "explain": explain,
        "exact": exact,
    }
    for text, found in _answers(index, articles, query, k, options):
        record = found.to_dict()
        if text is not None:
            record = {"query_id": None, "query": text, **record}
        typer.echo(json.dumps(record, ensure_ascii=False))
    finish(read_report.bad)


@evaluate_app.command("related")
def evaluate_related_command(
    pairs: Annotated[Path, typer.Argument(help="CSV with columns s1,s2[,stance] (ANS format).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    gold: Annotated[
        Gold,
        typer.Option(
            "--gold", help="'story': any pool item of the same story counts; 'pair': only s2."
        ),
    ] = Gold.story,
) -> None:
    """Rank all s2 for every s1 and print recall@1, recall@5 and MRR."""
    from arabnews_nlp.related.evaluate import evaluate_pairs

    scores = evaluate_pairs(pairs, gold=gold.value)
    if as_json:
        typer.echo(json.dumps(scores, ensure_ascii=False))
        return
    typer.echo(
        f"{scores['n_queries']} queries, pool of {scores['pool_size']} ({gold.value} gold): "
        f"recall@1 {scores['recall@1']:.3f}  recall@5 {scores['recall@5']:.3f}  "
        f"MRR {scores['mrr']:.3f}"
    )
