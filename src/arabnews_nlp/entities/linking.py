"""Entity linking: ids, Latin names, countries and coordinates from the shipped knowledge table.

Each mention's canonical name is looked up by its search key (so بموسكو, موسكو and موسكوُ find
the same rows); the candidates of the mention's kind (places for LOC, people for PER,
organisations and countries for ORG) are scored and the best one is kept only when it beats
every other by :data:`MARGIN`; otherwise ``kb_id`` stays None — an ambiguous mention is better
unlinked than linked wrongly. The score of a candidate is

* a prior: a country 7, a region 6, a city log10 of its population, a person or organisation
  3 (so Moscow beats Moscow, Idaho; Oman and Amman stay close, and need evidence);
* +3 when its country is named elsewhere in the article (another place, a nationality
  adjective: "اللبنانية", "الأردني");
* +10 for local evidence: a shadda written in the mention that one spelling has (عمّان is
  Amman), a nationality adjective or country right next to the mention ("طرابلس اللبنانية",
  "العاصمة الأردنية عمان", "سلطنة عمان"), a word saying what it is (مدينة، العاصمة → a city,
  دولة → a country);
* a mention left unlinked takes the id its key got elsewhere in the article (one sense per
  article), and a short person name takes the id of the one linked longer name it is part of.

People not in the table get a Latin name from :mod:`arabnews_nlp.entities.translit`.

Example:
    >>> from arabnews_nlp.entities import Entity
    >>> text = "زار الملك عمّان ثم سافر إلى موسكو"
    >>> ents = [Entity("LOC", "عمّان", 10, 15, "عمان"), Entity("LOC", "موسكو", 28, 33, "موسكو")]
    >>> [(e.kb_id, e.latin, e.country) for e in link_entities(ents, text)]
    [('geonames:250441', 'Amman', 'JO'), ('geonames:524901', 'Moscow', 'RU')]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from arabnews_nlp.entities.canonical import canonical_name, entity_key
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.kb import KBEntry, KnowledgeBase, load_kb, shadda_form
from arabnews_nlp.tokenize import strip_proclitics

__all__ = ["MARGIN", "link_entities"]

#: How far the best candidate must be ahead of the next one to be linked.
MARGIN = 1.0
_CONTEXT_BONUS = 3.0
_LOCAL_BONUS = 10.0
_SMALL_CITY = 50_000
_WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u0671-\u06D3\u0640\u064B-\u0652\u0670]+")
_SHADDA = "\u0651"
# Words before a place name that say what it is. "العاصمة X" is the city X, while "عاصمة X"
# (no article) is "the capital of X": that X is a country or region, so it is not listed.
_CITY_WORDS = frozenset(map(entity_key, ["مدينة", "المدينة", "بلدة", "البلدة", "العاصمة"]))
_CAPITAL = entity_key("العاصمة")  # after a name too: "الجزائر العاصمة"
_COUNTRY_WORDS = frozenset(
    map(entity_key, ["دولة", "بلاد", "سلطنة", "مملكة", "المملكة", "إمارة", "جمهورية"])
)
_PREFIX_WORDS = _CITY_WORDS | frozenset(map(entity_key, ["محافظة", "ولاية", "قرية", "منطقة"]))
_LABEL_TYPES = {"LOC": ("place",), "PER": ("person",), "ORG": ("org", "place")}
_SURNAME = "~"
# Words with a nationality-adjective ending (اللبناني، الليبية، الأردنيون): the only ones the
# article-wide scan for countries needs to normalize.
_NISBA_LIKE = re.compile(
    r"[\u0621-\u064A]+(?:ي|ية|يه|يون|يين|يات)(?![\u0621-\u064A])"
)  # key prefix of a famous person's family name in the table


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    # Cached: every article's words are scanned for nationality adjectives, and words recur.
    return entity_key(word)


def _words(text: str) -> list[str]:
    return [_word_key(w) for w in _WORD.findall(text)]


def _fits(label: str, c: KBEntry) -> bool:
    """An ORG mention is an organisation or a country (its government: "روسيا"), never a city."""
    return c.type in _LABEL_TYPES.get(label, ()) and (
        label != "ORG" or c.type == "org" or c.kind == "country"
    )


def _prior(c: KBEntry) -> float:
    if c.kind == "country":
        return 7.0
    if c.kind == "region":
        return 6.0
    if c.type == "place":
        return math.log10(c.population + 10)
    return 4.0 if c.kind == "famous" else 3.0


@lru_cache(maxsize=1 << 16)
def _lookup_keys(text: str, label: str, key: str) -> tuple[str, ...]:
    """The keys to look a mention up by, in order (cached: names recur across articles)."""
    keys = [key]
    # The canonical name may have lost a first letter that belongs to the name (ليونيل
    # read as ل + يونيل), or kept a clitic the segmenter did not know (ببوتين).
    words = key.split()
    if words:
        whole = entity_key(canonical_name(text, label, keep_word=lambda _w, _s: True))
        bare = strip_proclitics(words[0]) or words[0]
        keys += [whole, entity_key(" ".join([bare, *words[1:]]))]
    if len(words) > 1 and words[0] in _PREFIX_WORDS:
        keys.append(" ".join(words[1:]))  # "مدينة طرابلس": the name after its kind
    return tuple(dict.fromkeys(keys))


class _Article:
    """What the rest of an article says: the countries it names."""

    def __init__(self, kb: KnowledgeBase, entities: Sequence[Entity], text: str) -> None:
        self.kb = kb
        self.text = text
        self.countries: Counter[str] = Counter()
        # Only words with a nationality ending are looked up (the regex filters in C).
        for word in _NISBA_LIKE.findall(text):
            code = kb.nisba.get(_word_key(word))
            if code:
                self.countries[code] += 1
        self.candidates = [self._candidates(e) for e in entities]
        for found in self.candidates:
            codes = {c.country for c in found if c.country}
            if len(codes) == 1:  # only unambiguous mentions tell where the article is
                self.countries[codes.pop()] += 1

    @property
    def country(self) -> str | None:
        """The country the article names most (None when it names none)."""
        top = self.countries.most_common(1)
        return top[0][0] if top else None

    def _candidates(self, e: Entity) -> list[KBEntry]:
        keys = _lookup_keys(e.text, e.label, e.key)
        words = e.key.split()
        for key in keys:
            found = [c for c in self.kb.lookup_key(key) if _fits(e.label, c)]
            if found:
                return found
        if e.label == "PER" and len(words) == 1:
            # A famous person's family name alone ("بوتين"), when only one famous person has it.
            for key in dict.fromkeys([e.key, keys[-1]]):  # as written, then without clitics
                found = self.kb.lookup_key(_SURNAME + key)
                if found:
                    return found
        return []

    def _local(self, e: Entity, c: KBEntry, countries: set[str]) -> float:
        """Evidence next to the mention and in how it is written."""
        score = 0.0
        before = _words(self.text[max(0, e.start - 40) : e.start])[-3:]
        after = _words(self.text[e.end : e.end + 30])[:3]
        inner = e.key.split()
        if len(countries) > 1 and c.country and c.kind != "country":
            # Which country's city: a nationality next to it ("العاصمة الأردنية عمان",
            # "طرابلس اللبنانية") or a country after it ("صور في جنوب لبنان"); a country before
            # it is usually a list ("الأردن وعمان") and says nothing.
            codes = {self.kb.nisba.get(w) for w in before + after} | {
                x.country for w in after for x in self.kb.lookup_key(w) if x.kind == "country"
            }
            if c.country in codes:
                score += _LOCAL_BONUS
        prev = before[-1:] + inner[:1]
        says_city = any(w in _CITY_WORDS for w in prev) or after[:1] == [_CAPITAL]
        if says_city and c.kind in ("city", "country"):
            score += _LOCAL_BONUS if c.kind == "city" else -_LOCAL_BONUS
        if c.kind == "country" and any(w in _COUNTRY_WORDS for w in prev):
            score += _LOCAL_BONUS
        if _SHADDA in e.text:
            written = shadda_form(e.text)
            if any(_SHADDA in n and shadda_form(n) in written for n in c.names):
                score += _LOCAL_BONUS
            else:
                score -= _LOCAL_BONUS
        return score

    def scores(self, i: int, e: Entity) -> list[tuple[float, KBEntry, bool]]:
        """``(score, candidate, eligible)`` of each candidate, best first."""
        own = self.candidates[i]
        own_countries = {c.country for c in own}
        # A city named like its own country (الجزائر, الكويت, تونس) is the country unless the
        # text says city.
        named_countries = {c.country for c in own if c.kind == "country"}
        out = []
        for c in own:
            prior = _prior(c)
            if c.kind == "city" and c.country in named_countries:
                prior -= 2.0
            # The article's countries, not counting what this very name adds.
            mentions = self.countries[c.country] - (len(own_countries) == 1)
            context = _CONTEXT_BONUS if c.country and mentions > 0 else 0.0
            local = self._local(e, c, own_countries)
            # Small places are where GeoNames' Arabic names are noisiest ("البحر الأحمر" is a
            # village's alternate name): one needs its country in the article or a local cue.
            # It still counts as a rival (صور the word is not linked to Tyre because Sur exists).
            small = c.kind == "city" and c.population < _SMALL_CITY and not context and local <= 0
            out.append((prior + context + local, c, not small))
        return sorted(out, key=lambda sc: -sc[0])


def _decide(scored: list[tuple[float, KBEntry, bool]]) -> KBEntry | None:
    """The best candidate when it is eligible, positive and ahead of every other by MARGIN."""
    if not scored:
        return None
    best, entry, eligible = scored[0]
    rival = next((s for s, c, _ in scored[1:] if c.kb_id != entry.kb_id), None)
    if not eligible or (rival is not None and best - rival < MARGIN):
        return None
    return entry if best > 0 else None


def _with(e: Entity, **link: object) -> Entity:
    # Built directly: dataclasses.replace costs several times more, for every mention.
    return Entity(
        e.label, e.text, e.start, e.end, e.canonical, e.score, e.field, e.field_start,
        e.field_end, **link,  # type: ignore[arg-type]
    )  # fmt: skip


def _apply(e: Entity, c: KBEntry) -> Entity:
    return _with(
        e, kb_id=c.kb_id, latin=c.latin, country=c.country or None, lat=c.lat, lon=c.lon,
        kind=c.kind if c.type == "place" else None,
    )  # fmt: skip


def link_entities(
    entities: Sequence[Entity], text: str, *, kb: KnowledgeBase | None = None
) -> list[Entity]:
    """Give each mention of one article its ``kb_id``, ``latin``, ``country`` (and for places
    ``lat``, ``lon``, ``kind``) where the knowledge table resolves it.

    Args:
        entities: The mentions of ONE article, with offsets into ``text``.
        text: The article text the offsets refer to (context for disambiguation).
        kb: The knowledge table (default: the shipped one).

    Returns:
        New :class:`Entity` objects in the same order; unresolved ones keep ``kb_id=None``
        (people still get a transliterated ``latin``).
    """
    if not entities:
        return []
    table = kb if kb is not None else load_kb()
    article = _Article(table, entities, text)
    chosen = [_decide(article.scores(i, e)) for i, e in enumerate(entities)]
    # One sense per article: an unresolved mention takes the single id its key got elsewhere.
    by_key: dict[str, set[str]] = {}
    entries: dict[str, KBEntry] = {}
    for e, c in zip(entities, chosen, strict=True):
        if c is not None:
            by_key.setdefault(e.key, set()).add(c.kb_id)
            entries[c.kb_id] = c
    persons = [
        (e.key.split(), c) for e, c in zip(entities, chosen, strict=True) if c and e.label == "PER"
    ]
    out = []
    for e, c in zip(entities, chosen, strict=True):
        if c is None and len(ids := by_key.get(e.key, set())) == 1 and _SHADDA not in e.text:
            inherited = entries[next(iter(ids))]
            c = inherited if _fits(e.label, inherited) else None
        if c is None and e.label == "PER":
            words = e.key.split()
            hosts = {
                h.kb_id for w, h in persons if len(w) > len(words) and w[-len(words) :] == words
            }
            if len(hosts) == 1:
                c = entries[hosts.pop()]
        out.append(_apply(e, c) if c is not None else _fallback(e, article.country))
    return out


def _fallback(e: Entity, country: str | None) -> Entity:
    """An unresolved mention: a person still gets a transliterated Latin name, spelled the
    way names of the country the article is about usually are (Mohamed in Egypt)."""
    if e.label != "PER":
        return e
    from arabnews_nlp.entities.translit import transliterate

    return _with(e, latin=transliterate(e.canonical, country) or None)
