"""The five-section taxonomy, its Arabic display names and the mapping from source labels.

News outlets file stories under many section names; the shipped model predicts five broad
sections. :func:`map_label` folds a source's label onto them (ANT v2.1 categories, common
English and Arabic section names), so any labelled corpus can be evaluated against the
shipped model.

Example:
    >>> from arabnews_nlp.sections import TAXONOMY, display_name, map_label
    >>> TAXONOMY
    ('politics', 'economy', 'sports', 'culture', 'technology')
    >>> display_name("sports")
    'رياضة'
    >>> map_label("middleEast"), map_label("internationalNews"), map_label("اقتصاد")
    ('politics', 'politics', 'economy')
    >>> map_label("weather") is None
    True
"""

from __future__ import annotations

from types import MappingProxyType

from arabnews_nlp.normalize import normalize

__all__ = ["DISPLAY_NAMES", "TAXONOMY", "display_name", "map_label"]

#: The section names the shipped model predicts, in a fixed order.
TAXONOMY: tuple[str, ...] = ("politics", "economy", "sports", "culture", "technology")

#: Arabic display name of every section.
DISPLAY_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "politics": "سياسة",
        "economy": "اقتصاد",
        "sports": "رياضة",
        "culture": "ثقافة",
        "technology": "تكنولوجيا",
    }
)

#: ANT v2.1 category → taxonomy section. Regional and world news are both "politics".
_ANT_MAPPING: MappingProxyType[str, str] = MappingProxyType(
    {
        "middleEast": "politics",
        "internationalNews": "politics",
        "economy": "economy",
        "sport": "sports",
        "culture": "culture",
        "technology": "technology",
    }
)

# Other common section names (English slugs and Arabic headings), matched after
# search-normalization and lowercasing, so "رياضة" and "رياضه" or "Sport" all match.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "politics": (
        "politics",
        "political",
        "world",
        "world news",
        "international",
        "middle east",
        "mideast",
        "arab",
        "سياسة",
        "سياسي",
        "سياسية",
        "عربي",
        "دولي",
        "عالمي",
        "عربي ودولي",
        "الشرق الأوسط",
        "أخبار العالم",
    ),
    "economy": (
        "economy",
        "economics",
        "business",
        "finance",
        "markets",
        "money",
        "اقتصاد",
        "اقتصادي",
        "أعمال",
        "مال",
        "مال وأعمال",
        "أسواق",
    ),
    "sports": ("sport", "sports", "football", "رياضة", "رياضي", "كرة القدم"),
    "culture": (
        "culture",
        "arts",
        "art",
        "entertainment",
        "lifestyle",
        "ثقافة",
        "ثقافي",
        "فن",
        "فنون",
        "ثقافة وفن",
        "منوعات",
        "فن وثقافة",
    ),
    "technology": (
        "technology",
        "tech",
        "science",
        "science and technology",
        "sci-tech",
        "تكنولوجيا",
        "تقنية",
        "علوم",
        "علوم وتكنولوجيا",
        "تكنولوجيا وعلوم",
    ),
}


def _key(label: str) -> str:
    return " ".join(normalize(label, profile="search").replace("_", " ").replace("-", " ").split())


_LOOKUP: dict[str, str] = {}
for _section, _names in _SYNONYMS.items():
    for _name in (*_names, _section, DISPLAY_NAMES[_section]):
        _LOOKUP[_key(_name)] = _section
for _ant, _section in _ANT_MAPPING.items():
    _LOOKUP[_key(_ant)] = _section
# "international news" after splitting the ANT camelCase name, too.
_LOOKUP[_key("international news")] = "politics"


def map_label(label: str | None) -> str | None:
    """The taxonomy section for a source's section label, or None when it has none.

    Args:
        label: A section name as a source wrote it (``"sport"``, ``"middleEast"``,
            ``"اقتصاد"``, ``"Science & Technology"``...).

    Returns:
        One of :data:`TAXONOMY`, or None for an empty or unknown label.

    Example:
        >>> map_label("Sport"), map_label("رياضه"), map_label(" culture ")
        ('sports', 'sports', 'culture')
    """
    if not label:
        return None
    key = _key(label.replace("&", " and "))
    return _LOOKUP.get(key)


def display_name(section: str) -> str:
    """The Arabic display name of a taxonomy section (the section itself when unknown).

    Example:
        >>> display_name("economy")
        'اقتصاد'
    """
    return DISPLAY_NAMES.get(section, section)
