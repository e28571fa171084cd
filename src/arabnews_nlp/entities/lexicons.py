"""Name lists (gazetteers) used as NER features: countries, cities, places, given names, surnames,
organisation head nouns, nationality adjectives and sports organisations.

They are features, never rules: the tagger learns how far to trust "this word is a city name"
(a city-name rule applied after the model cost 6 F1 points, because many city names are ordinary
words). Every entry is normalized with the ``ner`` profile; a multi-word entry marks its words
with a ``*_part`` list so the first word of "ساحل العاج" is not confused with a one-word country.

Example:
    >>> lex = Lexicons({"city": {"بيروت"}, "given": {"سمير"}})
    >>> lex.tags("بيروت"), lex.tags("كتاب")
    (('city',), ())
"""

from __future__ import annotations

import csv
import gzip
import json
import lzma
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from arabnews_nlp.entities.phrases import known_organisation_names
from arabnews_nlp.normalize import normalize

__all__ = ["Lexicons", "build_lexicons"]

# Persian/Urdu letters: name rows spelled with them are not Arabic spellings.
_NON_ARABIC_LETTERS = set("پچژگکیٹڈڑںھہےۀە")
# Countries whose Wikidata names are mostly Persian/Urdu script even without those letters.
_NON_ARABIC_COUNTRIES = {"IR", "PK", "AF", "IN", "TJ"}

#: Head nouns that open an organisation's name ("وزارة الدفاع", "حزب الله", "نادي الزمالك").
#: Most ORG names in news are a head noun + a genitive or an adjective, and the head nouns are
#: a closed class: as a feature (token and window) they tell the tagger where such names start.
_ORG_HEADS = (
    "وزارة وزارات هيئة منظمة حزب جمعية شركة بنك مصرف جامعة مجلس اتحاد لجنة وكالة مؤسسة صندوق "
    "محكمة جبهة حركة نادي جيش قوات مركز معهد رابطة نقابة تحالف ائتلاف برلمان حكومة إدارة "
    "مديرية دائرة سلطة مفوضية أكاديمية كلية مستشفى صحيفة جريدة مجلة قناة إذاعة تلفزيون "
    "مجموعة منتدى بورصة كتلة تيار لواء كتائب سرايا فيلق شرطة مخابرات استخبارات جهاز "
    "البنك الوزارة الهيئة المنظمة الحزب المجلس الاتحاد اللجنة الوكالة المؤسسة المحكمة"
)
ORG_HEADS = tuple(_ORG_HEADS.split())
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


class Lexicons:
    """Named sets of normalized words; :meth:`tags` says which sets a word is in.

    Args:
        lists: list name → set of normalized words (not to be changed afterwards: the lookup
            index is built here).
    """

    def __init__(self, lists: dict[str, set[str]]) -> None:
        self.lists = lists
        # word → its list names: one dict probe per word instead of one set probe per list.
        index: dict[str, tuple[str, ...]] = {}
        for name in sorted(lists):
            for word in lists[name]:
                index[word] = (*index.get(word, ()), name)
        self._index = index

    def tags(self, word: str) -> tuple[str, ...]:
        """The names of the lists that contain ``word`` (normalized), in sorted order."""
        return self._index.get(word, ())

    def __len__(self) -> int:
        return sum(len(words) for words in self.lists.values())

    def save(self, path: str | Path) -> None:
        """Write the lists as gzip JSON (sorted, so the file is reproducible)."""
        data = {name: sorted(words) for name, words in sorted(self.lists.items())}
        with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as raw:
            raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> Lexicons:
        """Read lists written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls({name: set(words) for name, words in json.load(handle).items()})


def _add(lists: dict[str, set[str]], name: str, entries: Iterable[str]) -> None:
    """Add entries to ``name`` (one-word entries) and ``name_part`` (words of longer ones)."""
    single = lists.setdefault(name, set())
    parts = lists.setdefault(name + "_part", set())
    for entry in entries:
        words = normalize(entry, profile="ner").split()
        if len(words) == 1:
            single.add(words[0])
        else:
            parts.update(w for w in words if len(w) > 2)


def _tsv_xz(path: Path) -> Iterator[dict[str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _arabic_name(row: dict[str, str]) -> bool:
    """A Wikidata (CC0) row spelled in Arabic rather than Persian/Urdu script."""
    return (
        row["source"] == "wikidata"
        and row["country"] not in _NON_ARABIC_COUNTRIES
        and not _NON_ARABIC_LETTERS & set(row["arabic_key"])
    )


def _add_person_names(lists: dict[str, set[str]], folder: Path, min_count: int) -> None:
    """``given``/``surname`` from the name-part table, plus the first and last words of
    the full names (a two-word name is almost always given name + family name)."""
    given, surname = lists.setdefault("given", set()), lists.setdefault("surname", set())
    for row in _tsv_xz(folder / "units.tsv.xz"):
        key = row["arabic_key"]
        # Two-letter "names" (في، ان) are transliteration noise that collides with function words.
        if int(row["count"] or 0) >= min_count and " " not in key and _arabic_name(row):
            target = {"given": given, "surname": surname}.get(row["role"])
            if target is not None and len(key) > 2:
                target.add(normalize(key, profile="ner"))
    for row in _tsv_xz(folder / "full_names.tsv.xz"):
        words = normalize(row["arabic_key"], profile="ner").split()
        if len(words) >= 2 and _arabic_name(row):
            given.update(words[:1] if len(words[0]) > 2 else [])
            surname.update(words[-1:] if len(words[-1]) > 2 else [])


def _add_organisations(lists: dict[str, set[str]], arwikicats: Path) -> None:
    """``org_head`` (:data:`ORG_HEADS`), ``nisba`` (nationality adjectives: "روسي", "الروسية",
    "أمريكيون") and ``org``/``org_part`` (sports clubs, leagues and federations) from ArWikiCats."""
    lists.setdefault("org_head", set()).update(normalize(w, profile="ner") for w in ORG_HEADS)
    nationalities = json.loads(
        (arwikicats / "nationalities" / "nationalities_data.json").read_text(encoding="utf-8")
    )
    forms = ("male", "males", "female", "females", "the_male", "the_female")
    adjectives = [entry[f] for entry in nationalities.values() for f in forms if entry.get(f)]
    # News spells "American" both أمريكي (the list's spelling) and أميركي.
    adjectives += [a.replace("أمريك", "أميرك") for a in adjectives if "أمريك" in a]
    _add(lists, "nisba", adjectives)
    names: list[str] = []
    for name in ("Clubs_key.json", "clubs_teams_leagues.json", "inter_federations.json"):
        table = json.loads((arwikicats / "sports" / name).read_text(encoding="utf-8"))
        # Titles carry Wikipedia disambiguators in parentheses: "(نادي)" is not part of the name.
        names += [_PARENTHESIS.sub("", value) for value in table.values()]
    _add(lists, "org", names)


#: How the hand-written organisation list (:func:`~.phrases.known_organisation_names`) enters
#: the lists: not at all (``""``), as ``org``/``org_part`` words (``"words"``), as the
#: ``org_name`` list of whole names (``"phrase"``, for the ``org_phrases`` feature) or both.
ORG_NAME_MODES = ("", "words", "phrase", "both")


def build_lexicons(
    shared_dir: str | Path,
    *,
    min_name_count: int = 1,
    organisations: bool = True,
    org_names: str = "",
) -> Lexicons:
    """Build the lists from the gazetteers under ``shared_dir/data/gazetteers``.

    * ``country``: ISO 3166 Arabic names and CLDR territory names;
    * ``city``: world cities (Wikidata) and CLDR exemplar cities;
    * ``place``: GeoNames places of ≥ 500 people with an Arabic-letters-only name;
    * ``given`` / ``surname``: Wikidata person-name parts seen at least ``min_name_count`` times
      and the first/last words of Wikidata full names, Persian/Urdu spellings left out;
    * with ``organisations``: ``org_head``, ``nisba`` and ``org`` (see :func:`_add_organisations`);
    * ``org_names`` (:data:`ORG_NAME_MODES`): the organisations of ``resources/kb``, written for
      this library, as ``org``/``org_part`` words, as the ``org_name`` list of whole names, or
      both.
    """
    if org_names not in ORG_NAME_MODES:
        raise ValueError(f"org_names must be one of {ORG_NAME_MODES}, not {org_names!r}")
    root = Path(shared_dir) / "data" / "gazetteers"
    lists: dict[str, set[str]] = {}

    countries = json.loads((root / "iso-countries-ar.json").read_text(encoding="utf-8"))[
        "countries"
    ]
    cldr = json.loads((root / "cldr-ar-names" / "territories.json").read_text(encoding="utf-8"))
    territories = cldr["main"]["ar"]["localeDisplayNames"]["territories"]
    # Numeric CLDR codes are regions ("001" the world), not countries.
    _add(
        lists, "country", [*countries.values(), *(v for k, v in territories.items() if k.isalpha())]
    )

    with open(root / "world-cities-ar.csv", encoding="utf-8-sig", newline="") as handle:
        cities = [row["CityNameAr"] for row in csv.DictReader(handle)]
    with open(root / "cldr-ar-names" / "exemplar_cities_ar.tsv", encoding="utf-8") as handle:
        cities += [row["city_ar"] for row in csv.DictReader(handle, delimiter="\t")]
    _add(lists, "city", cities)

    places = (
        row["arabic_script_name"]
        for row in _tsv_xz(
            root / "geonames-cities-ar" / "geonames_cities500_arabic_script_names.tsv.xz"
        )
        if row["arabic_letters_only"] == "1"
    )
    _add(lists, "place", places)

    _add_person_names(lists, root / "wikidata-person-names-ar", min_name_count)
    if organisations:
        _add_organisations(lists, root / "arwikicats-en-ar")
    names = known_organisation_names() if org_names else []
    if org_names in ("words", "both"):
        _add(lists, "org", names)
    if org_names in ("phrase", "both"):
        lists["org_name"] = set(names)
    return Lexicons({name: words for name, words in lists.items() if words})
