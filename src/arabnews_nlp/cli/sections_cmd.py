"""`arabnews classify`, `arabnews train sections` and `arabnews evaluate sections`.

Example:
    $ arabnews classify news.jsonl > sections.jsonl
    {"id": "a-1", "section": "sports", "display_name": "رياضة", "score": 0.97}
    $ arabnews train sections labelled.jsonl --label-field section -o my-model
    $ arabnews classify news.jsonl --model my-model --explain 5
    $ arabnews evaluate sections ant-v2.1-four-outlets.tar.xz --json
    {"n": 26223, "accuracy": 0.95, "macro_f1": 0.93, "per_class": {...}, ...}
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from arabnews_nlp.article import Article
from arabnews_nlp.cli.app import app, evaluate_app, train_app
from arabnews_nlp.cli.choices import InputFormat, value
from arabnews_nlp.cli.common import (
    EncodingOpt,
    FollowSymlinksOpt,
    fatal_errors,
    finish,
    read_corpus,
)
from arabnews_nlp.sections.defaults import DEFAULT_C, DEFAULT_MIN_DF, DEFAULT_TEST_SIZE

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.corpus import ReadReport
    from arabnews_nlp.sections import SectionClassifier

_BATCH = 512

CorpusArg = Annotated[
    str | None,
    typer.Argument(help="Articles file/glob/folder/archive (any corpus format); '-' = stdin."),
]
FormatOpt = Annotated[
    InputFormat | None, typer.Option("--format", "-f", help="CORPUS format; sniffed if unset.")
]
ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", "-m", help="Model directory (default: the shipped model)."),
]
LabelOpt = Annotated[
    str,
    typer.Option("--label-field", help="Article field (or meta key) holding the label."),
]


def _read(
    corpus: str | None,
    fmt: InputFormat | None,
    report: ReadReport | None = None,
    encoding: str | None = None,
    follow_symlinks: bool = False,
) -> list[Article]:
    from arabnews_nlp.corpus import ReadReport

    if corpus is None:
        if sys.stdin.isatty():
            raise typer.BadParameter("give a CORPUS, or '-' to read JSON Lines from stdin")
        corpus = "-"
    report = report if report is not None else ReadReport()
    return list(
        read_corpus(corpus, value(fmt), report, encoding=encoding, follow_symlinks=follow_symlinks)
    )


def _model(path: Path | None) -> SectionClassifier:
    from arabnews_nlp.sections import ModelFormatError, load_section_model

    try:
        return load_section_model(path)
    except ModelFormatError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model") from None


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    from arabnews_nlp.files import atomic_file

    with atomic_file(path) as fh:
        yield fh


def _labelled(
    articles: list[Article], field: str, classes: list[str] | None
) -> tuple[list[Article], list[str], int]:
    """Articles with a usable label; labels outside ``classes`` go through the taxonomy map."""
    from arabnews_nlp.sections import map_label
    from arabnews_nlp.sections.features import article_label

    keep, labels = [], []
    for article in articles:
        raw = article_label(article, field)
        label = raw if classes is None or raw in classes else map_label(raw)
        if label is not None and (classes is None or label in classes):
            keep.append(article)
            labels.append(label)
    return keep, labels, len(articles) - len(keep)


@app.command("classify")
def classify_command(
    corpus: CorpusArg = None,
    model: ModelOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSON Lines file (default: stdout).")
    ] = None,
    fmt: FormatOpt = None,
    explain: Annotated[
        int, typer.Option("--explain", help="Add the N terms that drove each decision.")
    ] = 0,
    all_scores: Annotated[
        bool, typer.Option("--all-scores", help="Add the probability of every section.")
    ] = False,
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Predict the section of every article: one JSON line (id, section, display name, score).

    Exit status: 0 all records classified; 1 some input records were rejected (listed on
    stderr), or the input is missing or empty; 2 usage error.
    """
    from arabnews_nlp.corpus import ReadReport
    from arabnews_nlp.sections import display_name

    clf = _model(model)
    read_report = ReadReport()
    articles = _read(corpus, fmt, read_report, encoding, follow_symlinks)
    classes = [str(c) for c in clf.classes_]
    with fatal_errors(), _output(output) as out:
        for start in range(0, len(articles), _BATCH):
            batch = articles[start : start + _BATCH]
            for article, probs in zip(batch, clf.predict_proba(batch), strict=True):
                best = int(probs.argmax())
                record: dict[str, Any] = {
                    "id": article.id,
                    "section": classes[best],
                    "display_name": display_name(classes[best]),
                    "score": round(float(probs[best]), 4),
                }
                if all_scores:
                    record["scores"] = {
                        c: round(float(p), 4) for c, p in zip(classes, probs, strict=True)
                    }
                if explain > 0:
                    record["terms"] = [
                        {"term": t.term, "weight": round(t.weight, 4)}
                        for t in clf.explain(article, k=explain)
                    ]
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if output is not None:
        typer.echo(f"{len(articles)} articles classified -> {output}", err=True)
    finish(read_report.bad)


def _print_report(report: dict[str, Any]) -> None:
    typer.echo(
        f"n={report['n']}  accuracy={report['accuracy']:.4f}  macro-F1={report['macro_f1']:.4f}"
    )
    typer.echo(f"{'section':14s} {'precision':>9s} {'recall':>7s} {'f1':>7s} {'support':>8s}")
    for name, row in report["per_class"].items():
        typer.echo(
            f"{name:14s} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:7.3f} "
            f"{row['support']:8d}"
        )


@evaluate_app.command("sections")
def evaluate_sections_command(
    corpus: CorpusArg = None,
    label_field: LabelOpt = "section",
    model: ModelOpt = None,
    fmt: FormatOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Score a section model on a labelled corpus (labels mapped to the model's sections).

    A label the model does not predict is mapped through the taxonomy (ANT's ``middleEast``
    and ``internationalNews`` are ``politics``, ``sport`` is ``sports``...); articles whose
    label maps to nothing are skipped and counted.
    """
    from arabnews_nlp.sections.evaluate import scores

    clf = _model(model)
    articles, labels, skipped = _labelled(
        _read(corpus, fmt), label_field, [str(c) for c in clf.classes_]
    )
    if not articles:
        raise typer.BadParameter(
            f"no article has a usable {label_field!r} label", param_hint="CORPUS"
        )
    predicted = [str(p) for p in clf.predict(articles)]
    report = {**scores(labels, predicted), "skipped_unlabelled": skipped}
    report["model"] = str(model) if model is not None else "shipped"
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        _print_report(report)
        if skipped:
            typer.echo(f"{skipped} articles without a usable label skipped")


@train_app.command("sections")
def train_sections_command(
    corpus: CorpusArg = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Model directory to write.")
    ] = Path("sections-model"),
    label_field: LabelOpt = "section",
    group_field: Annotated[
        str | None,
        typer.Option("--group-field", help="Hold out whole groups (e.g. source) for the report."),
    ] = None,
    taxonomy: Annotated[
        bool, typer.Option("--taxonomy", help="Map labels to the five shipped sections first.")
    ] = False,
    test_size: Annotated[
        float, typer.Option(help="Share held out for the report.")
    ] = DEFAULT_TEST_SIZE,
    c: Annotated[float, typer.Option("-C", help="SVM regularization (inverse).")] = DEFAULT_C,
    min_df: Annotated[int, typer.Option("--min-df", help="Drop rarer terms.")] = DEFAULT_MIN_DF,
    seed: Annotated[int, typer.Option(help="Random seed of the split.")] = 0,
    clusters: Annotated[
        bool,
        typer.Option(
            "--clusters/--no-clusters",
            help="Add word-cluster features from the NER model's table (as the shipped model).",
        ),
    ] = True,
    fmt: FormatOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Train a section model on any labelled corpus, report on a held-out part, save it.

    Duplicate bodies are removed first. The held-out part is a stratified random split, or,
    with ``--group-field``, whole groups (the report then says how the model does on sources
    it never saw). The saved model is then trained on everything.
    """
    from arabnews_nlp.sections import SectionClassifier
    from arabnews_nlp.sections.features import article_label
    from arabnews_nlp.sections.train import train_sections

    raw = _read(corpus, fmt)
    articles, labels, skipped = _labelled(raw, label_field, None)
    groups = [article_label(a, group_field) or "" for a in articles] if group_field else None

    def make(calibrate: bool) -> SectionClassifier:
        return SectionClassifier(
            C=c,
            min_df=min_df,
            calibrate=calibrate,
            random_state=seed,
            clusters="ner" if clusters else None,
        )

    try:
        trained = train_sections(
            articles,
            labels,
            make,
            taxonomy=taxonomy,
            holdout="groups" if groups else "split",
            groups=groups,
            test_size=test_size,
            seed=seed,
        )
    except ValueError as exc:
        if not str(exc).startswith("need at least two"):
            raise
        raise typer.BadParameter(
            f"need at least two {label_field!r} values", param_hint="CORPUS"
        ) from None
    report = trained.report
    report["skipped_unlabelled"] += skipped
    report["split"] = "groups" if groups else "stratified"
    trained.model.save(output)
    report["model"] = str(output)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        n_train = report["n_train"]
        typer.echo(f"held-out report ({report['split']} split, {n_train} train articles):")
        _print_report(report)
        typer.echo(f"model trained on {report['n_articles']} articles saved to {output}")
