"""Fuzzing the readers: random bytes, random nesting and random CSV quoting.

Whatever the input, no exception escapes ``read_articles`` and every input record ends up
either as an article or as a reported error. Example counts are small so the whole file
runs in a few seconds.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arabnews_nlp.corpus import read_articles

FUZZ = settings(
    # A few seconds by default; FUZZ_EXAMPLES=2000 for a longer hunt.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    derandomize=True,  # the same examples on every run: a failure is never a fluke
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORDS = ["خبر", "عاجل", "المدينة", "الوزير", "مباراة", "الأسعار", "،", '"', ",", "\n", "{", "["]
EXTENSIONS = ["", ".jsonl", ".json", ".csv", ".tsv", ".txt", ".html", ".dat"]


def read_all(path: Path):
    reader = read_articles(path)
    return list(reader), reader.report


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_escape(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    articles, report = read_all(path)
    assert report.read == len(articles)
    # Something is always said about a file that gave no article.
    assert articles or report.bad or report.files == 1


def nested(depth: int, leaf: object) -> object:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


record = st.one_of(
    # a good record; its number makes the id unique
    st.just("good"),
    # random nesting, sometimes far beyond what any decoder recurses through
    st.tuples(st.just("deep"), st.sampled_from([5, 90, 120, 2_000, 30_000])),
    st.just("duplicate"),
    st.just("badbytes"),
    st.just("notobject"),
)


def encode(kind: object, n: int) -> bytes:
    good = {"id": f"r{n}", "title": f"عنوان {n}", "body": f"نص الخبر رقم {n}."}
    if kind == "good":
        return json.dumps(good, ensure_ascii=False).encode()
    if kind == "duplicate":
        return b'{"id": "x", "title": "t", "body": "b", "id": "y"}'
    if kind == "badbytes":
        return b'{"title": "\xd8\xff\xfe", "body": "b"}'
    if kind == "notobject":
        return b"[1, 2]"
    _, depth = kind  # type: ignore[misc]
    doc = {**good, "meta": {"x": "__DEEP__"}}
    deep_json = json.dumps(nested(min(depth, 50), "leaf"))
    if depth > 50:  # json.dumps itself recurses: build the deep text directly
        deep_json = "[" * depth + "]" * depth
    return json.dumps(doc, ensure_ascii=False).replace('"__DEEP__"', deep_json).encode()


@FUZZ
@given(kinds=st.lists(record, min_size=1, max_size=12), as_array=st.booleans())
def test_random_nesting_every_record_accounted(tmp_path_factory, kinds, as_array):
    parts = [encode(kind, n) for n, kind in enumerate(kinds)]
    data = b"[" + b",\n".join(parts) + b"]" if as_array else b"\n".join(parts)
    path = tmp_path_factory.mktemp("fuzz") / ("in.json" if as_array else "in.jsonl")
    path.write_bytes(data)
    articles, report = read_all(path)
    assert report.read + report.bad == len(kinds)
    kept = [k for k in kinds if k == "good" or (isinstance(k, tuple) and k[1] <= 90)]
    assert len(articles) == len(kept)
    assert all(e.record is not None for e in report.errors)


cell = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)


@FUZZ
@given(rows=st.lists(st.tuples(cell, cell), min_size=1, max_size=15))
def test_random_csv_quoting(tmp_path_factory, rows):
    text, starts = "title,body\n", []
    for n, (title, body) in enumerate(rows):
        starts.append(text.count("\n") + 1)  # cells may hold raw newlines
        text += f"T{n}X {title},{body}\n"
    path = tmp_path_factory.mktemp("fuzz") / "in.csv"
    path.write_text(text, encoding="utf-8")
    articles, report = read_all(path)
    assert report.read == len(articles) <= text.count("\n") - 1  # at most one per data line
    # Every row is in an article (alone, or inside a quoted multi-line cell), or at or
    # after a reported record: nothing vanishes silently.
    seen = {tok for a in articles for tok in (a.title + " " + a.body).split()}
    errors = [e.record for e in report.errors if e.record is not None]
    for n, line in enumerate(starts):
        assert f"T{n}X" in seen or any(s <= line for s in errors), f"row on line {line} lost"
