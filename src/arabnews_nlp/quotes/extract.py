"""Quote attribution: who said what, with offsets for the speaker, the cue and the content.

The text is folded (``search`` profile, offsets kept) and tokenized; every reporting cue
(:mod:`~arabnews_nlp.quotes.lexicon`) is tried against the few shapes Arabic news writes
attribution in:

* ``CUE SPEAKER [adjunct] (أن|إن|:) CONTENT``: «وقال الجيش في بيان إن ...», «قال: «...»»;
* ``«CONTENT»، CUE SPEAKER``: the quote first;
* ``CONTENT، بحسب SPEAKER`` and ``وبحسب SPEAKER، فإن CONTENT``;
* ``نقلت SOURCE عن SPEAKER (قوله) أن CONTENT``: the source chain;
* ``...، مشيرا إلى أن CONTENT``: a participle continues the previous speaker.

Reported content runs from the complementizer to the end of the sentence; direct content is
what the quotation marks enclose. A cue without a speaker («وأضاف أن») takes the speaker of
the quote just before it, and a role («الرئيس الروسي») is linked to the person an earlier
mention named with the same role (:mod:`~arabnews_nlp.quotes.speakers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import arabnews_nlp.quotes.lexicon as lx
from arabnews_nlp.article import Article
from arabnews_nlp.quotes.model import Quote, Span
from arabnews_nlp.quotes.phrases import PhraseScanner
from arabnews_nlp.quotes.speakers import link_speaker, resolve_roles
from arabnews_nlp.quotes.text import FoldedText
from arabnews_nlp.tokenize import SENTENCE_END

__all__ = ["extract_quotes"]

#: How far back (characters) a cue without a speaker looks for the previous quote's speaker.
ANTECEDENT_WINDOW = 600
_MAX_ADJUNCT = 20


class _Parser(PhraseScanner):
    """Tries the attribution shapes at each cue of one folded text."""

    def __init__(self, ft: FoldedText) -> None:
        super().__init__(ft)
        self.quotes: list[Quote] = []
        self.genders: list[str] = []  # the cue gender of each quote
        self.cue_tokens: list[int] = []  # the cue token index of each quote
        self.gender = ""  # the cue being parsed

    # -- helpers over token indices
    def sentence_last(self, i: int) -> int:
        """The last content token of token ``i``'s sentence (final stop excluded)."""
        sid = self.ft.sentence[i]
        j = i
        while j + 1 < len(self.toks) and self.ft.sentence[j + 1] == sid:
            j += 1
        while j > i and self.text(j) in SENTENCE_END and self.ft.depth[j] == 0:
            j -= 1
        return j

    def reported_end(self, i: int) -> int:
        """Last token of reported content starting at ``i``: the sentence end, or the comma
        before a new attribution (، مشيرا إلى أن / ، بحسب / ، وقال)."""
        last = self.sentence_last(i)
        for j in range(i, last):
            if self.text(j) in lx.COMMAS and self.ft.depth[j] == 0:
                cue = lx.cue_of(self.text(j + 1))
                # ، مشيرا / ، بحسب / ، وقال: a new attribution starts after the comma.
                if cue and (cue[0].kind in ("participle", "nominal") or cue[1] == 1):
                    return j - 1
            if self.contrast_at(j) and j > i:
                k = j - (self.text(j) == "حين")  # في حين
                return k - 1 - (self.text(k - 1) in lx.COMMAS)
        return last

    def contrast_at(self, j: int) -> bool:
        """Token ``j`` starts a contrasting attribution: «فيما/بينما/في حين قالت ...»."""
        word = self.text(j)
        if word not in lx.CONTRAST_OPENERS or (word == "حين" and self.text(j - 1) != "في"):
            return False
        cue = lx.cue_of(self.text(j + 1))
        return cue is not None and cue[0].kind == "verb" and self.ft.depth[j] == 0

    def attach(self, j: int, lemma: str) -> tuple[str, int] | None:
        """From token ``j`` after the speaker: skip an adjunct and find where content starts.

        Returns (kind, first content token) with kind "direct", "colon" or "reported".
        """
        skip_to = j
        for k in range(j, min(len(self.toks), j + _MAX_ADJUNCT)):
            if k > j and self.ends_sentence(k):
                return None
            if k < skip_to:
                continue
            word = self.text(k)
            if word in lx.OPENERS:
                # Guillemets also mark names («الأفق» in "مدير في شركة «الأفق» إن...") and titles
                # («الوثيقة...»): a name when a complementizer follows; without a colon, only a
                # verb of saying opens a direct quote.
                closer = self.closer_of(k)
                after = self.attach(closer + 1, "") if closer is not None else None
                outlet = self.text(k - 1) == "ل"  # لـ«الشرق الأوسط»: a name whatever follows
                if closer is not None and (
                    outlet or (after is not None and after[0] == "reported")
                ):
                    skip_to = closer + 1
                    continue
                return ("direct", k) if lemma in lx.SAYING else None
            if word == ":":
                return ("direct", k + 1) if self.text(k + 1) in lx.OPENERS else ("colon", k + 1)
            if word in lx.COMPLEMENTIZERS:
                return "reported", k + 1
            if k > j and lx.cue_of(word) and self.text(k - 1) not in lx.VERBAL_NOUN_GOVERNORS:
                return None
        return None

    def content(self, how: str, k: int) -> tuple[Span, str] | None:
        if k >= len(self.toks):
            return None
        if how == "direct":
            inner = self.direct(k)
            return (self.ft.span(*inner), "direct") if inner else None
        if self.ends_sentence(k) or (k > 0 and self.ft.sentence[k] != self.ft.sentence[k - 1]):
            return None
        end = self.reported_end(k)
        if end < k:
            return None
        return self.ft.span(k, end), "direct" if how == "colon" else "reported"

    def previous_speaker(self, at: int, gender: str) -> int | None:
        """Index of the latest quote with a speaker, near enough and of the same grammatical
        gender (وأضافت does not continue «قال الوزير»)."""
        for n in range(len(self.quotes) - 1, -1, -1):
            q, g = self.quotes[n], self.genders[n]
            if not 0 <= at - q.cue.start <= ANTECEDENT_WINDOW or gender == "p":
                return None  # too far; or وأضافوا: plural speakers are not the previous one
            if q.speaker is not None and (not gender or not g or g == gender):
                return n
        return None

    def clause_subject(self, i: int) -> Span | None:
        """The subject of the clause a speakerless cue at token ``i`` continues: the noun
        phrase after the clause's verb («وأشاد مدرب الهلال بأداء لاعبيه، وقال: ...»)."""
        first = self.ft.first_of_sentence(i)
        for j in range(i - 1, first, -1):
            if self.text(j - 1) in lx.CLAUSE_OPENERS:
                first = j
                break
        if self.text(first) in lx.ADVERBIAL_STARTS:  # وفي بروكسل، اكتفى متحدث...
            comma = next((j for j in range(first, i) if self.text(j) in lx.COMMAS), None)
            if comma is None:
                return None
            first = comma + 1
        verb = self.text(first)
        noun = verb.startswith("ال") and verb not in lx.AL_VERBS
        if first >= i - 1 or noun or self.toks[first].kind != "arabic":
            return None
        s, m, _ = self.scan_speaker(first + 1)
        if not s < m <= i:
            return None
        m = self.definite_end(s, m)  # an object may follow: «وأشاد المدرب بلاعبيه»
        return self.ft.span(s, m - 1)

    def implicit(self, i: int, content: Span, kind: str, negated: bool) -> Quote:
        cue = self.ft.span(i, i)
        prev_index = self.previous_speaker(cue.start, self.gender)
        prev = None if prev_index is None else self.quotes[prev_index]
        same_sentence = (
            prev is not None
            and self.ft.sentence[self.cue_tokens[prev_index or 0]] == (self.ft.sentence[i])
        )
        mid_sentence = self.ft.first_of_sentence(i) < i
        if prev is None or (mid_sentence and not same_sentence and self.clause_subject(i)):
            subject = self.clause_subject(i)
            return Quote(content, cue, kind, speaker=subject, negated=negated,
                         resolved="subject" if subject else None)  # fmt: skip
        return Quote(
            content,
            cue,
            kind,
            speaker=prev.speaker,
            speaker_label=prev.speaker_label,
            speaker_entity=prev.speaker_entity,
            resolved="pronoun",
            negated=negated,
        )

    # -- the shapes
    def at_cue(self, i: int, cue: lx.Cue) -> Quote | None:
        if self.ft.depth[i]:
            return None  # a cue inside quotation marks is part of the quote
        cue_span = self.ft.span(i, i)
        if cue.kind == "nominal":
            return self.nominal(i, cue_span)
        if cue.kind == "participle":
            return self.participle(i, cue, cue_span)
        if self.text(i - 1) in ("ما", "لما"):
            return None  # «بحسب ما أفادت به الوزارة»: the nominal cue before it attributes
        if self.text(i - 1) in lx.VERBAL_NOUN_GOVERNORS:
            return None  # «رفض ذكر اسمه»: ذكر is a verbal noun here, not «he mentioned»
        return self.verb(i, cue, cue_span)

    def verb(self, i: int, cue: lx.Cue, cue_span: Span) -> Quote | None:
        # «CONTENT»، قال SPEAKER
        p = i - 1 - (self.text(i - 1) in lx.COMMAS)
        if p >= 0 and self.text(p) in ("»", "”", '"') and self.ft.depth[p] == 0:
            opener = self.ft.opener_of(p)
            if opener is not None and opener + 1 <= p - 1:
                s, m, _ = self.scan_speaker(i + 1)
                if m > s:
                    return Quote(
                        self.ft.span(opener + 1, p - 1),
                        cue_span,
                        "direct",
                        speaker=self.ft.span(s, m - 1),
                        negated=cue.negated,
                    )
        sources: list[Span] = []
        s, m, sources = self.scan_speaker(i + 1)
        if cue.kind == "transfer":
            if self.text(m) != "عن":
                return None
            if m > s:  # نقلت X عن Y; without X, the passive «ونُقل عن Y»
                sources.append(self.ft.span(s, m - 1))
            s, m, more = self.scan_speaker(m + 1)
            sources.extend(more)
        m_next = m + (cue.kind == "transfer" and self.text(m) in lx.SOURCE_WORDS)  # قوله إن
        found = self.attach(m_next, cue.lemma)
        if found is None:
            return self.without_complementizer(i, cue, cue_span, s, m)
        how, k = found
        got = self.content(how, k)
        if got is None:
            return None
        content, kind = got
        if m == s:
            before = self.before_cue_speaker(i)
            if before is None:
                if cue.imperfect:
                    return None  # «تصريحات تؤكد أن»: a subjectless present-tense cue is a clause
                return self.implicit(i, content, kind, cue.negated)
            s, m = before
        return Quote(
            content,
            cue_span,
            kind,
            speaker=self.ft.span(s, m - 1),
            negated=cue.negated,
            sources=tuple(sources),
        )

    def without_complementizer(
        self, i: int, cue: lx.Cue, cue_span: Span, s: int, m: int
    ) -> Quote | None:
        """نفى المتحدث وجود...، أعربت قطر عن قلقها، حذر من تفاقم...: content is a noun phrase."""
        word = self.text(m)
        if cue.lemma in ("اعرب", "حذر") and word in ("عن", "من") and m > s:
            k = m + 1
        elif cue.negated and m - s >= 2:
            # The speaker is the definite phrase; the first indefinite word starts the content.
            k = self.definite_end(s, m)
            if k >= m:
                return None
            m = k
        else:
            return None
        if k >= len(self.toks) or self.ends_sentence(k):
            return None
        end = self.reported_end(k)
        return Quote(
            self.ft.span(k, end),
            cue_span,
            "reported",
            speaker=self.ft.span(s, m - 1),
            negated=cue.negated,
        )

    def participle(self, i: int, cue: lx.Cue, cue_span: Span) -> Quote | None:
        if self.text(i - 1) not in lx.COMMAS:
            return None
        k = i + 1
        if self.text(k) in lx.PREPOSITIONS:
            k += 1
        if self.text(k) in lx.COMPLEMENTIZERS:
            k += 1
        elif k == i + 1:
            return None  # مؤكدا + noun phrase is usually not a statement
        got = self.content("reported", k)
        if got is None:
            return None
        return self.implicit(i, got[0], "reported", cue.negated)

    def nominal(self, i: int, cue_span: Span) -> Quote | None:
        found = self.nominal_speaker(i)
        if found is None:
            return None
        speaker, m, sources = found
        first = self.ft.first_of_sentence(i)
        lead = i - (self.text(i - 1) in lx.COMMAS)
        if first == i:  # وبحسب المصدر، فإن ...
            k = m + (self.text(m) in lx.COMMAS)
            if self.text(k) in lx.COMPLEMENTIZERS:
                k += 1
            got = self.content("reported", k)
            if got is None or k == m:
                return None
            return Quote(got[0], cue_span, "reported", speaker=speaker, sources=sources)
        if lead == i:
            return None  # "وفق الخطة": without a comma before it, no attribution
        if lead <= first or any(
            q.content.start <= self.toks[first].start < q.content.end for q in self.quotes
        ):
            return None
        content = self.ft.span(first, lead - 1)
        return Quote(content, cue_span, "reported", speaker=speaker, sources=sources)

    def nominal_speaker(self, i: int) -> tuple[Span, int, tuple[Span, ...]] | None:
        """The speaker after a nominal cue at ``i`` (بحسب X, وفقا لـX, بحسب ما أعلنه X, بحسب ما
        نقلته X عن Y), the token after it and the sources on the way."""
        j = i + 1
        if self.text(j) in ("ل", "عن"):  # وفقا لـ, نقلا عن
            j += 1
        strip = 0
        chain = False
        if self.text(j) in ("ما", "لما") or self.text(i).endswith("حسبما"):
            after = self.what_verb(j + (not self.text(i).endswith("حسبما")))
            if after is None:
                return None
            j, chain = after
        elif self.text(i) in ("وفقا", "طبقا", "ووفقا", "وطبقا") and self.text(j).startswith("ل"):
            strip = 2 if self.text(j).startswith("لل") else 1  # للبيان = ل + البيان
        s, m, _ = self.scan_speaker(j)
        if m == s:
            return None
        speaker = self.ft.span(s, m - 1, skip=strip)
        if not (chain and self.text(m) == "عن"):
            return speaker, m, ()
        s, m, _ = self.scan_speaker(m + 1)  # بحسب ما نقلته وكالة ... عن مصدر ...
        return (self.ft.span(s, m - 1), m, (speaker,)) if m > s else None

    def what_verb(self, j: int) -> tuple[int, bool] | None:
        """After «بحسب ما» / «حسبما»: skip the verb (and a به/عنه) to where the speaker starts,
        and say whether it transfers (نقلته ... عن: a source chain follows)."""
        verb = lx.cue_of(self.text(j).removesuffix("ه"))
        if verb is None and not self.text(j).isalpha():
            return None
        j += 1
        if self.text(j) in ("به", "عنه", "فيه"):
            j += 1
        return j, verb is not None and verb[0].kind == "transfer"

    def run(self) -> list[Quote]:
        # One regex pass finds the cue words; most texts have a few dozen among thousands.
        index = {tok.start: i for i, tok in enumerate(self.toks)}
        for match in lx.cue_pattern().finditer(self.ft.folded):
            i = index.get(match.start())
            if i is None:
                continue
            found = lx.cue_of(self.toks[i].text)
            if found is None:
                continue
            self.gender = found[0].gender
            quote = self.at_cue(i, found[0])
            if quote is not None:
                self.quotes.append(quote)
                self.genders.append(self.gender)
                self.cue_tokens.append(i)
        return self.quotes


def extract_quotes(x: str | Article, entities: Sequence[Any] | None = None) -> list[Quote]:
    """Find attributed statements in a text or an article.

    Args:
        x: A string, or an :class:`Article` (offsets are then into ``article.text``).
        entities: The text's entity mentions (:class:`~arabnews_nlp.entities.Entity`, offsets
            into the same text), to link speakers to; without them speakers are noun phrases.

    Returns:
        The quotes in text order of their cues.

    Example:
        >>> text = "وأعلن الكرملين أن المحادثات ستبدأ غدا. وأضاف: «نأمل في نتائج»."
        >>> [(q.speaker.text, q.cue.text, q.content.text, q.kind) for q in extract_quotes(text)]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('الكرملين', 'وأعلن', 'المحادثات ستبدأ غدا', 'reported'),
         ('الكرملين', 'وأضاف', 'نأمل في نتائج', 'direct')]
    """
    text = x.text if isinstance(x, Article) else x
    if not isinstance(text, str):
        raise TypeError(f"expected str or Article, got {type(x).__name__}")
    ft = FoldedText(text)
    quotes = _Parser(ft).run()
    if entities:
        by_start = sorted(entities, key=lambda ent: ent.start)
        quotes = [link_speaker(q, by_start) for q in quotes]
        quotes = resolve_roles(quotes, ft, entities)
        quotes = [_relink_pronouns(q, quotes) for q in quotes]
    return quotes


def _relink_pronouns(q: Quote, quotes: list[Quote]) -> Quote:
    """A continued speaker («وأضاف») takes the links its antecedent got."""
    if q.resolved != "pronoun" or q.speaker is None:
        return q
    for other in quotes:
        if other.resolved != "pronoun" and other.speaker == q.speaker:
            return replace(
                q, speaker_label=other.speaker_label, speaker_entity=other.speaker_entity
            )
    return q
