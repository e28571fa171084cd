"""Word clusters, name lists and the unlabelled-corpus preparation behind the NER features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from arabnews_nlp.entities.clusters import ClusterTable, build_clusters, corpus_sentences
from arabnews_nlp.entities.features import FeatureExtractor
from arabnews_nlp.entities.lexicons import Lexicons


def test_cluster_table_round_trip(tmp_path: Path) -> None:
    table = ClusterTable({"دمشق": (5, 1, 0), "عمان": (5, 1, 0), "قال": (9, 2, 1)}, (16, 4, 2))
    table.save(tmp_path / "c.tsv.gz")
    loaded = ClusterTable.load(tmp_path / "c.tsv.gz")
    assert loaded.sizes == (16, 4, 2) and len(loaded) == 3
    assert loaded.lookup("عمان") == (5, 1, 0) and loaded.lookup("بيروت") is None


def test_build_clusters_nests_levels_and_drops_rare_words() -> None:
    gensim_models = pytest.importorskip("gensim.models")
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    # Four well-separated groups of ten words.
    centers = rng.normal(size=(4, 8)) * 10
    vectors = np.vstack([centers[i // 10] + rng.normal(size=8) * 0.1 for i in range(40)])
    kv = gensim_models.KeyedVectors(8)
    kv.add_vectors(words, vectors.astype(np.float32))
    for i, w in enumerate(words):
        kv.set_vecattr(w, "count", 1 if i == 0 else 10)
    table = build_clusters(kv, sizes=(8, 4, 2), min_count=5)
    assert len(table) == 39 and table.lookup("w0") is None
    fine_to_coarse: dict[int, set[int]] = {}
    for word in words[1:]:
        ids = table.lookup(word)
        assert ids is not None
        fine_to_coarse.setdefault(ids[0], set()).add(ids[1])
    # A fine cluster always sits inside exactly one coarse cluster.
    assert all(len(parents) == 1 for parents in fine_to_coarse.values())
    # Words of one group share their coarse id; the four groups get different ones.
    coarse = [table.lookup(f"w{g * 10 + 5}")[1] for g in range(4)]  # type: ignore[index]
    assert len(set(coarse)) == 4


def test_lexicons_round_trip_and_tags(tmp_path: Path) -> None:
    lex = Lexicons({"city": {"حلب", "حمص"}, "surname": {"الخوري"}})
    lex.save(tmp_path / "l.json.gz")
    loaded = Lexicons.load(tmp_path / "l.json.gz")
    assert loaded.tags("حمص") == ("city",) and loaded.tags("الخوري") == ("surname",)
    assert loaded.tags("مدرسة") == () and len(loaded) == 3


def test_corpus_sentences_normalize_and_split() -> None:
    text = "أعلنت الوزارةُ، اليوم، خطةً جديدة. وقال المتحدث: «نعم»\nسطر ثانٍ"
    assert list(corpus_sentences(text)) == [
        ["اعلنت", "الوزاره", "،", "اليوم", "،", "خطه", "جديده", "."],
        ["وقال", "المتحدث", ":", "«", "نعم", "»"],
        ["سطر", "ثان"],
    ]


def test_features_use_clusters_lists_and_stem_fallback() -> None:
    fx = FeatureExtractor(
        clusters=ClusterTable({"بوتين": (7, 3, 1)}, (16, 4, 2)),
        lexicons=Lexicons({"surname": {"بوتين"}}),
    )
    feats = fx.sentence_features(["التقى", "وبوتين", "امس"])
    # The unseen form "وبوتين" borrows the clusters of its stem and is marked as a stem match.
    assert {"c0=7", "c1=3", "c2=1", "lex=surname~", "stem=بوتين"} <= set(feats[1])
    assert {"-1:c0=7", "-1:lex=surname~"} <= set(feats[2])
    assert "+2:c2=1" not in feats[1] and "+1:c0=7" in feats[0]
    assert "c=none" in feats[0]


def _window_feats(fx: FeatureExtractor, sentences: list[list[str]]) -> list[list[list[str]]]:
    return [fx.sentence_features(s) for s in sentences]


def test_restricted_features_are_the_known_subset_in_order() -> None:
    sentences = [["قالت", "وزارة", "الدفاع", "الروسية", "إن", "بوتين", "وصل"], ["في"], []]
    table = ClusterTable({"بوتين": (7, 3, 1), "الدفاع": (2, 1, 0)}, (16, 4, 2))
    full = FeatureExtractor(table, Lexicons({"org_head": {"وزاره"}}), near_window=2)
    every = _window_feats(full, sentences)
    known = {"w=بوتين", "-1:w=بوتين", "lex=org_head", "-2:lex=org_head", "bi+=وزاره|الدفاع"}
    full.restrict_to(known)
    kept = _window_feats(full, sentences)
    assert kept == [[[f for f in tok if f in known] for tok in s] for s in every]
    assert "-2:lex=org_head" in kept[0][3] and "bi+=وزاره|الدفاع" in kept[0][1]
    full.restrict_to(None)
    assert _window_feats(full, sentences) == every


def test_organisation_lists_from_the_gazetteers(shared_dir: Path) -> None:
    from arabnews_nlp.entities.lexicons import build_lexicons

    lex = build_lexicons(shared_dir)
    # The ner profile folds ة→ه and أ→ا: list entries are stored folded.
    assert "org_head" in lex.tags("وزاره") and "nisba" in lex.tags("الروسيه")
    assert "nisba" in lex.tags("مصري") and "org_head" not in lex.tags("الدفاع")
    assert "org_head" not in build_lexicons(shared_dir, organisations=False).lists


def test_head_phrase_marks_the_tokens_after_an_organisation_head() -> None:
    lex = Lexicons({"org_head": {"وزاره", "حزب"}, "nisba": {"الروسيه"}})
    fx = FeatureExtractor(lexicons=lex, head_phrase=True)
    tokens = ["قالت", "بوزارة", "الدفاع", "الروسية", "إن", "،", "حزب", "الله", "قال"]
    heads = [[f for f in feats if f.startswith("h-")] for feats in fx.sentence_features(tokens)]
    assert heads[2] == ["h-1=def", "h-1=def|وزاره"]  # the head's clitic is stripped
    assert heads[3] == ["h-2=adj", "h-2=adj|وزاره"]
    assert heads[4] == ["h-3=other", "h-3=other|وزاره"]
    assert heads[6] == [] and heads[7] == ["h-1=def", "h-1=def|حزب"]  # the comma ended it
    assert heads[0] == heads[1] == []
    assert FeatureExtractor(lexicons=lex).config().get("head_phrase") is None


def test_shared_stemmer_keeps_names_whole_and_is_recorded() -> None:
    old, shared = FeatureExtractor(stemmer="crf"), FeatureExtractor()
    words = ["زار", "وبالقاهرة", "ثم", "لبنان", "وفرنسا"]
    stems = [
        {f for f in feats if f.startswith("stem=")} for feats in shared.sentence_features(words)
    ]
    # The segmenter knows "لبنان" and "فرنسا" start with a letter of the name, not a clitic,
    # and keeps the article of "القاهرة"; the letter stripper cuts all three.
    assert stems[1:] == [{"stem=القاهره"}, {"stem=ثم"}, {"stem=لبنان"}, {"stem=فرنسا"}]
    assert "stem=بنان" in old.sentence_features(words)[3]
    assert "clitic=و" in shared.sentence_features(words)[4]
    assert shared.config()["stemmer"] == "shared" and old.config()["stemmer"] == "crf"
    with pytest.raises(ValueError, match="stemmer"):
        FeatureExtractor(stemmer="light10")


def test_org_phrases_mark_known_names_and_score_the_same_in_the_emission_table(
    tmp_path: Path,
) -> None:
    from arabnews_nlp.entities.crf import MODEL_FILE, CRFTagger
    from arabnews_nlp.entities.data import Sentence

    names = {"الامم المتحده", "منظمه الصحه العالميه", "الكنيست"}
    lex = Lexicons({"org_name": names, "org_head": {"منظمه"}})
    fx = FeatureExtractor(lexicons=lex, org_phrases=True)
    tokens = ["قالت", "للأمم", "المتحدة", "و", "منظمة", "الصحة", "العالمية", "إن", "الكنيست"]
    marks = [[f for f in feats if f.startswith("gz=")] for feats in fx.sentence_features(tokens)]
    # The first word matches by its stem (للأمم), the others as written; one-word names
    # are a plain list feature.
    assert marks == [[], ["gz=B"], ["gz=I"], [], ["gz=B"], ["gz=I"], ["gz=I"], [], []]
    assert "lex=org_name" in fx.sentence_features(tokens)[8]
    assert fx.config()["org_phrases"] is True
    assert "org_phrases" not in FeatureExtractor(lexicons=lex).config()
    assert not any(
        f.startswith("gz=")
        for t in FeatureExtractor(lexicons=lex).sentence_features(tokens)
        for f in t
    )
    # A tiny model: the emission table (the decoder's path) gives the state scores of the
    # feature strings.
    train = [
        Sentence(["قالت", "الأمم", "المتحدة", "إن"], ["O", "B-ORG", "I-ORG", "O"]),
        Sentence(["زار", "منظمة", "الصحة", "العالمية"], ["O", "B-ORG", "I-ORG", "I-ORG"]),
        Sentence(["قال", "سمير", "إن", "الصحة"], ["O", "B-PER", "O", "O"]),
    ]
    tagger = CRFTagger(fx, c1=0.0, max_iterations=30).fit(train, tmp_path / MODEL_FILE)
    tagger.save_tables(tmp_path)
    loaded = CRFTagger.from_directory(tmp_path).open(tmp_path / MODEL_FILE)
    assert loaded.extractor.org_phrases
    sentences = [tokens, ["الصحة", "العالمية", "للأمم"], ["في"]]
    w = loaded.weights_
    for got, sentence in zip(loaded.emissions_.emissions(sentences), sentences, strict=True):
        feats = loaded.extractor.sentence_features(sentence)
        want = np.array([w.state[[w.attribute_ids[f] for f in tok]].sum(0) for tok in feats])
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_the_organisation_list_enters_the_name_lists_as_words_or_whole_names(
    shared_dir: Path,
) -> None:
    from arabnews_nlp.entities.lexicons import build_lexicons
    from arabnews_nlp.entities.phrases import known_organisation_names

    names = known_organisation_names()
    assert len(names) > 1000 and "الامم المتحده" in names and "الكنيست" in names
    phrase = build_lexicons(shared_dir, org_names="phrase").lists
    assert "الامم المتحده" in phrase["org_name"] and "الكنيست" not in phrase["org"]
    both = build_lexicons(shared_dir, org_names="both").lists
    assert "الكنيست" in both["org"] and "المتحده" in both["org_part"] and "org_name" in both
    assert "org_name" not in build_lexicons(shared_dir).lists
    with pytest.raises(ValueError, match="org_names"):
        build_lexicons(shared_dir, org_names="all")
