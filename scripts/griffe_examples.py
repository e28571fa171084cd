"""A griffe extension for the docs build: render docstring doctests as code, not Markdown.

griffe's Google-style parser turns ``>>>`` lines into highlighted console sessions only inside an
``Examples:`` section. The package's docstrings also say ``Example:`` (which griffe only knows as
a generic admonition) and put bare doctests in the running text; both would be rendered as
Markdown block quotes. Before parsing, this extension

* renames a section-level ``Example:`` header to ``Examples:``, and
* fences a bare doctest run at the top level of a docstring as a ```` ```pycon ```` block, with
  its ``# doctest:`` flags trimmed as griffe does in sections.

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


class ExampleSections(griffe.Extension):
    """Apply both rewrites to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            text = rename_example_sections(obj.docstring.value)
            obj.docstring.value = fence_bare_doctests(text)
