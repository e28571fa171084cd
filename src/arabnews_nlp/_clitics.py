"""Light clitic segmentation, the protected-word lexicon and stop words (private).

Public names are re-exported by :mod:`arabnews_nlp.tokenize`. Every decision is taken on the
word's ``search``-normalized form (so diacritics, tatweel and hamza spellings do not matter)
and mapped back to the word as written through normalization offsets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise

from arabnews_nlp.normalize import normalize

_RESOURCES = files("arabnews_nlp").joinpath("resources")


def _read_list(name: str) -> list[str]:
    """Non-comment lines of a bundled word list."""
    text = _RESOURCES.joinpath(name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _search_forms(words: list[str]) -> frozenset[str]:
    return frozenset(normalize(w, "search") for w in words)


_STOP_SURFACE = _read_list("stop_words.txt")
#: Arabic stop words (function words): every listed spelling and its ``search``-normalized form.
STOP_WORDS: frozenset[str] = frozenset(_STOP_SURFACE) | _search_forms(_STOP_SURFACE)
#: Words never cut by the segmenter (``search``-normalized): proper names that start with a
#: clitic-like letter (hand-written list + country and city names from gazetteers) and common
#: words of the same shape.
PROTECTED_WORDS: frozenset[str] = _search_forms(
    _read_list("protected_names.txt")
    + _read_list("protected_names_gazetteer.txt")
    + _read_list("protected_words.txt")
)

_RULES = json.loads(_RESOURCES.joinpath("clitics.json").read_text(encoding="utf-8"))
_CONJUNCTIONS: frozenset[str] = frozenset(_RULES["conjunctions"])
_PREPOSITIONS: frozenset[str] = frozenset(_RULES["prepositions"])
_ARTICLE: str = _RULES["article"]
# Longest first, so "هما" wins over "ها".
_SUFFIXES: tuple[str, ...] = tuple(sorted(_RULES["suffixes"], key=len, reverse=True))
_MIN_AFTER_PROCLITIC: int = _RULES["min_stem_after_proclitic"]
_MIN_AFTER_ARTICLE: int = _RULES["min_stem_after_article"]
_MIN_AFTER_SUFFIX: int = _RULES["min_stem_after_suffix"]
_NO_SUFFIX_AFTER: frozenset[str] = frozenset(_RULES["no_suffix_after"])
_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) - {"\u0640"}


def is_stop_word(token: str) -> bool:
    """Whether ``token`` is an Arabic stop word, whatever its diacritics or hamza spelling.

    Example:
        >>> is_stop_word("إلى"), is_stop_word("الى"), is_stop_word("عَلَى"), is_stop_word("موسكو")
        (True, True, True, False)
    """
    return token in STOP_WORDS or normalize(token, "search") in STOP_WORDS


@dataclass(frozen=True)
class Segmentation:
    """A word cut into proclitics, stem and enclitic pronoun.

    The pieces are substrings of the word as given: ``"".join(seg.parts) == word``.

    Attributes:
        prefixes: Proclitics in order: conjunction (و ف), preposition (ب ل ك), article (ال,
            or the single ل left of it after the preposition ل, as in للرئيس).
        stem: What is left.
        suffixes: An attached pronoun (ها هم هما هن كم كما كن نا), if one was cut.
        article: Whether the last prefix is the definite article.
    """

    prefixes: tuple[str, ...]
    stem: str
    suffixes: tuple[str, ...] = ()
    article: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        """All pieces in order."""
        return (*self.prefixes, self.stem, *self.suffixes)

    def __str__(self) -> str:
        return "+".join(self.parts)


# Endings tried when looking a word up in the protected lexicon, so that its inflected and
# pronoun-suffixed forms are protected too (وزيرين, كتابها, وزارتهم).
_INFLECTIONS = (
    *("هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ني", "ه", "ك", "ي"),  # pronouns
    *("ان", "ين", "ون", "وا", "و", "ات", "ا"),  # dual, plural, accusative
)


def _protected(word: str) -> bool:
    """Whether ``word``, or ``word`` without an inflection ending, is protected or a stop word."""
    if word in PROTECTED_WORDS or word in STOP_WORDS:
        return True
    for ending in _INFLECTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            base = word[: -len(ending)]
            if base in PROTECTED_WORDS or base in STOP_WORDS:
                return True
            # A teh marbuta becomes ت before a suffix (وزارة → وزارتها) and goes before ات
            # (بوابة → بوابات); in the search form it is ه.
            if (base[-1] == "ت" and base[:-1] + "ه" in PROTECTED_WORDS) or (
                ending == "ات" and base + "ه" in PROTECTED_WORDS
            ):
                return True
    return False


def _may_cut(key: str, pos: int, new_pos: int, minimum: int) -> bool:
    """Whether a clitic ending at ``new_pos`` may be cut from ``key[pos:]``."""
    rest = key[new_pos:]
    if len(rest) < minimum or not all(ch in _LETTERS for ch in rest):
        return False
    word = key[pos:]
    if word in PROTECTED_WORDS or word in STOP_WORDS:
        return False
    # A protected remainder wins over an inflected reading of the whole word: وليون is
    # و + ليون (Lyon), not ولي + ون.
    return rest in PROTECTED_WORDS or not _protected(word)


def _cut(key: str) -> tuple[list[int], bool, int]:
    """Piece boundaries in ``key``: prefix ends, whether the last prefix is the article, and
    where the suffix starts (``len(key)`` when there is none)."""
    bounds: list[int] = []
    pos = 0
    article = False
    if key in STOP_WORDS:
        return bounds, article, len(key)
    if key[:1] in _CONJUNCTIONS and _may_cut(key, pos, pos + 1, _MIN_AFTER_PROCLITIC):
        pos += 1
        bounds.append(pos)
    preposition = key[pos : pos + 1]
    if preposition in _PREPOSITIONS and _may_cut(key, pos, pos + 1, _MIN_AFTER_PROCLITIC):
        pos += 1
        bounds.append(pos)
        # ل + ال is written لل: the article's alef is dropped.
        elided = preposition == "ل" and key.startswith("ل", pos)
        if elided and _may_cut(key, pos, pos + 1, _MIN_AFTER_ARTICLE):
            pos += 1
            bounds.append(pos)
            article = True
    has_article = not article and key.startswith(_ARTICLE, pos)
    if has_article and _may_cut(key, pos, pos + len(_ARTICLE), _MIN_AFTER_ARTICLE):
        pos += len(_ARTICLE)
        bounds.append(pos)
        article = True
    stem = key[pos:]
    suffix_start = len(key)
    if stem not in PROTECTED_WORDS:
        for suffix in _SUFFIXES:
            cut = len(stem) - len(suffix)
            if (
                stem.endswith(suffix)
                and cut >= _MIN_AFTER_SUFFIX
                and stem[cut - 1] not in _NO_SUFFIX_AFTER
            ):
                suffix_start = pos + cut
                break
    return bounds, article, suffix_start


# 32,768 words: an archive has a few hundred thousand word types, but the frequent ones are
# most of the text (4,000 ANT articles: 124,504 misses in 281,599 calls at 65,536, against
# 115,365 with 262,144), and a full cache of 262,144 would hold ~200 MB in every stage-1
# process (two of them at `analyze -j 2`).
@lru_cache(maxsize=1 << 15)
def segment_clitics(word: str) -> Segmentation:
    """Cut a word into proclitics (و ف, ب ل ك, ال), stem and an attached pronoun.

    Light and conservative, for indexing and canonical names: at most one conjunction, one
    preposition and the article in front, one pronoun at the end; a clitic is cut only when
    enough letters remain, and never from a protected word (a lexicon of names such as
    بريطانيا, لبنان, باريس, فلسطين, كندا and of common words such as وزير), nor from what is
    left when that is protected (ولبنان → و + لبنان).

    Args:
        word: One token, normalized or not (diacritics stay with their letters).

    Returns:
        A :class:`Segmentation` whose pieces are substrings of ``word``.

    Example:
        >>> str(segment_clitics("وبالمدينة")), str(segment_clitics("للرئيس"))
        ('و+ب+ال+مدينة', 'ل+ل+رئيس')
        >>> str(segment_clitics("بريطانيا")), str(segment_clitics("حكومتهم"))
        ('بريطانيا', 'حكومت+هم')
    """
    nt = normalize(word, "search", return_offsets=True)
    key = nt.text
    if not key or " " in key or "\n" in key or len(nt.offsets) != len(key):
        return Segmentation((), word)
    bounds, article, suffix_start = _cut(key)
    if not bounds and suffix_start == len(key):
        return Segmentation((), word)

    def original(i: int) -> int:
        # A boundary before key[i] falls before the original character of key[i]; marks
        # removed in between (the fatha of وَ) stay with the piece on their left.
        return nt.offsets[i] if i < len(key) else len(word)

    cuts = [0, *(original(b) for b in bounds)]
    prefixes = tuple(word[a:b] for a, b in pairwise(cuts))
    stem_end = original(suffix_start)
    suffixes = (word[stem_end:],) if suffix_start < len(key) else ()
    return Segmentation(prefixes, word[cuts[-1] : stem_end], suffixes, article)


def strip_proclitics(word: str, *, keep_article: bool = True) -> str:
    """The word without its leading و ف ب ل ك (and, optionally, a non-lexical article).

    Meant for canonical entity names: بموسكو → موسكو, وروسيا → روسيا, للكرملين → الكرملين.
    Names whose article is part of the name (العراق, الكرملين, القاهرة: in the protected
    lexicon) keep it even with ``keep_article=False``; a preposition ل that swallowed the
    article's alef (للرئيس) gets the alef back. Attached pronouns are not removed.

    Args:
        word: One token.
        keep_article: Keep the definite article ال (default); with False, drop it unless it
            is lexical.

    Example:
        >>> strip_proclitics("والكرملين"), strip_proclitics("للرئيس")
        ('الكرملين', 'الرئيس')
        >>> strip_proclitics("بالعراق", keep_article=False)
        'العراق'
        >>> strip_proclitics("والمصري", keep_article=False), strip_proclitics("فلسطين")
        ('مصري', 'فلسطين')
    """
    seg = segment_clitics(word)
    rest = seg.stem + "".join(seg.suffixes)
    if not seg.article:
        return rest
    if not keep_article:
        return rest
    article = seg.prefixes[-1]
    # لل: the second ل is the article without its alef.
    return article + rest if len(article) > 1 or article[:1] != "ل" else "ا" + article + rest
