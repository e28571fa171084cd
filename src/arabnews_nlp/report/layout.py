"""What the report page holds: how many articles and entities it lists."""

from __future__ import annotations

__all__ = ["COOCCURRENCE_N", "DEFAULT_ARTICLES", "LABEL_NAMES", "TOP_N"]

#: Articles given a full block by default; beyond this the page would weigh tens of MB.
DEFAULT_ARTICLES = 1000
#: Entities per label in the top lists, and in the co-occurrence heat map.
TOP_N = 15
COOCCURRENCE_N = 12
LABEL_NAMES = {"PER": "أشخاص", "LOC": "أماكن", "ORG": "مؤسسات"}
