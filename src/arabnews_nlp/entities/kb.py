"""The shipped knowledge table: places, people and organisations with ids, Latin names, countries.

Built by ``scripts/build_kb.py`` from the gazetteers in ``../shared`` (GeoNames CC BY 4.0,
Wikidata CC0, ISO/CLDR names, ArWikiCats MIT, a few lists of ours; see
``docs/models/knowledge-table.md``) into ``resources/kb/entities.tsv.gz``. Ids:

* ``geonames:<id>`` for cities and towns, ``iso:<CC>`` for countries, ``region:<slug>`` for
  the regions we list;
* ``person:<slug>`` for people (the Latin name's slug: the data carries no Wikidata ids, so the
  id stands for a name, which may be shared by namesakes);
* ``org:<slug>`` for organisations.

Example:
    >>> kb = load_kb()
    >>> [e.kb_id for e in kb.lookup("موسكو")][:1]
    ['geonames:524901']
    >>> kb["iso:SY"].latin, kb["iso:SY"].kind
    ('Syria', 'country')
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from arabnews_nlp.entities.canonical import entity_key

__all__ = ["KBEntry", "KnowledgeBase", "load_kb", "shadda_form"]

#: Folder of the shipped table, the world outlines and the transliteration model.
KB_DIR = Path(__file__).resolve().parents[1] / "resources" / "kb"
KB_FILE = "entities.tsv.gz"
_HARAKAT = {chr(c) for c in range(0x064B, 0x0653) if c != 0x0651} | {"\u0670", "\u0640"}
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


@dataclass(frozen=True)
class KBEntry:
    """One row of the knowledge table.

    Attributes:
        type: ``"place"``, ``"person"`` or ``"org"``.
        kb_id: The stable id (see the module docstring).
        latin: The English/Latin name.
        country: ISO 3166-1 alpha-2 code ("" when unknown or international).
        lat: Latitude (places), else None.
        lon: Longitude (places), else None.
        kind: ``country``/``region``/``city`` for places; ``famous`` for well-known people;
            ``body``/``club``/``federation`` for organisations.
        population: GeoNames population for cities (0 when unknown).
        names: The Arabic spellings, diacritics kept where the source has them.
    """

    type: str
    kb_id: str
    latin: str
    country: str
    lat: float | None
    lon: float | None
    kind: str
    population: int
    names: tuple[str, ...]


def shadda_form(name: str) -> str:
    """The letters and shaddas of a name, other marks dropped and alef/ta marbuta folded.

    >>> shadda_form("عَمَّان") == shadda_form("عمّان") != shadda_form("عمان")
    True
    """
    return "".join(c for c in name if c not in _HARAKAT).translate(_FOLD)


class KnowledgeBase:
    """The knowledge table, indexed by the search key of every Arabic spelling.

    Args:
        rows: Rows of the table's columns (see ``scripts/build_kb.py``).
    """

    def __init__(self, lines: list[str]) -> None:
        # Rows stay raw strings until asked for: building 60k entries up front costs more than
        # the whole lookup work of a typical corpus run (the table loads in ≤ 0.5 s).
        self._lines = lines
        self._entries: dict[int, KBEntry] = {}
        self._by_id: dict[str, int] | None = None
        self._index: dict[str, list[int]] = {}
        #: nationality adjective key → ISO code ("اللبنانيه" → "LB").
        self.nisba: dict[str, str] = {}
        index = self._index
        for i, line in enumerate(lines):
            keys = line[line.rindex("\t") + 1 :]
            if line.startswith("nisba"):
                self.nisba.update(dict.fromkeys(keys.split("|"), line.split("\t", 4)[3]))
                continue
            for key in keys.split("|"):
                if key in index:
                    index[key].append(i)
                else:
                    index[key] = [i]

    def _entry(self, i: int) -> KBEntry:
        entry = self._entries.get(i)
        if entry is None:
            kind_of_row, kb_id, latin, country, lat, lon, kind, pop, names, _ = self._lines[
                i
            ].split("\t")
            entry = KBEntry(
                kind_of_row,
                kb_id,
                latin,
                country,
                float(lat) if lat else None,
                float(lon) if lon else None,
                kind,
                int(pop) if pop else 0,
                tuple(names.split("|")),
            )
            self._entries[i] = entry
        return entry

    def _ids(self) -> dict[str, int]:
        if self._by_id is None:
            self._by_id = {
                line.split("\t", 2)[1]: i
                for i, line in enumerate(self._lines)
                if not line.startswith("nisba")
            }
        return self._by_id

    @classmethod
    def load(cls, path: str | Path | None = None) -> KnowledgeBase:
        """Read a table written by ``scripts/build_kb.py`` (default: the shipped one)."""
        data = Path(KB_DIR / KB_FILE if path is None else path).read_bytes()
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        return cls(lines[1:])

    def __getitem__(self, kb_id: str) -> KBEntry:
        return self._entry(self._ids()[kb_id])

    def get(self, kb_id: str | None) -> KBEntry | None:
        """The entry of an id, or None."""
        i = self._ids().get(kb_id) if kb_id else None
        return None if i is None else self._entry(i)

    def __len__(self) -> int:
        return len(self._ids())

    def __iter__(self) -> Iterator[KBEntry]:
        return (self._entry(i) for i in self._ids().values())

    def lookup(self, name: str) -> list[KBEntry]:
        """Every entry one of whose spellings has the search key of ``name``."""
        return self.lookup_key(entity_key(name))

    def lookup_key(self, key: str) -> list[KBEntry]:
        """Like :meth:`lookup` for an already search-normalized key."""
        return [self._entry(i) for i in self._index.get(key, ())]


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The shipped knowledge table, loaded once per process."""
    return KnowledgeBase.load()
