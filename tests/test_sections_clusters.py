"""Word-cluster features of the section classifier: lookup, learning, persistence, checks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.sections import ModelFormatError, SectionClassifier
from arabnews_nlp.sections.clusters import (
    NER_TABLE,
    ClusterLookup,
    load_cluster_lookup,
    resolve_table,
    table_digest,
    table_reference,
)

# Our own sentences. The sports training items say "الهداف" and "الملعب"; the test item says
# only "المهاجم" and "المدرجات", words no training item has: only their clusters link them.
TRAIN = {
    "sports": [
        "الهداف يقود الفريق في الملعب",
        "جماهير الملعب تحيي الهداف",
        "الهداف يعود إلى الملعب بعد الإصابة",
    ],
    "economy": [
        "البورصة تربح والأسهم تصعد",
        "الأسهم تتراجع في البورصة",
        "تداولات البورصة ترفع قيمة الأسهم",
    ],
}
DOCS = [text for texts in TRAIN.values() for text in texts]
LABELS = [label for label, texts in TRAIN.items() for _ in texts]
UNSEEN = "المهاجم يحتفل مع المدرجات"

# Search-normalized words (ة→ه, ى→ي) as the NER table stores them, most frequent first.
WORDS = {
    "الهداف": (1, 0),
    "المهاجم": (1, 0),
    "الملعب": (2, 0),
    "المدرجات": (2, 0),
    "البورصه": (3, 1),
    "الاسهم": (4, 1),
}


@pytest.fixture()
def table_path(tmp_path: Path) -> Path:
    path = tmp_path / "clusters.tsv.gz"
    ClusterTable(dict(WORDS), sizes=(8, 2)).save(path)
    return path


def fit(table: Path | None, weight: float = 1.0) -> SectionClassifier:
    return SectionClassifier(
        min_df=1,
        C=1.0,
        calibrate=False,
        clusters=None if table is None else str(table),
        cluster_levels=(8,),
        cluster_weight=weight,
    ).fit(DOCS, LABELS)


def test_lookup_rekeys_with_the_search_profile_first_spelling_wins() -> None:
    table = ClusterTable({"المباراة": (7, 2), "المباراه": (9, 3), "Goal": (1, 0)}, (16, 4))
    both = ClusterLookup(table, levels=(16, 4))
    # "المباراة" and "المباراه" fold to one search key; the first (more frequent) one wins.
    assert both(["المباراه", "goal", "مجهول"]) == ["c16:7", "c4:2", "c16:1", "c4:0"]
    assert ClusterLookup(table, levels=(4,))(["المباراه"]) == ["c4:2"]
    with pytest.raises(ValueError, match="levels"):
        ClusterLookup(table, levels=(1024,))


def test_clusters_carry_the_model_to_unseen_words(table_path: Path) -> None:
    assert fit(None)._features([UNSEEN]).nnz == 0  # no known term: only intercepts decide
    model = fit(table_path)
    assert model.predict([UNSEEN]).tolist() == ["sports"]
    assert model.cluster_vocabulary_ == sorted(model.cluster_vocabulary_)
    assert set(model.cluster_vocabulary_) == {"c8:1", "c8:2", "c8:3", "c8:4"}
    assert model.coef_.shape == (2, len(model.vocabulary_) + 4)
    # Explanations name words, never cluster ids.
    assert all(not t.stem.startswith("c8:") for t in model.explain(UNSEEN, k=20))


def test_save_load_reads_the_table_and_pins_its_checksum(table_path: Path, tmp_path: Path) -> None:
    model = fit(table_path)
    out = tmp_path / "model"
    model.save(out)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["cluster_table"] == {
        "file": str(table_path.resolve()),
        "sha256": table_digest(table_path),
        "n_terms": 4,
    }
    assert config["params"]["clusters"] == str(table_path)
    loaded = SectionClassifier.load(out)
    docs = [UNSEEN, *DOCS]
    expected = model.decision_function(docs)
    np.testing.assert_allclose(loaded.decision_function(docs), expected)
    assert loaded.vocabulary_ == model.vocabulary_

    # The same table written again (new gzip header and compression level) still fits.
    text = gzip.decompress(table_path.read_bytes())
    table_path.write_bytes(gzip.compress(text, compresslevel=1, mtime=1))
    np.testing.assert_allclose(SectionClassifier.load(out).decision_function(docs), expected)

    ClusterTable({**WORDS, "جديد": (6, 1)}, sizes=(8, 2)).save(table_path)  # a different table
    with pytest.raises(ModelFormatError, match="retrain"):
        SectionClassifier.load(out)
    table_path.unlink()
    with pytest.raises(ModelFormatError, match="not found"):
        SectionClassifier.load(out)


def test_load_refuses_a_cluster_model_without_its_table_entry(
    table_path: Path, tmp_path: Path
) -> None:
    from arabnews_nlp.sections.persist import read_model_dir, write_model_dir

    out = tmp_path / "model"
    fit(table_path).save(out)
    config, vocabulary, arrays = read_model_dir(out)
    del config["cluster_table"], config["sha256"]
    write_model_dir(out, config, vocabulary, arrays)
    with pytest.raises(ModelFormatError, match="cluster_table"):
        SectionClassifier.load(out)


def test_the_ner_table_is_referenced_not_copied() -> None:
    path = resolve_table("ner")
    assert path.is_file() and table_reference("ner") == NER_TABLE
    lookup, digest = load_cluster_lookup("ner", (1024, 256, 64))
    assert digest == table_digest(path)
    # A frequent word has an id at each of the three levels, all different terms.
    terms = lookup(["المهاجم"])
    assert [t.split(":")[0] for t in terms] == ["c1024", "c256", "c64"]


def test_prediction_fast_path_matches_the_cluster_terms(table_path: Path) -> None:
    """Prediction maps words straight to columns; the result must equal the string route."""
    import scipy.sparse as sp

    model = fit(table_path, weight=0.7)
    docs = [UNSEEN, *DOCS, "الهداف والمهاجم في الملعب والمدرجات"]
    analyzer = model._analyzer()
    words = [analyzer.words(d) for d in docs]
    stems = model._space.transform(map(analyzer.stems, words))
    clusters = model._cluster_space.transform(map(model._lookup, words)) * 0.7
    expected = sp.hstack([stems, clusters]) @ model.coef_.T + model.intercept_
    np.testing.assert_allclose(model.decision_function(docs), expected, rtol=1e-5, atol=1e-6)
