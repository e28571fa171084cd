"""Build the shipped knowledge table used by entity linking (reproducible, reads ../shared).

Writes ``src/arabnews_nlp/resources/kb/entities.tsv.gz``: one row per entity,

    type  kb_id  latin  country  lat  lon  kind  population  names  keys

``type`` is ``place`` (countries, regions, cities), ``person``, ``org`` or ``nisba`` (a
nationality adjective: "اللبنانية" → ``iso:LB``, context for disambiguation); ``names`` are the
Arabic spellings joined by ``|`` (diacritics kept where the source has them: عمّان), ``keys``
their :func:`~arabnews_nlp.entities.entity_key` forms (precomputed so loading normalizes
nothing). Sources
(all under ``../shared/data/gazetteers``; licences in docs/models/knowledge-table.md):

* countries: ISO 3166 Arabic/English names (MIT), CLDR territory names (Unicode v3), the
  country names of ArWikiCats' nationality table (MIT) and a few aliases of ours; id
  ``iso:<CC>``, coordinates from the country outlines (``country_points.json``, see
  ``scripts/build_world_map.py``);
* cities: GeoNames ``cities500`` places with Arabic-letter names (CC BY 4.0), id
  ``geonames:<id>``, plus Arabic spellings from world-cities-ar (Wikidata, CC BY 4.0) and CLDR
  exemplar cities matched to them by country and English name;
* regions: a short list of ours (id ``region:<slug>``), :data:`REGIONS`, and first-level
  regions (governorates, provinces…) from ArWikiCats tied to GeoNames admin-1 codes (id
  ``admin1:<CC>.<code>``, see ``scripts/kb_regions.py``);
* people: Wikidata person labels with Latin spellings (CC0; Persian/Urdu-script rows left out)
  and ArWikiCats' famous people; id ``person:<slug of the Latin name>`` (the data carries no
  Wikidata ids, so the id names a *name*, not a proven individual);
* organisations: ``resources/kb/organisations.tsv`` (ours, ~740 bodies, parties, media,
  companies, banks..., shared with the NER name lists),
  then ArWikiCats clubs and federations; id ``org:<slug>``.

Usage:
    python scripts/build_kb.py [--shared ../shared] [--out src/arabnews_nlp/resources/kb]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import lzma
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the library's own normalization makes the keys

from kb_regions import regions as admin1_regions  # noqa: E402

from arabnews_nlp.entities.canonical import entity_key  # noqa: E402
from arabnews_nlp.entities.phrases import ORGANISATIONS_FILE, organisation_rows  # noqa: E402

COLUMNS = ("type", "kb_id", "latin", "country", "lat", "lon", "kind", "population", "names", "keys")
_NON_ARABIC = set("پچژگکیٹڈڑںھہےۀەڕڵێۆ")
_NON_ARABIC_COUNTRIES = {"IR", "PK", "AF", "IN", "TJ"}
_PARENS = re.compile(r"\s*\([^)]*\)")
# US rows of GeoNames are mostly bot-made transliterations of small towns: only big ones with
# a Wikidata (world-cities-ar) spelling are kept.
_US_MIN_POPULATION = 100_000

# Short English names where ISO's is formal (ISO's list gives several for most others).
_LATIN_OVERRIDES = {
    "SY": "Syria",
    "LA": "Laos",
    "MD": "Moldova",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "CF": "Central African Republic",
}
# Arabic spellings news uses that the sources lack (ours).
_COUNTRY_ALIASES = {
    "SY": "سورية",
    "US": "أمريكا|أميركا|الولايات المتحدة الأمريكية|الولايات المتحدة الأميركية",
    "GB": "بريطانيا",
    "AE": "الإمارات",
    "SA": "المملكة العربية السعودية",
    "OM": "سلطنة عمان|عُمان",
    "PS": "دولة فلسطين",
    "KP": "كوريا الشمالية",
    "CD": "الكونغو الديمقراطية",
    "NL": "هولندا",
    "MA": "المغرب",
    "BH": "البحرين",
    "QA": "قطر",
    "MR": "موريتانيا",
    "CI": "كوت ديفوار",
}
#: Regions news names often; ours, with approximate centre points.
REGIONS = [
    ("West Bank", "PS", 31.95, 35.25, "الضفة الغربية|الضفة"),
    ("Gaza Strip", "PS", 31.42, 34.38, "قطاع غزة"),
    ("Sinai", "EG", 29.5, 33.8, "سيناء|شبه جزيرة سيناء"),
    ("Darfur", "SD", 13.5, 24.0, "دارفور|إقليم دارفور"),
    ("Iraqi Kurdistan", "IQ", 36.2, 44.0, "كردستان العراق|إقليم كردستان"),
    ("Golan Heights", "SY", 33.0, 35.75, "الجولان|هضبة الجولان|مرتفعات الجولان"),
    ("Crimea", "UA", 45.3, 34.4, "القرم|شبه جزيرة القرم"),
    ("Donbas", "UA", 48.0, 38.0, "دونباس"),
    ("Kashmir", "IN", 34.0, 75.5, "كشمير"),
    ("Western Sahara", "EH", 24.5, -13.0, "الصحراء الغربية"),
    ("Idlib Governorate", "SY", 35.8, 36.6, "محافظة إدلب|ريف إدلب"),
    ("Aleppo Governorate", "SY", 36.2, 37.3, "محافظة حلب|ريف حلب"),
    ("Deir ez-Zor Governorate", "SY", 35.0, 40.5, "محافظة دير الزور|ريف دير الزور"),
    ("Hasakah Governorate", "SY", 36.6, 40.9, "محافظة الحسكة"),
    ("Daraa Governorate", "SY", 32.75, 36.2, "محافظة درعا|ريف درعا"),
    ("Rif Dimashq", "SY", 33.5, 36.6, "ريف دمشق"),
    ("Latakia Governorate", "SY", 35.6, 36.0, "محافظة اللاذقية|ريف اللاذقية"),
    ("Anbar Governorate", "IQ", 33.4, 42.0, "الأنبار|محافظة الأنبار"),
    ("Nineveh Governorate", "IQ", 36.0, 42.5, "نينوى|محافظة نينوى"),
    ("South Lebanon", "LB", 33.3, 35.4, "جنوب لبنان"),
    ("Hadramaut", "YE", 15.9, 49.0, "حضرموت"),
    ("Marib Governorate", "YE", 15.5, 45.3, "مأرب|محافظة مأرب"),
    ("Cyrenaica", "LY", 31.0, 22.0, "برقة|إقليم برقة"),
    ("Tigray", "ET", 14.0, 38.5, "تيغراي|إقليم تيغراي"),
    ("Kurdistan", "", 37.0, 43.0, "كردستان"),
    ("Hmeimim", "SY", 35.41, 35.95, "حميميم|قاعدة حميميم"),
    ("Middle East", "", 29.0, 41.0, "الشرق الأوسط|منطقة الشرق الأوسط|الشرق الاوسط"),
    ("Africa", "", 2.0, 20.0, "أفريقيا|إفريقيا|القارة الأفريقية|القارة السمراء"),
    ("Europe", "", 50.0, 15.0, "أوروبا|القارة الأوروبية"),
    ("Asia", "", 35.0, 90.0, "آسيا|القارة الآسيوية"),
    ("Latin America", "", -10.0, -60.0, "أمريكا اللاتينية|أميركا اللاتينية"),
    ("Gulf", "", 26.0, 52.0, "الخليج|الخليج العربي|منطقة الخليج"),
    ("Red Sea", "", 20.0, 38.5, "البحر الأحمر"),
    ("Mediterranean Sea", "", 35.0, 18.0, "البحر المتوسط|البحر الأبيض المتوسط|المتوسط"),
]
#: Cities missing from the GeoNames extract (no Arabic alternate name there); ours, with their
#: GeoNames ids and coordinates.
EXTRA_CITIES = [
    ("4140963", "Washington", "US", "38.89511", "-77.03637", "689545", "واشنطن|واشنطن العاصمة"),
]
#: People in the news whose spellings the sources lack or spell otherwise (ours).
PEOPLE = [
    ("Donald Trump", "US", "دونالد ترامب|دونالد ترمب"),
    ("Recep Tayyip Erdoğan", "TR", "رجب طيب أردوغان|رجب طيب اردوغان"),
    ("Abdel Fattah el-Sisi", "EG", "عبد الفتاح السيسي"),
    ("Mohammed bin Salman", "SA", "محمد بن سلمان|الأمير محمد بن سلمان"),
    ("Sergey Lavrov", "RU", "سيرغي لافروف|سيرجي لافروف"),
    ("António Guterres", "PT", "أنطونيو غوتيريش|أنطونيو غوتيريس"),
    ("Hassan Nasrallah", "LB", "حسن نصر الله|حسن نصرالله"),
    ("Emmanuel Macron", "FR", "إيمانويل ماكرون|ايمانويل ماكرون"),
    ("Volodymyr Zelenskyy", "UA", "فولوديمير زيلينسكي"),
    ("Ali Khamenei", "IR", "علي خامنئي|علي خامنئى"),
    ("Masoud Pezeshkian", "IR", "مسعود بزشكيان"),
    ("Keir Starmer", "GB", "كير ستارمر"),
    ("Tamim bin Hamad Al Thani", "QA", "تميم بن حمد آل ثاني"),
    ("Mohamed bin Zayed Al Nahyan", "AE", "محمد بن زايد آل نهيان|محمد بن زايد"),
    ("Abdullah II of Jordan", "JO", "عبد الله الثاني|الملك عبد الله الثاني"),
    ("Asaad al-Shaibani", "SY", "أسعد الشيباني"),
]


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Recep Tayyip Erdoğan" → "recep-tayyip-erdogan")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _tsv_xz(path: Path) -> Iterator[dict[str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _arabic(name: str) -> bool:
    return (
        bool(name) and not _NON_ARABIC & set(name) and any("\u0621" <= c <= "\u064a" for c in name)
    )


def _latin_of_country(value: str | list[str], code: str) -> str:
    if code in _LATIN_OVERRIDES:
        return _LATIN_OVERRIDES[code]
    if isinstance(value, str):
        return value
    # Several forms ("Russian Federation", "Russia", "RU"): the fewest words, not an acronym.
    forms = [v for v in value if not v.replace(".", "").isupper()]
    return min(forms or value, key=lambda v: len(v.split()))


def countries(gaz: Path, points: dict[str, list[float]]) -> list[list[str]]:
    ar = json.loads((gaz / "iso-countries-ar.json").read_text(encoding="utf-8"))["countries"]
    en = json.loads((gaz / "iso-countries-en.json").read_text(encoding="utf-8"))["countries"]
    cldr = json.loads((gaz / "cldr-ar-names" / "territories.json").read_text(encoding="utf-8"))
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in ar.items():
        names[code].append(name)
    for key, name in cldr["main"]["ar"]["localeDisplayNames"]["territories"].items():
        code = key.split("-")[0]
        if code in ar:
            names[code].append(name)
    nat = gaz / "arwikicats-en-ar" / "nationalities" / "nationalities_data.json"
    by_en = {_latin_of_country(v, k).lower(): k for k, v in en.items()}
    for entry in json.loads(nat.read_text(encoding="utf-8")).values():
        code = by_en.get(str(entry.get("en", "")).lower())
        if code and entry.get("ar"):
            names[code].append(_PARENS.sub("", entry["ar"]))
    for code, extra in _COUNTRY_ALIASES.items():
        names[code].extend(extra.split("|"))
    rows = []
    for code in sorted(ar):
        lat, lon = points.get(code, ["", ""])  # Antarctica and a few specks have neither
        spellings = "|".join(dict.fromkeys(n for n in names[code] if _arabic(n)))
        rows.append(
            [
                "place",
                f"iso:{code}",
                _latin_of_country(en[code], code),
                code,
                str(lat),
                str(lon),
                "country",
                "",
                spellings,
            ]
        )
    return rows


def _plain(name: str) -> str:
    """A Latin name without diacritics or ayn/hamza marks ("Al Qāmishlī" → "Al Qamishli")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "‘’ʿʾ`")


def _fold(name: str) -> str:
    return slug(name).replace("-", "")


def cities(gaz: Path) -> list[list[str]]:
    places: dict[str, dict[str, object]] = {}
    by_en: dict[tuple[str, str], str] = {}
    for row in _tsv_xz(
        gaz / "geonames-cities-ar" / "geonames_cities500_arabic_script_names.tsv.xz"
    ):
        cc, pop = row["country_code"], int(row["population"] or 0)
        if row["arabic_letters_only"] != "1" or (cc == "US" and pop < _US_MIN_POPULATION):
            continue
        place = places.setdefault(
            row["geonameid"],
            {
                "latin": row["name"],
                "cc": cc,
                "lat": row["latitude"],
                "lon": row["longitude"],
                "pop": pop,
                "names": [],
            },
        )
        place["names"].append(row["arabic_script_name"])  # type: ignore[union-attr]
        # "New York City" is "New York" in world-cities: both forms find it.
        for name in {row["name"], row["name"].removesuffix(" City")}:
            key = (cc, _fold(name))
            # The biggest place of a name in a country takes the extra spellings below.
            if key not in by_en or int(places[by_en[key]]["pop"]) < pop:  # type: ignore[call-overload]
                by_en[key] = row["geonameid"]
    en_names = json.loads((gaz / "iso-countries-en.json").read_text(encoding="utf-8"))["countries"]
    country_code = {}
    for code, value in en_names.items():
        for form in [value] if isinstance(value, str) else value:
            country_code[form.lower()] = code
    with open(gaz / "world-cities-ar.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = country_code.get(row["CountryNameEn"].lower())
            gid = by_en.get((code or "", _fold(row["CityNameEn"])))
            # "ولاية قندهار" is the province's label, not the city's name: skip prefixed labels.
            if gid and not row["CityNameAr"].startswith(("ولاية ", "محافظة ", "دائرة ", "بلدية ")):
                places[gid]["names"].append(row["CityNameAr"].replace("\u200e", ""))  # type: ignore[union-attr]
                places[gid]["latin"] = row["CityNameEn"]  # the English label, not the local name
                places[gid]["curated"] = True
    rows = [
        ["place", f"geonames:{gid}", latin, cc, lat, lon, "city", pop, names]
        for gid, latin, cc, lat, lon, pop, names in EXTRA_CITIES
    ]
    for gid, p in places.items():
        if p["cc"] == "US" and not p.get("curated"):
            continue  # a bot transliteration only ("موسكو" for Mesquite, Texas)
        spellings = "|".join(dict.fromkeys(n for n in p["names"] if _arabic(n)))  # type: ignore[attr-defined]
        if spellings:
            rows.append(
                [
                    "place",
                    f"geonames:{gid}",
                    _plain(str(p["latin"])),
                    p["cc"],
                    p["lat"],
                    p["lon"],
                    "city",
                    str(p["pop"]),
                    spellings,
                ]
            )
    return rows


_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "von", "van", "der", "of", "the", "ud"}


def _title(name: str) -> str:
    """Title case that leaves name particles low ("bashar al-assad" → "Bashar al-Assad")."""
    words = []
    for i, word in enumerate(name.split()):
        parts = word.split("-")
        parts = [
            p if (p in _PARTICLES and (i or j)) else p[:1].upper() + p[1:]
            for j, p in enumerate(parts)
        ]
        words.append("-".join(parts))
    return " ".join(words)


def people(gaz: Path) -> list[list[str]]:
    """One row per Latin name (its Arabic spellings merged), most attested English spelling."""
    spellings: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for row in _tsv_xz(gaz / "wikidata-person-names-ar" / "full_names.tsv.xz"):
        name = row["arabic_key"]
        if (
            row["source"] != "wikidata"
            or row["country"] in _NON_ARABIC_COUNTRIES
            or not _arabic(name)
            or len(name.split()) < 2
        ):
            continue
        # English labels first: French ones ("el-Charaa") are a second choice.
        weight = int(row["count"] or 1) * (10 if row["latin_lang"] == "en" else 1)
        spellings[name][(row["latin"], row["country"])] += weight
    famous = json.loads((gaz / "arwikicats-en-ar" / "people" / "peoples.json").read_text("utf-8"))
    for en, ar in famous.items():
        name = _PARENS.sub("", ar)
        if _arabic(name) and len(name.split()) >= 2:
            # Famous people override: their English title is the spelling news uses.
            spellings[name][(_title(en), "")] += 1000
    for latin, cc, names in PEOPLE:
        for name in names.split("|"):
            spellings[name][(latin, cc)] += 1000
    # Spellings that differ only in hamza or ta marbuta (ليونيل/ليونيل) are one name.
    merged: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    raw: dict[str, list[str]] = defaultdict(list)
    for name, options in spellings.items():
        merged[entity_key(name)].update(options)
        raw[entity_key(name)].append(name)
    by_id: dict[str, dict[str, object]] = {}
    for key, options in merged.items():
        (latin, cc), _ = options.most_common(1)[0]
        if not cc:  # a famous person: take a country from the Wikidata rows when there is one
            cc = next((c for (_, c), _ in options.most_common() if c), "")
        kb_id = f"person:{slug(latin)}"
        if kb_id == "person:":
            continue
        entry = by_id.setdefault(kb_id, {"latin": latin, "cc": cc, "names": [], "famous": False})
        entry["names"].extend(raw[key])  # type: ignore[attr-defined]
        entry["famous"] = entry["famous"] or options.most_common(1)[0][1] >= 1000
    return [
        [
            "person",
            kb_id,
            e["latin"],
            e["cc"],
            "",
            "",
            "famous" if e["famous"] else "",
            "",
            "|".join(e["names"]),  # type: ignore[arg-type]
        ]
        for kb_id, e in sorted(by_id.items())
    ]


def organisations(gaz: Path) -> list[list[str]]:
    rows = []
    seen: set[str] = set()
    for row in organisation_rows():
        latin, cc, kind, names = row["latin"], row["country"], row["kind"], row["names"]
        kb_id = f"org:{slug(latin)}"
        if kb_id in seen:
            raise ValueError(f"{ORGANISATIONS_FILE.name}: two rows make {kb_id}")
        seen.add(kb_id)
        rows.append(["org", kb_id, latin, cc, "", "", kind, "", names])
    for file, kind in (("Clubs_key.json", "club"), ("inter_federations.json", "federation")):
        table = json.loads((gaz / "arwikicats-en-ar" / "sports" / file).read_text("utf-8"))
        for en, ar in table.items():
            kb_id = f"org:{slug(en)}"
            name = _PARENS.sub("", ar).strip()
            if kb_id in seen or not _arabic(name) or kb_id == "org:":
                continue
            seen.add(kb_id)
            # "al-ahly s.c." → "Al-Ahly S.C.": abbreviations upper-cased.
            latin = " ".join(w.upper() if "." in w else _title(w) for w in en.split())
            rows.append(["org", kb_id, latin, "", "", "", kind, "", name])
    return rows


def nisbas(gaz: Path) -> list[list[str]]:
    """Nationality adjectives of every ISO country (all genders and numbers, with the article)."""
    en = json.loads((gaz / "iso-countries-en.json").read_text(encoding="utf-8"))["countries"]
    by_en = {_latin_of_country(v, k).lower(): k for k, v in en.items()}
    for code, value in en.items():
        for form in [value] if isinstance(value, str) else value:
            by_en.setdefault(form.lower(), code)
    nat = json.loads(
        (gaz / "arwikicats-en-ar/nationalities/nationalities_data.json").read_text("utf-8")
    )
    forms: dict[str, list[str]] = defaultdict(list)
    for entry in nat.values():
        code = by_en.get(str(entry.get("en", "")).lower())
        if code:
            for field in ("male", "males", "female", "females", "the_male", "the_female"):
                word = entry.get(field) or ""
                # News spells "American" both أمريكي and أميركي.
                forms[code] += [word, word.replace("أمريك", "أميرك")] if word else []
    return [
        ["nisba", f"iso:{code}", "", code, "", "", "", "", "|".join(dict.fromkeys(words))]
        for code, words in sorted(forms.items())
    ]


def _given_names(gaz: Path, min_count: int = 5) -> set[str]:
    """Keys of words that open at least ``min_count`` Wikidata full names (given names)."""
    counts: Counter[str] = Counter()
    for row in _tsv_xz(gaz / "wikidata-person-names-ar" / "full_names.tsv.xz"):
        words = row["arabic_key"].split()
        if len(words) > 1:
            counts[entity_key(words[0])] += 1
    return {w for w, n in counts.items() if n >= min_count}


def with_keys(rows: list[list[str]], given: set[str]) -> list[list[str]]:
    """Append the search keys of each row's names (the library's own normalization); a famous
    person also gets ``~`` + the key of their family name (بوتين alone), unless that word is
    a common given name (محمد of "مهاتير محمد")."""
    out = []
    for r in rows:
        keys = [entity_key(n) for n in r[8].split("|")]
        if r[0] == "person" and r[6] == "famous":
            keys += ["~" + k.split()[-1] for k in keys if k.split()[-1] not in given]
        out.append([*r, "|".join(dict.fromkeys(keys))])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src/arabnews_nlp/resources/kb")
    args = parser.parse_args()
    gaz = args.shared / "data" / "gazetteers"
    points_file = args.out / "country_points.json"
    points = json.loads(points_file.read_text("utf-8")) if points_file.exists() else {}
    regions = [
        ["place", f"region:{slug(latin)}", latin, cc, str(lat), str(lon), "region", "", names]
        for latin, cc, lat, lon, names in REGIONS
    ]
    places = cities(gaz)
    # Countries without an outline (small islands): the point of their biggest listed place.
    for row in sorted(places, key=lambda r: int(r[7])):
        if row[3] not in points:
            points[row[3]] = [row[4], row[5]]
    rows = countries(gaz, points) + regions + places
    known = {entity_key(n) for r in rows for n in r[8].split("|")}
    geonames = gaz / "geonames-cities-ar" / "geonames_cities500_arabic_script_names.tsv.xz"
    rows += admin1_regions(
        gaz / "arwikicats-en-ar" / "geography",
        (r for r in _tsv_xz(geonames) if r["arabic_letters_only"] == "1"),
        entity_key,
        _fold,
        known,
    )
    rows += people(gaz) + organisations(gaz)
    rows = with_keys(rows + nisbas(gaz), _given_names(gaz))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "entities.tsv.gz"
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as raw:
        lines = ["\t".join(COLUMNS)] + ["\t".join(r) for r in rows]
        raw.write(("\n".join(lines) + "\n").encode("utf-8"))
    counts = Counter((r[0], r[6]) for r in rows)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {len(rows)} rows)")
    for (kind, sub), n in sorted(counts.items()):
        print(f"  {kind:7} {sub or '-':10} {n}")


if __name__ == "__main__":
    main()
