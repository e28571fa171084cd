"""A griffe extension for the docs build: render ``Example:`` docstring sections as code.

The package's docstrings say ``Example:`` (one example per object), which griffe's Google-style
parser only knows as a generic admonition: its ``>>>`` lines would be rendered as Markdown
block quotes. This extension renames a section-level ``Example:`` to ``Examples:`` before
parsing, so the doctests show as highlighted Python console sessions. The docstrings themselves
stay as they are (they are run by ``tests/test_docs_examples.py``).

Wired in ``mkdocs.yml`` under ``plugins.mkdocstrings.handlers.python.options.extensions``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# A line holding only "Example:" at any indentation: the header of a Google-style section.
_EXAMPLE_HEADER = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)


def rename_example_sections(text: str) -> str:
    """Rename section-level ``Example:`` headers to ``Examples:``.

    Example:
        >>> rename_example_sections("Summary.\\n\\nExample:\\n    >>> 1 + 1\\n    2\\n")
        'Summary.\\n\\nExamples:\\n    >>> 1 + 1\\n    2\\n'
        >>> rename_example_sections("An Example: inline")
        'An Example: inline'
    """
    return _EXAMPLE_HEADER.sub(r"\g<indent>Examples:", text)


class ExampleSections(griffe.Extension):
    """Apply :func:`rename_example_sections` to every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rename_example_sections(obj.docstring.value)
