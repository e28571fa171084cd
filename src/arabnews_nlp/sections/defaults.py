"""The section model's default training settings, importable without scikit-learn, so that
``arabnews train sections`` shows them as its option defaults.

Example:
    >>> from arabnews_nlp.sections.classifier import SectionClassifier
    >>> SectionClassifier().C == DEFAULT_C and SectionClassifier().min_df == DEFAULT_MIN_DF
    True
"""

from __future__ import annotations

__all__ = ["DEFAULT_C", "DEFAULT_MIN_DF", "DEFAULT_TEST_SIZE"]

#: The linear SVM's regularization (inverse): :class:`SectionClassifier`'s ``C``.
DEFAULT_C = 0.05
#: Terms in fewer articles are dropped: :class:`SectionClassifier`'s ``min_df``.
DEFAULT_MIN_DF = 2
#: Share of the articles held out for the report by
#: :func:`~arabnews_nlp.sections.train.train_sections`.
DEFAULT_TEST_SIZE = 0.2
