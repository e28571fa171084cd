"""Checks on decoded record values that every format shares: JSON with duplicate keys or
too deep a nesting, and text that held bytes invalid in the declared encoding.

A JSON object with two ``"id"`` keys would silently keep the last one, and a value nested
100,000 levels deep raises ``RecursionError`` in any recursive code that touches it (the
JSON decoder, the writers, pickle). Both become the record's error here, never the run's.

Example:
    >>> parse_json('{"title": "خبر", "title": "خبر آخر"}')
    Traceback (most recent call last):
    ...
    arabnews_nlp.corpus.errors.RecordProblem: duplicate key 'title'
    >>> check_value({"meta": {"a": [[["عمق"]]]}}) is None
    True
    >>> check_value({"title": "عنوان \\udcff"}).reason
    'title contains bytes that are not valid utf-8'
"""

from __future__ import annotations

import json
import re
from typing import Any

from arabnews_nlp.corpus.errors import RecordProblem

__all__ = ["MAX_DEPTH", "JsonParser", "check_value", "parse_json"]

#: Deepest nesting of lists/objects accepted in a record (real metadata needs fewer than 10).
MAX_DEPTH = 100
# Lone surrogates are what `errors="surrogateescape"` turns undecodable bytes into; any
# surrogate (also a JSON "\\ud800" escape) cannot be written back as UTF-8.
SURROGATE = re.compile("[\ud800-\udfff]")
# Strings (escapes included) and brackets: enough to find where a JSON value ends without
# recursion, when the decoder itself gave up on its depth.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JsonParser:
    """``json.JSONDecoder.raw_decode`` that reports duplicate keys and deep nesting as a
    :class:`RecordProblem` (with the end of the value, so a stream can go on after it)."""

    def __init__(self) -> None:
        self._duplicates: list[str] = []
        self._decoder = json.JSONDecoder(object_pairs_hook=self._object)

    def _object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(pairs)
        if len(value) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self._duplicates.append(key)
                seen.add(key)
        return value

    def raw_decode(self, text: str, pos: int = 0) -> tuple[Any, int, RecordProblem | None]:
        """``(value, end, problem)``; ``problem`` is set for a duplicate key or a value nested
        too deeply (then ``value`` is None). Raises ``json.JSONDecodeError`` for bad syntax
        and ``ValueError`` when a too-deep value is not complete in ``text``."""
        self._duplicates.clear()
        try:
            value, end = self._decoder.raw_decode(text, pos)
        except RecursionError:
            deep_end = value_end(text, pos)
            if deep_end is None:
                raise ValueError("incomplete deeply nested value") from None
            problem = RecordProblem("too_deep", f"nested deeper than {MAX_DEPTH} levels")
            return None, deep_end, problem
        if self._duplicates:
            return value, end, RecordProblem("parse", f"duplicate key {self._duplicates[0]!r}")
        return value, end, None


def parse_json(text: str) -> Any:
    """A whole JSON text; raises :class:`RecordProblem` for duplicate keys, deep nesting and
    bad syntax alike."""
    try:
        value, end, problem = JsonParser().raw_decode(text, len(text) - len(text.lstrip()))
    except ValueError as exc:  # JSONDecodeError included
        raise RecordProblem("parse", f"malformed JSON: {exc}") from None
    if problem is not None:
        raise problem
    if text[end:].strip():
        raise RecordProblem("parse", f"malformed JSON: extra data (column {end + 1})")
    return value


def value_end(text: str, pos: int) -> int | None:
    """Index just after the JSON array/object starting at ``pos`` (by bracket counting, no
    recursion), or None when it does not end within ``text``."""
    depth = 0
    for token in _TOKENS.finditer(text, pos):
        char = token.group()[0]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def check_value(data: Any, encoding: str = "utf-8") -> RecordProblem | None:
    """Why a decoded record cannot be kept: nesting deeper than :data:`MAX_DEPTH`, or text
    (keys included) holding undecodable bytes; None when it is fine. Iterative, so any depth
    is safe to check."""
    strings = _strings(data)
    if strings is None:
        return RecordProblem("too_deep", f"nested deeper than {MAX_DEPTH} levels")
    # One search over all the text; which field holds it is looked for only after a hit.
    if not SURROGATE.search("".join(strings)):
        return None
    culprit = "a value"
    if isinstance(data, dict):
        culprit = next(
            (str(key) for key, value in data.items() if _holds_surrogate(value)), "a key"
        )
    return RecordProblem("decode", f"{culprit} contains bytes that are not valid {encoding}")


def _holds_surrogate(value: Any) -> bool:
    return bool(SURROGATE.search("".join(_strings(value) or [])))


def _strings(data: Any) -> list[str] | None:
    """Every string in ``data`` (dict keys included); None when it nests deeper than
    :data:`MAX_DEPTH`."""
    if isinstance(data, str):
        return [data]
    strings: list[str] = []
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return None
        if isinstance(value, dict):
            strings.extend(key for key in value if isinstance(key, str))
            value = value.values()
        elif not isinstance(value, (list, tuple)):
            continue
        for item in value:
            if isinstance(item, str):
                strings.append(item)
            elif isinstance(item, (dict, list, tuple)):
                stack.append((item, depth + 1))
    return strings
