"""CRF features: what the entity tagger sees of each token and its window.

The normalized word, its clitic-stripped stem, affixes, shape, name-list membership
(:mod:`.lexicons`), word-cluster ids learned from unlabelled news (:mod:`.clusters`), the same for
a ±2-token window, word and cluster bigrams and (optionally) organisation head phrases and known
organisation names (:mod:`.phrases`). All but the bigrams and phrases depend on the word type
alone and are cached per surface form.

Example:
    >>> fx = FeatureExtractor()
    >>> feats = fx.sentence_features(["زار", "ماكرون", "بيروت"])
    >>> "w=ماكرون" in feats[1], "-1:w=زار" in feats[1], "+1:w=بيروت" in feats[1]
    (True, True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, NamedTuple

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.entities.phrases import PhraseMatcher
from arabnews_nlp.normalize import normalize
from arabnews_nlp.tokenize import strip_proclitics

__all__ = ["WORD_TYPES_KEPT", "FeatureExtractor", "TokenFeatures"]

# Proclitic clusters that attach to names in news text (و+ب+ال...), longest first. A stem must
# keep at least three letters ("بمصر" → "مصر", but "ولي" stays whole).
_PROCLITICS: tuple[str, ...] = ("وبال", "وكال", "وال", "بال", "فال", "كال", "ولل", "لل", "ال")
_PROCLITICS += ("و", "ف", "ب", "ل", "ك")
_PUNCT = ".,،؛;:!?؟\"'«»()[]{}-–—/\\*•·…"
#: Word types whose features a worker keeps before its caches start afresh. Memory, not
#: speed, sets it: a type costs about 2 KB here and in the emission table, and a corpus run
#: meets hundreds of thousands (300,000 kept grew each stage-1 worker by ~0.5 GB on ANT),
#: while the frequent types that make the caches pay are back within a chunk.
WORD_TYPES_KEPT = 50_000


def _crf_stem(word: str) -> str:
    """The CRF's stem feature: the word without its leading conjunction/preposition/article
    (normalized input).

    It over-strips names ("لبنان" → "بنان"); models trained since use :func:`_shared_stem`.
    This one stays so that CRF models saved before can still be loaded and give the same tags.

    >>> _crf_stem("وبالقاهره"), _crf_stem("فبغداد"), _crf_stem("ولي")
    ('قاهره', 'بغداد', 'ولي')
    """
    for prefix in _PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def _shared_stem(word: str) -> str:
    """The library's clitic segmenter's stem, article dropped unless lexical (normalized input).

    >>> _shared_stem("وبالقاهره"), _shared_stem("لبنان"), _shared_stem("الولايات")
    ('القاهره', 'لبنان', 'ولايات')
    """
    return strip_proclitics(word, keep_article=False) or word


#: The ways of making the ``stem=`` feature, by the name ``features.json`` records.
STEMMERS: dict[str, Callable[[str], str]] = {"crf": _crf_stem, "shared": _shared_stem}


def _shape(word: str) -> str:
    if word.isdigit():
        return "digit"
    if not word.strip(_PUNCT):  # every character is punctuation
        return "punct"
    if word.isascii():
        return "latin-cap" if word[:1].isupper() else "latin"
    # An all-letter word has no digit: skip the per-character scan for nearly every word.
    if not word.isalpha() and any(ch.isdigit() for ch in word):
        return "mixed"
    return "arabic"


def _kind(norm: str, stem: str, lexicon: list[str]) -> str:
    """The role of a word in an organisation head phrase (see ``head_phrase``); a head noun is
    ``head:`` + its listed form ("بوزارة" → ``head:وزاره``)."""
    if "lex=org_head" in lexicon:
        return "head:" + norm
    if "lex=org_head~" in lexicon:
        return "head:" + stem
    # Nationality and other nisba adjectives ("الروسية", "المائية") close a head phrase.
    if "lex=nisba" in lexicon or (norm.startswith("ال") and norm.endswith(("ي", "يه"))):
        return "adj"
    if norm.startswith("ال"):
        return "def"
    return "punct" if not norm.strip(_PUNCT) else "other"


class TokenFeatures(NamedTuple):
    """What one word type contributes to the features of a sentence."""

    own: list[str]  # the token's own features (with "bias")
    given: tuple[tuple[str, ...], ...]  # per window offset: the features it gives that neighbour
    norm: str  # normalized form
    cluster: str  # middle-level cluster id ("-" when unknown), for cluster bigrams
    kind: str  # for head phrases: "head:<noun>", "adj", "def", "punct" or "other"
    start: str | None = None  # with org_phrases: the stem, if the word opens a known name

    @property
    def is_head(self) -> bool:
        """An organisation head noun ("وزارة", "حزب" ...), which opens a head phrase."""
        return self.kind.startswith("head:")


_PREFIX_NAMES = tuple((k, f"p{k}=") for k in (1, 2, 3, 4))
_SUFFIX_NAMES = tuple((k, f"s{k}=") for k in (1, 2, 3, 4))


class FeatureExtractor:
    """Turns a token list into one feature-string list per token.

    Every feature but the bigrams depends on the word type alone, so each surface form's own
    features, and the ones it gives each neighbour (already prefixed with the offset), are built
    once and cached; tagging a sentence then only concatenates cached lists.

    Args:
        clusters: word-cluster table (optional).
        lexicons: name lists (optional).
        window: how many neighbours on each side contribute features.
        near_window: neighbours this close give their full set (word, shape, lists, all
            cluster levels); farther ones give only the word and the coarsest cluster.
        cluster_bigrams: add the pairs of middle-level cluster ids of adjacent tokens.
        head_phrase: mark the three tokens after an organisation head noun (lexicon list
            ``org_head``: "وزارة", "حزب" ...) with their distance to it and their kind
            (definite noun, nisba adjective, other), alone and with the head noun:
            ``h-2=adj`` and ``h-2=adj|وزاره`` on "الروسية" in "وزارة الدفاع الروسية".
            Punctuation ends the phrase.
        stemmer: how the ``stem=`` feature is made: ``"shared"``, the library's clitic
            segmenter (:func:`arabnews_nlp.tokenize.strip_proclitics` without a non-lexical
            article: "لبنان" stays whole), or ``"crf"``, the letter stripper of the models
            trained before it, kept only to load them (their ``features.json`` names none).
        org_phrases: mark the known organisation names (multi-word entries of the lexicon
            list ``org_name``) found in a sentence, ``gz=B``/``gz=I`` (see :mod:`.phrases`).
    """

    def __init__(
        self,
        clusters: ClusterTable | None = None,
        lexicons: Lexicons | None = None,
        window: int = 2,
        near_window: int = 1,
        cluster_bigrams: bool = False,
        head_phrase: bool = False,
        stemmer: str = "shared",
        *,
        org_phrases: bool = False,
    ) -> None:
        if stemmer not in STEMMERS:
            raise ValueError(f"stemmer must be one of {sorted(STEMMERS)}, not {stemmer!r}")
        self.clusters = clusters
        self.stemmer = stemmer
        self._stem = STEMMERS[stemmer]
        self.lexicons = lexicons
        self.window = window
        self.head_phrase = head_phrase
        self.near_window = near_window
        self.cluster_bigrams = cluster_bigrams
        self.org_phrases = org_phrases
        names = lexicons.lists.get("org_name", ()) if lexicons is not None else ()
        self._phrases = PhraseMatcher(names, self._stem) if org_phrases else None
        self._cache: dict[str, TokenFeatures] = {}
        self._known: frozenset[str] | None = None
        self._near_slots: dict[str, list[tuple[int, str]]] = {}
        self._far_slots: dict[str, list[tuple[int, str]]] = {}
        self._pairs: dict[str, tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]] = {}
        self._offsets = [o for o in range(-window, window + 1) if o]
        self._prefixes = [f"{o:+d}:" for o in self._offsets]
        self._is_near = [abs(o) <= near_window for o in self._offsets]
        self._edge = self._make_edge()

    def restrict_to(self, attributes: Collection[str] | None) -> None:
        """Emit only the features in ``attributes`` (``None``: all of them).

        A trained model only knows the attributes it kept (a quarter of those a sentence yields,
        with L1 regularization); crfsuite ignores the others, so dropping them once per word type
        gives the same tags while the model does less work per token.
        """
        self._known = frozenset(attributes) if attributes is not None else None
        # Base feature → the window slots where the model knows it, with the full attribute
        # ("w=بيروت" → [(slot of -1, "-1:w=بيروت")]), separately for the near and far slots (which
        # take different base features): a word type's neighbour features cost one probe per
        # base feature and no string building.
        self._near_slots = {}
        self._far_slots = {}
        slot_of = {prefix: k for k, prefix in enumerate(self._prefixes)}
        for attribute in sorted(self._known or ()):
            if attribute[:1] in "+-":
                head, _, base = attribute.partition(":")
                k = slot_of.get(head + ":")
                if k is not None:
                    table = self._near_slots if self._is_near[k] else self._far_slots
                    table.setdefault(base, []).append((k, attribute))
        # "bi-=a|b" → {("a", "b"): "bi-=a|b"}, with every split at a "|", for the pair features.
        self._pairs = {kind: ({}, {}) for kind in ("bi", "cb")}
        for attribute in self._known or ():
            kind, sign, rest = attribute[:2], attribute[2:4], attribute[4:]
            if kind in self._pairs and sign in ("-=", "+="):
                pairs = self._pairs[kind][sign == "+="]
                for j, ch in enumerate(rest):
                    if ch == "|":
                        pairs[rest[:j], rest[j + 1 :]] = attribute
        self._cache.clear()
        self._edge = self._make_edge()

    def _make_edge(self) -> TokenFeatures:
        # The sentence is padded with this pseudo-token on both sides: what it gives a neighbour
        # is the "edge" feature, so the window loop needs no bounds checks.
        edges = tuple(tuple(self._keep([p + "edge"])) for p in self._prefixes)
        return TokenFeatures([], edges, "", "", "punct")

    def _keep(self, features: list[str]) -> list[str]:
        known = self._known
        return features if known is None else [f for f in features if f in known]

    def _lookup_clusters(self, norm: str, stem: str) -> tuple[int, ...] | None:
        if self.clusters is None:
            return None
        found = self.clusters.lookup(norm)
        # An unseen inflected form ("وبوتين") borrows the clusters of its stem ("بوتين").
        return found if found is not None else self.clusters.lookup(stem)

    def _lexicon_features(self, norm: str, stem: str) -> list[str]:
        if self.lexicons is None:
            return []
        exact, of_stem = self.lexicons.tags(norm), self.lexicons.tags(stem)
        if not (exact or of_stem):  # most words: skip building the sets
            return []
        return ["lex=" + t for t in sorted({*exact, *(t + "~" for t in of_stem)})]

    def _given(self, near: list[str], far: list[str]) -> tuple[tuple[str, ...], ...]:
        """Per window slot, the prefixed features a word gives the neighbour at that offset."""
        is_near = self._is_near
        if self._known is None:
            return tuple(
                tuple(prefix + f for f in (near if close else far))
                for prefix, close in zip(self._prefixes, is_near, strict=True)
            )
        # Same strings in the same order as filtering the full lists, without building the
        # (mostly unknown) prefixed strings first.
        slots: list[list[str]] = [[] for _ in self._offsets]
        for features, table in ((near, self._near_slots), (far, self._far_slots)):
            for f in features:
                for k, attribute in table.get(f, ()):
                    slots[k].append(attribute)
        # Rare words give nothing: the shared empty tuple saves the allocations.
        return tuple(tuple(slot) if slot else () for slot in slots)

    def token_features(self, token: str, *, cache: bool = True) -> TokenFeatures:
        """The features of one surface form (its own, and those it gives neighbours).

        With ``cache`` (the default) they are kept for the next time the form comes; a caller
        with a cache of its own (:class:`~arabnews_nlp.entities.emissions.EmissionTable`, which
        keeps summed weights instead of strings) passes ``cache=False`` so that a type's
        strings are not held twice.
        """
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        norm = normalize(token, profile="ner") or token
        stem = self._stem(norm)
        word, shape = "w=" + norm, "shape=" + _shape(norm)
        n = len(norm)
        own = ["bias", word, "stem=" + stem, shape, f"len={min(len(stem), 8)}"]
        own += [name + norm[:k] for k, name in _PREFIX_NAMES if n > k]
        own += [name + norm[-k:] for k, name in _SUFFIX_NAMES if n > k]
        if len(stem) != n:
            own.append("clitic=" + norm[: n - len(stem)])
        lexicon = self._lexicon_features(norm, stem)
        own += lexicon
        near = [word, shape, *lexicon]
        far = [word]
        ids = self._lookup_clusters(norm, stem)
        if ids is not None:
            levels = [f"c{i}={c}" for i, c in enumerate(ids)]
            own += levels
            near += levels
            far.append(levels[-1])
        else:
            own.append("c=none")
        given = self._given(near, far)
        middle = str(ids[len(ids) // 2]) if ids is not None else "-"
        start = stem if self._phrases is not None and self._phrases.starts(stem) else None
        entry = TokenFeatures(
            self._keep(own), given, norm, middle, _kind(norm, stem, lexicon), start
        )
        if cache:
            if len(self._cache) > WORD_TYPES_KEPT:
                self._cache.clear()
            self._cache[token] = entry
        return entry

    def sentence_features(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature strings for every token of one sentence."""
        parts = [self.token_features(t) for t in tokens]
        w = self.window
        edge = [self._edge] * w
        padded = [*edge, *parts, *edge]
        out = []
        for i, (part, context) in enumerate(zip(parts, self.context_features(parts), strict=True)):
            feats = part.own.copy()
            for k, offset in enumerate(self._offsets):
                feats.extend(padded[w + i + offset].given[k])
            feats += context
            out.append(feats)
        return out

    @property
    def offsets(self) -> list[int]:
        """The window's offsets, in the order of ``TokenFeatures.given``."""
        return list(self._offsets)

    @property
    def edge(self) -> TokenFeatures:
        """The pseudo-token that pads a sentence on both sides."""
        return self._edge

    @property
    def pair_kinds(self) -> list[tuple[str, str]]:
        """The pair features in use: ``(prefix, TokenFeatures field)`` — word bigrams ``bi``
        and, with ``cluster_bigrams``, cluster bigrams ``cb``."""
        return [("bi", "norm")] + ([("cb", "cluster")] if self.cluster_bigrams else [])

    def known_pairs(
        self, kind: str
    ) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
        """The model's pair features of ``kind``: ``{(left, right): attribute}`` for the one
        the right token gets (``bi-=left|right``) and for the one the left token gets
        (``bi+=left|right``). Empty unless restricted to a model's attributes."""
        return self._pairs.get(kind, ({}, {}))

    def context_features(self, parts: Sequence[TokenFeatures]) -> list[list[str]]:
        """The features of each token that depend on its neighbours' forms, not only on
        what a word type gives every neighbour: word (and cluster) bigrams, head phrases,
        known organisation names."""
        out: list[list[str]] = [[] for _ in parts]
        kinds = self.pair_kinds
        known = self._known
        for i in range(1, len(parts)):
            left, right = parts[i - 1], parts[i]
            for kind, field in kinds:
                a, b = getattr(left, field), getattr(right, field)
                if known is None:
                    out[i].append(f"{kind}-={a}|{b}")
                    out[i - 1].append(f"{kind}+={a}|{b}")
                    continue
                # The known pairs, looked up without building the (mostly unknown) strings.
                minus, plus = self._pairs[kind]
                if (found := minus.get((a, b))) is not None:
                    out[i].append(found)
                if (found := plus.get((a, b))) is not None:
                    out[i - 1].append(found)
        if self.head_phrase:
            self.add_head_phrase(parts, out)
        if self._phrases is not None and any(p.start is not None for p in parts):
            self.add_org_phrases([p.norm for p in parts], [p.start for p in parts], out)
        return out

    def add_org_phrases(
        self, norms: Sequence[str], starts: Sequence[str | None], out: list[list[str]]
    ) -> None:
        """Append the known-name features (``org_phrases``) to ``out``, from the tokens'
        normalized forms and ``TokenFeatures.start``."""
        begin, inside = self._keep(["gz=B"]), self._keep(["gz=I"])
        for start, end in self._phrases.match(norms, starts):  # type: ignore[union-attr]
            out[start] += begin
            for j in range(start + 1, end):
                out[j] += inside

    def add_head_phrase(self, parts: Sequence[TokenFeatures], out: list[list[str]]) -> None:
        """Append the head-phrase features of a sentence's tokens to ``out`` (see
        ``head_phrase``); nothing unless a token is an organisation head noun."""
        head, noun = -10, ""  # index and form of the last head noun
        for i, part in enumerate(parts):
            is_head = part.is_head
            if i - head <= 3:
                generic = f"h-{i - head}={'head' if is_head else part.kind}"
                for feature in (generic, f"{generic}|{noun}"):
                    if self._known is None or feature in self._known:
                        out[i].append(feature)
            if is_head:
                head, noun = i, part.kind[5:]
            elif part.kind == "punct":
                head = -10

    def config(self) -> dict[str, Any]:
        """The JSON-serializable settings (the tables are saved separately)."""
        return {
            "window": self.window,
            "near_window": self.near_window,
            "cluster_bigrams": self.cluster_bigrams,
            **({"head_phrase": True} if self.head_phrase else {}),
            **({"org_phrases": True} if self.org_phrases else {}),
            "stemmer": self.stemmer,
        }
