"""A griffe extension for the docs build: render docstring doctests as code, not Markdown.

griffe's Google-style parser turns ``>>>`` lines into highlighted console sessions only inside an
``Examples:`` section. The package's docstrings also say ``Example:`` (which griffe only knows as
a generic admonition) and put bare doctests in the running text; both would be rendered as
Markdown block quotes. Before parsing, this extension

* renames a section-level ``Example:`` header to ``Examples:``, and
* fences a bare doctest run at the top level of a docstring as a ```` ```pycon ```` block, with
  its ``# doctest:`` flags trimmed as griffe does in sections, and
* expands grouped parameters (``a, b, c: shared description``, which Google style lacks but
  NumPy style has) into one entry per name.

The docstrings themselves stay as they are (``tests/test_docs_examples.py`` runs them). Wired in
``mkdocs.yml`` under ``plugins.mkdocstrings.handlers.python.options.extensions``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# A line holding only "Example:" at any indentation: the header of a Google-style section.
_EXAMPLE_HEADER = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)
_DOCTEST_FLAGS = re.compile(r"\s*#\s*doctest:.+$")
_PARAM_SECTION = re.compile(
    r"^(?P<indent>[ \t]*)(Args|Arguments|Params|Parameters|Keyword Args|Other Parameters):[ \t]*$"
)
_NAME_LIST = re.compile(r"^\*{0,2}\w+(\s*,\s*\*{0,2}\w+)*\s*,?$")


def rename_example_sections(text: str) -> str:
    """Rename section-level ``Example:`` headers to ``Examples:``.

    Example:
        >>> rename_example_sections("Summary.\\n\\nExample:\\n    >>> 1 + 1\\n    2\\n")
        'Summary.\\n\\nExamples:\\n    >>> 1 + 1\\n    2\\n'
        >>> rename_example_sections("An Example: inline")
        'An Example: inline'
    """
    return _EXAMPLE_HEADER.sub(r"\g<indent>Examples:", text)


def fence_bare_doctests(text: str) -> str:
    """Fence unindented doctest runs (``>>>`` through the next blank line) as ``pycon`` code.

    Indented runs belong to a section (``Examples:``, ``Args:``...) and are left to griffe.

    Example:
        >>> fence_bare_doctests("Sum.\\n>>> 1 + 1  # doctest: +SKIP\\n2\\n\\nMore.").splitlines()
        ['Sum.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith(">>>"):
            out.append(lines[i])
            i += 1
            continue
        if out and out[-1].strip():
            out.append("")  # a fence must start its own block
        out.append("```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(_DOCTEST_FLAGS.sub("", lines[i]))
            i += 1
        out += ["```", ""] if i < len(lines) else ["```"]
        if i < len(lines) and not lines[i].strip():
            i += 1  # the blank line after the run is already there
    return "\n".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def expand_grouped_params(text: str) -> str:
    """Split ``a, b: description`` entries of parameter sections into one entry per name.

    The names may wrap onto the next lines (a trailing comma continues the list).

    Example:
        >>> doc = "Args:\\n    x, y: Coordinates\\n        in pixels.\\n    z: Depth."
        >>> print(expand_grouped_params(doc))
        Args:
            x: Coordinates
                in pixels.
            y: Coordinates
                in pixels.
            z: Depth.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = _PARAM_SECTION.match(lines[i])
        out.append(lines[i])
        i += 1
        if not header:
            continue
        base = len(header["indent"])
        item = -1  # the indentation of the section's entries, set by the first one
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
            line = lines[i]
            if item < 0 and line.strip():
                item = _indent(line)
            names, _, rest = line.strip().partition(":")
            if _indent(line) != item:  # a blank line or a description's continuation
                out.append(line)
                i += 1
                continue
            j = i + 1
            # A name list that wraps: "a, b,\n    c: description".
            while names.endswith(",") and j < len(lines) and not rest and _indent(lines[j]) > item:
                more, _, rest = lines[j].strip().partition(":")
                names, j = f"{names} {more}", j + 1
            if "," not in names or not _NAME_LIST.match(names.strip()):
                out.append(line)
                i += 1
                continue
            body = []
            while j < len(lines) and lines[j].strip() and _indent(lines[j]) > item:
                body.append(lines[j])
                j += 1
            for name in (n.strip() for n in names.split(",")):
                if name:
                    out.append(f"{' ' * item}{name}:{rest}")
                    out.extend(body)
            i = j
    return "\n".join(out)


class ExampleSections(griffe.Extension):
    """Apply the rewrites to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = rename_example_sections(obj.docstring.value)
            text = expand_grouped_params(text)
            obj.docstring.value = fence_bare_doctests(text)
