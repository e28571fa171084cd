"""First-level regions (governorates, provinces, states, emirates) for the knowledge table.

Arabic names come from the ArWikiCats geography tables (MIT; Arabic Wikipedia titles such as
"محافظة حلب" for "aleppo governorate"); the shared data has no GeoNames admin-1 name table, so
each region is tied to GeoNames by the place it is named after: the English name without its
kind ("aleppo") must fold to a GeoNames place's name *and* the Arabic name without its kind
("حلب") must be one of that place's Arabic names. The region then gets

* id ``admin1:<CC>.<code>`` — the GeoNames admin-1 code of that place (GeoNames' own
  ``CC.code`` form), so every name of one region shares one id;
* the country and, as its map point, the coordinates of that place (its seat).

Regions not named after a place (جبل لبنان، البقاع، ظفار) cannot be placed this way and are left
out. Only the full name with its kind word is a spelling ("محافظة حلب"): the bare name is the
city's.

Used by ``scripts/build_kb.py``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

# Tables of ArWikiCats' geography folder that hold first-level regions (some also hold
# districts, historic states and other things: the kind words below filter them).
_FILES = ("popopo.json", "New_Keys.json", "P17_PP.json", "P17_2_final_ll.json")
_KINDS_OF_TABLES = {
    "EGYPT_GOVERNORATE": ("governorate", "محافظة"),
    "DJIBOUTI_REGION": ("region", "إقليم"),
}
# Below this population a place is too small to be a region's seat (Faryab, a village in
# Iran, is not the seat of Afghanistan's Faryab Province).
_MIN_SEAT = 20_000
# Countries whose regions build_kb.py lists by hand (GeoNames' PS admin-1 "Gaza" is the whole
# Gaza Strip, not محافظة غزة).
_HAND_LISTED = {"PS"}
_KIND_EN = re.compile(
    r"^(?:(?:emirate|province|region|state|governorate) of )?(.+?)"
    r"(?: (?:governorate|province|region|state|emirate|wilaya|prefecture))?$"
)
_KIND_AR = ("محافظة", "ولاية", "منطقة", "إمارة", "امارة", "إقليم", "مقاطعة")
_PARENS = re.compile(r"\s*\([^)]*\)")
_ARTICLE_EN = re.compile(r"^(?:al|as|ad|ash|at|az|an|ar|el|ad)[- ']")


def _is_arabic(name: str) -> bool:
    return any("\u0621" <= c <= "\u064a" for c in name)


def _entries(folder: Path) -> Iterable[tuple[str, str]]:
    for name in _FILES:
        yield from json.loads((folder / name).read_text("utf-8")).items()
    # Sub-tables of bare names whose kind the table name says ("alexandria" → "الإسكندرية"
    # in EGYPT_GOVERNORATE): the full names are "<name> governorate" / "محافظة <name>".
    tables = json.loads((folder / "regions2.json").read_text("utf-8"))
    for table, (english, arabic) in _KINDS_OF_TABLES.items():
        for name, value in tables.get(table, {}).items():
            yield f"{name} {english}", f"{arabic} {_PARENS.sub('', value)}"


def _region_names(folder: Path) -> dict[tuple[str, str], set[str]]:
    """``(english base, arabic base)`` → the full English and Arabic names, for entries whose
    English names a region kind and whose Arabic starts with one ("محافظة حلب")."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for english, arabic in _entries(folder):
        if "(" in english or "(" in arabic:
            continue  # a title disambiguated by its country: the bare name is ambiguous
        words = arabic.split()
        match = _KIND_EN.match(english)
        if len(words) < 2 or words[0] not in _KIND_AR or match is None:
            continue
        if match.group(1) == english:  # no kind word in the English name: not a region
            continue
        out[(match.group(1), " ".join(words[1:]))] |= {arabic, english}
    return out


def regions(
    folder: Path,
    places: Iterable[dict[str, str]],
    key: Callable[[str], str],
    fold: Callable[[str], str],
    known: set[str],
) -> list[list[str]]:
    """Knowledge-table rows of the regions that can be tied to a GeoNames place.

    Args:
        folder: ArWikiCats' ``geography`` folder.
        places: GeoNames rows (``geonameid name country_code admin1_code population latitude
            longitude arabic_script_name``).
        key: The search-key function (:func:`~arabnews_nlp.entities.entity_key`).
        fold: English name folding (lower-case ASCII letters and digits only).
        known: Search keys the table already has (hand-listed regions win).
    """
    by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in places:
        if int(row["population"] or 0) < _MIN_SEAT or row["admin1_code"] in ("", "00"):
            continue
        for english in {row["name"], _ARTICLE_EN.sub("", row["name"].lower())}:
            by_name[(fold(english), key(row["arabic_script_name"]))].append(row)
    found: dict[str, tuple[dict[str, str], set[str]]] = {}
    for (english, arabic), names in sorted(_region_names(folder).items()):
        bases = {fold(english), fold(_ARTICLE_EN.sub("", english))}
        seats = {r["geonameid"]: r for b in bases for r in by_name.get((b, key(arabic)), [])}
        regions = {(r["country_code"], r["admin1_code"]) for r in seats.values()}
        if len(regions) != 1 or next(iter(regions))[0] in _HAND_LISTED:
            continue  # no seat, or places of that name in several regions: ambiguous
        seat = max(seats.values(), key=lambda r: int(r["population"]))
        kb_id = "admin1:{}.{}".format(*regions.pop())
        found.setdefault(kb_id, (seat, set()))[1].update(names)
    rows = []
    for kb_id, (seat, names) in sorted(found.items()):
        arabic = sorted(n for n in names if _is_arabic(n) and key(n) not in known)
        english = sorted((n for n in names if not _is_arabic(n)), key=lambda n: (len(n), n))
        if arabic:
            latin = " ".join(w if w == "of" else w[:1].upper() + w[1:] for w in english[0].split())
            lat, lon = seat["latitude"], seat["longitude"]
            cc = seat["country_code"]
            rows.append(["place", kb_id, latin, cc, lat, lon, "region", "", "|".join(arabic)])
    return rows
