"""Record the shipped entity pipelines' output on real text, or compare it with a record.

A speed change to the taggers must not change what they find: this writes, for each pipeline
of ``--models`` and each text set, every entity as ``[start char, end char, label, score]``
(``span._.score``, 6 decimals), one JSON line per document, and with ``--compare`` reports the
documents whose entities differ from an earlier record (exit status 1 when any does).

Text sets: the package's sample corpus (title and body of each article), the release-check
sentences (``tests/fixtures/ner/release.txt``), the ANERcorp dev split (the last 10 % of
``../shared/data/ner/anercorp-train.txt``, tokens joined by spaces) and, with ``--ant N``, the
first N articles of the ANT corpus. The last two need ``../shared``; the text never leaves the
process, only offsets and labels are written (keep the record outside the repository).

Usage:
    python scripts/ner/output_check.py --out /tmp/ner-before.jsonl --ant 1000
    python scripts/ner/output_check.py --out /tmp/ner-after.jsonl --ant 1000 \
        --compare /tmp/ner-before.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANT = Path("data") / "news" / "ant-v2.1-four-outlets.tar.xz"


def text_sets(shared: Path, ant: int) -> Iterator[tuple[str, list[str]]]:
    """``(name, texts)`` of every text set that is available."""
    from arabnews_nlp.entities.data import read_anercorp, read_conll, split_dev

    sample = ROOT / "src" / "arabnews_nlp" / "data" / "sample_articles.jsonl"
    with sample.open(encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    yield "sample", [f"{a.get('title', '')}\n\n{a.get('body', '')}" for a in articles]
    release = read_conll(ROOT / "tests" / "fixtures" / "ner" / "release.txt")
    yield "release", [" ".join(s.tokens) for s in release]
    train = shared / "data" / "ner" / "anercorp-train.txt"
    if train.exists():
        yield "anercorp-dev", [" ".join(s.tokens) for s in split_dev(read_anercorp(train))[1]]
    if ant and (shared / ANT).exists():
        from itertools import islice

        from arabnews_nlp.corpus import read_articles

        yield "ant", [f"{a.title}\n\n{a.body}" for a in islice(read_articles(shared / ANT), ant)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--models", default="crf,neural,ensemble")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--ant", type=int, default=0, help="also the first N ANT articles")
    args = parser.parse_args()

    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    from arabnews_nlp.entities.model import load_ner

    records: dict[tuple[str, str, int], list[list[object]]] = {}
    sets = list(text_sets(args.shared, args.ant))
    with args.out.open("w", encoding="utf-8") as out, threadpool_limits(1):
        for model in args.models.split(","):
            nlp = load_ner(model)
            for name, texts in sets:
                cpu = time.process_time()
                for k, doc in enumerate(nlp.pipe(texts)):
                    ents = [[e.start_char, e.end_char, e.label_, e._.score] for e in doc.ents]
                    records[model, name, k] = ents
                    row = {"model": model, "set": name, "doc": k, "ents": ents}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                cpu = time.process_time() - cpu
                n = sum(len(v) for (m, s, _), v in records.items() if (m, s) == (model, name))
                print(
                    f"{model:9s} {name:13s} {len(texts):5d} docs {n:6d} entities {cpu:6.1f} CPU-s"
                )
    if args.compare is None:
        return
    before: dict[tuple[str, str, int], list[list[object]]] = {}
    with args.compare.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            before[row["model"], row["set"], row["doc"]] = row["ents"]
    shared_keys = sorted(set(before) & set(records))
    differ = [key for key in shared_keys if before[key] != records[key]]
    for key in differ[:20]:
        print("DIFFERS", key, "before", before[key], "now", records[key])
    print(f"compared {len(shared_keys)} documents: {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
