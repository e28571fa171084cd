"""``read_articles``: one streaming entry point for every input format.

Example:
    >>> import json, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> lines = [{"title": "افتتاح معرض الكتاب", "body": "افتتح المعرض أبوابه صباح اليوم."},
    ...          {"title": "خبر بلا نص"}]
    >>> _ = (folder / "news.jsonl").write_text(
    ...     "\\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\\n", encoding="utf-8")
    >>> reader = read_articles(folder / "news.jsonl")
    >>> [a.title for a in reader]
    ['افتتاح معرض الكتاب']
    >>> [str(e).split(": ", 1)[1] for e in reader.report.errors]
    ['missing body']
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from importlib import import_module
from typing import IO, Any

from arabnews_nlp.article import Article
from arabnews_nlp.corpus.errors import ERROR_POLICIES, CorpusError, ReadReport, RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, RecordProblem, build_article
from arabnews_nlp.corpus.sniff import EXTENSIONS, FORMATS, is_binary, sniff_format
from arabnews_nlp.corpus.sources import STREAM_ERRORS, PathsLike, Source, iter_sources
from arabnews_nlp.corpus.streams import source_encoding, to_utf8, with_head

__all__ = ["ArticleReader", "read_articles"]


FormatReader = Callable[[Source, IO[bytes], ReadOptions], Iterator[RawRecord | RecordError]]
# "module:function"; imported on first use so reading JSON never imports pyarrow or trafilatura.
_READERS = {
    "jsonl": "jsonfmt:read_jsonl",
    "json": "jsonfmt:read_json",
    "csv": "tabular:read_csv",
    "tsv": "tabular:read_tsv",
    "parquet": "tabular:read_parquet",
    "text": "text:read_text",
    "html": "html:read_html",
    "ant": "ant:read_ant",
    "pagedump": "pagedump:read_pagedump",
}
_BINARY_FORMATS = frozenset({"parquet"})


def _format_reader(name: str) -> FormatReader:
    module, function = _READERS[name].split(":")
    reader: FormatReader = getattr(import_module(f"arabnews_nlp.corpus.{module}"), function)
    return reader


class ArticleReader(Iterator[Article]):
    """The iterator :func:`read_articles` returns; ``.report`` holds errors and counts.

    Reading is lazy: nothing is opened until iteration starts, and each file is closed
    before the next is opened.
    """

    def __init__(
        self,
        paths: PathsLike,
        format: str | None = None,
        *,
        errors: str = "collect",
        report: ReadReport | None = None,
        **options: Any,
    ) -> None:
        if format is not None and format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; expected one of {list(FORMATS)}")
        if errors not in ERROR_POLICIES:
            raise ValueError(f"errors must be one of {list(ERROR_POLICIES)}, not {errors!r}")
        self.paths = paths
        self.format = format
        self.errors = errors
        self.options = ReadOptions.from_kwargs(**options)
        self.report = report if report is not None else ReadReport()
        self._seen: set[str] = set()
        self._iterator: Generator[Article, None, None] = self._articles()

    def __iter__(self) -> ArticleReader:
        return self

    def __next__(self) -> Article:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and close the current file (also done when the iterator is collected)."""
        self._iterator.close()

    def _fail(self, error: RecordError) -> None:
        self.report.add(error, keep=self.errors != "skip")
        if self.errors == "raise":
            raise CorpusError(error)

    def _articles(self) -> Generator[Article, None, None]:
        for source in iter_sources(self.paths, follow_symlinks=self.options.follow_symlinks):
            if isinstance(source, RecordError):
                self._fail(source)
                continue
            self.report.files += 1
            yield from self._read_source(source)

    def _read_source(self, source: Source) -> Iterator[Article]:
        try:
            with source.open() as raw:
                head, stream = with_head(raw)
                name, options, stream = self._prepare(source, head, stream)
                records = _format_reader(name)(source, stream, options)
                for item in records:
                    if isinstance(item, RecordError):
                        self._fail(item)
                    else:
                        article = self._accept(source, item)
                        if article is not None:
                            yield article
        except RecordProblem as problem:
            self._fail(RecordError(source.name, None, problem.reason, problem.kind))
        except STREAM_ERRORS as exc:
            # A damaged compressed stream or a vanished file: report, go on with the next.
            self._fail(RecordError(source.name, None, f"read failed: {exc}", "io"))
        except CorpusError:
            raise  # errors="raise" asked for it
        except Exception as exc:  # whatever a file does, the run goes on
            reason = f"reading stopped: {type(exc).__name__}: {exc}"
            self._fail(RecordError(source.name, None, reason, "parse"))

    def _prepare(
        self, source: Source, head: bytes, stream: IO[bytes]
    ) -> tuple[str, ReadOptions, IO[bytes]]:
        """The reader name, the options and the stream to read: UTF-16/32 text (a BOM, or
        ``encoding=``) is transcoded to UTF-8 first, so every reader splits lines in bytes."""
        options = self.options
        binary = head.startswith(b"PAR1") or (
            (self.format or EXTENSIONS.get(source.suffix)) in _BINARY_FORMATS
        )
        if not binary:
            encoding = source_encoding(head, options.encoding)
            utf8, encoding = to_utf8(stream, encoding)
            if utf8 is not stream:
                head, stream = with_head(utf8)
                options = replace(options, encoding=encoding)
        return self._detect(source, head, options.encoding), options, stream

    def _detect(self, source: Source, head: bytes, encoding: str) -> str:
        name = self.format or sniff_format(source.suffix, head, encoding)
        if name not in _BINARY_FORMATS:
            if not head.removeprefix(b"\xef\xbb\xbf").strip():
                raise RecordProblem("empty", "empty file")
            if is_binary(head, encoding):
                raise RecordProblem("format", f"binary content, not {name} text")
        if source.size is not None and source.size == 0:
            raise RecordProblem("empty", "empty file")
        return name

    def _accept(self, source: Source, raw: RawRecord) -> Article | None:
        try:
            article, warning = build_article(raw.data, self.options)
        except RecordProblem as problem:
            self._fail(RecordError(source.name, raw.record, problem.reason, problem.kind))
            return None
        except Exception as exc:  # one record's surprise is that record's error
            reason = f"cannot build the article: {type(exc).__name__}: {exc}"
            self._fail(RecordError(source.name, raw.record, reason, "parse"))
            return None
        if warning:
            self.report.warn(RecordError(source.name, raw.record, warning, "date"))
        if article.id in self._seen:
            self._fail(
                RecordError(source.name, raw.record, f"duplicate id {article.id!r}", "duplicate")
            )
            if self.options.duplicates == "drop":
                return None
        else:
            self._seen.add(article.id)
        self.report.read += 1
        return article


def read_articles(
    paths: PathsLike,
    format: str | None = None,
    *,
    errors: str = "collect",
    report: ReadReport | None = None,
    **options: Any,
) -> ArticleReader:
    """Stream :class:`~arabnews_nlp.article.Article` objects from files in any supported format.

    Args:
        paths: A path, a glob (``"data/**/*.jsonl"``), a folder (walked recursively), an
            archive (``.tar.xz``, ``.tar.gz``, ``.zip``: members are streamed, never
            extracted), ``"-"`` for stdin, or a list of these. ``.gz``/``.xz``/``.bz2``
            files are decompressed on the fly.
        format: One of ``jsonl``, ``json``, ``csv``, ``tsv``, ``parquet``, ``text``, ``html``,
            ``ant``, ``pagedump``; by default sniffed per file from extension and content.
        errors: What to do with a bad record: ``"collect"`` (default) skips it and keeps a
            :class:`RecordError` in ``reader.report.errors``; ``"skip"`` only counts it;
            ``"raise"`` raises :class:`CorpusError` at the first one.
        report: A :class:`ReadReport` to fill (share one across several reads); by default
            a new one is available as ``reader.report``.
        **options: See :class:`~arabnews_nlp.corpus.options.ReadOptions` (``columns``,
            ``delimiter``, ``encoding``, ``max_record_bytes``, ``require``, ``source``,
            ``duplicates``, ...).

    Returns:
        An iterator of articles with a ``.report`` attribute, complete once iteration ends.

    Example:
        >>> reader = read_articles("no/such/dir/*.jsonl")
        >>> list(reader), reader.report.errors[0].kind
        ([], 'missing')
    """
    return ArticleReader(paths, format, errors=errors, report=report, **options)
