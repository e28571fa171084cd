"""Noun-phrase boundaries for quote attribution: where a speaker starts and ends.

:class:`PhraseScanner` walks the tokens of a :class:`~arabnews_nlp.quotes.text.FoldedText`:
the speaker after a cue (stop words, prepositional modifiers of a role, appositions set off by
commas, quoted names and acronyms inside it), the speaker before a cue («وكان X قد قال», «أما X
فرأى») and the end of a definite subject before its object. The shapes that use these
boundaries live in :mod:`~arabnews_nlp.quotes.extract`.

Example:
    >>> from arabnews_nlp.quotes.text import FoldedText
    >>> ft = FoldedText("وقال قائد الشرطة في المدينة، العميد نبيل سعد، إن التحقيق مستمر.")
    >>> start, end, _ = PhraseScanner(ft).scan_speaker(1)
    >>> ft.span(start, end - 1).text
    'قائد الشرطة في المدينة، العميد نبيل سعد'
"""

from __future__ import annotations

import arabnews_nlp.quotes.lexicon as lx
from arabnews_nlp.quotes.model import Span
from arabnews_nlp.quotes.text import FoldedText, Tok

__all__ = ["PhraseScanner"]

MAX_SPEAKER = 14
MAX_APPOSITION = 7
_NISBA = ("ي", "يه")  # folded nisba endings: السوري, السورية
_LINKS = frozenset({"باسم", "بن", "ابن", "ابو", "لدي"})  # words inside a definite speaker phrase


class PhraseScanner:
    """Speaker boundaries over the tokens of one folded text (token indices in and out)."""

    def __init__(self, ft: FoldedText) -> None:
        self.ft = ft
        self.toks: list[Tok] = ft.tokens

    def text(self, i: int) -> str:
        return self.toks[i].text if 0 <= i < len(self.toks) else ""

    def ends_sentence(self, i: int) -> bool:
        """Token ``i`` is past the sentence of ``i - 1`` (or the text's end)."""
        return i >= len(self.toks) or self.ft.sentence[i] != self.ft.sentence[i - 1]

    def direct(self, i: int) -> tuple[int, int] | None:
        """Token range inside the quotation opened at token ``i``."""
        closer = lx.CLOSERS[self.text(i)]
        for j in range(i + 1, min(len(self.toks), i + 400)):
            if self.text(j) == closer:
                return (i + 1, j - 1) if j - 1 >= i + 1 else None
        return None

    def scan_speaker(self, j: int) -> tuple[int, int, list[Span]]:
        """Speaker tokens ``[j, m)`` and the sources met on the way (ذكرت X نقلا عن Y)."""
        sources: list[Span] = []
        if self.text(j) in lx.RESUMPTIVE:
            j += 1  # "أكد فيه الجانبان": a cue inside a relative clause
        start = j
        generic = envoy = False
        while j < len(self.toks) and j - start < MAX_SPEAKER and not self.ends_sentence(j):
            word = self.text(j)
            if word == "نقلا" and self.text(j + 1) == "عن" and j > start:
                sources.append(self.ft.span(start, j - 1))
                j += 2
                start = j
                continue
            head = word.removeprefix("ال")
            generic = generic or head in lx.GENERIC_HEADS or word in lx.GENERIC_HEADS
            envoy = envoy or head in lx.ENVOY_HEADS
            if j > start and self.joins_speaker(start, j, generic, envoy):
                j += 1  # مصدر في الشرطة, المبعوث إلى اليمن: part of the speaker
                generic = envoy = False
                continue
            if word == "(" and j > start and self.text(j + 2) == ")" and self.text(j + 1).isalpha():
                j += 3  # وكالة الأنباء السورية (سانا): an acronym inside the speaker
                continue
            if word in lx.OPENERS and j > start:
                # «الأفق» in "مدير في شركة «الأفق» إن...": a quoted name inside the speaker,
                # after an institution noun or before what ends a speaker.
                closer = self.closer_of(j)
                institution = _strip_article(self.text(j - 1)) in lx.INSTITUTIONS
                if closer is not None and (institution or self.after_speaker(closer + 1)):
                    j = closer + 1
                    continue
            if (
                self.is_stop(j)
                or word in lx.COMPLEMENTIZERS
                or self.toks[j].kind == "punct"
                or word in lx.OPENERS
                or lx.cue_of(word) is not None
            ):
                break
            j += 1
        if j > start and self.text(j) in lx.COMMAS:
            j = self.apposition(j)
        return start, j, sources

    def joins_speaker(self, start: int, j: int, generic: bool, envoy: bool) -> bool:
        """Preposition ``j`` continues the speaker started at ``start``: a place or body after a
        generic head (مصدر في الشرطة) or a two-word role (قائد القوات البرية في الجيش), a
        district after a deputy (النائب عن البصرة), a country after an envoy; not an adjunct
        (في بيان, في كلمة) nor a complementizer (أشار مسؤول إلى أن)."""
        word, nxt = self.text(j), self.text(j + 1)
        if nxt in lx.COMPLEMENTIZERS or not nxt.isalpha():
            return False
        if word == "الي":
            return envoy
        if word == "عن":
            return self.text(start) in lx.DEPUTY_HEADS
        if word not in ("في", "من"):
            return False
        first = self.text(start)
        bare = first.removeprefix("ال")  # not strip_article: وزير is no و + زير
        role = j - start >= 2 and (first in lx.ROLE_HEADS or bare in lx.ENVOY_HEADS)
        if not (generic or role) or self.is_stop(j + 1):
            return False
        before = self.text(j - 1)
        national = bare in lx.NATIONAL_HEADS
        if national and before.startswith("ال") and before.endswith("ي"):
            return False  # رئيس الوزراء البريطاني في مجلس العموم
        return not nxt.removeprefix("ال").startswith(lx.ADJUNCT_STEMS)

    def is_stop(self, j: int) -> bool:
        """Token ``j`` ends a speaker (the name علي does not, the preposition على does: both
        fold to علي)."""
        word = self.text(j)
        if word == "علي":
            return "ى" in self.ft.span(j, j).text
        return word in lx.SPEAKER_STOPS

    def closer_of(self, i: int) -> int | None:
        inner = self.direct(i)
        return inner[1] + 1 if inner else None

    def after_speaker(self, j: int) -> bool:
        """Token ``j`` may follow a speaker: a complementizer, colon, comma or adjunct."""
        word = self.text(j)
        return (
            word in lx.COMPLEMENTIZERS
            or word in lx.SPEAKER_STOPS
            or word in lx.COMMAS
            or (word == ":")
        )

    def apposition(self, comma: int, chained: bool = False) -> int:
        """«مدرب الهلال، الإيطالي لوكا بيرناردي، بأداء...»: the end of a name set off by commas
        after the speaker (``comma`` itself when there is none)."""
        j = comma + 1
        if self.text(j) in lx.CLAUSE_APPOSITIONS:
            return comma  # «رئيس الحكومة، الذي يزور الرباط،»: a clause, not a name
        while j < len(self.toks) and j - comma <= MAX_APPOSITION and not self.ends_sentence(j):
            word = self.text(j)
            # «أستاذ الاقتصاد في جامعة دمشق»: في/من inside a description, never first.
            inner = word in ("في", "من") and j > comma + 1 and self.text(j + 1).isalpha()
            if (
                self.toks[j].kind == "punct"
                or (self.is_stop(j) and not inner)
                or word in lx.COMPLEMENTIZERS
                or (j == comma + 1 and word in lx.LIST_STARTS)
                or lx.cue_of(word) is not None
            ):
                break
            j += 1
        if j == comma + 1:
            return comma
        if self.text(j) in lx.COMPLEMENTIZERS:
            return j
        # A closing comma must lead on to what follows a speaker (، إن / ، في بيان / ، لمراسلنا):
        # «وفقا للتقاليد، قرعت باب الكاتدرائية ...، وهي» is a clause, not an apposition.
        nxt = self.text(j + 1)
        # ...، الذي يزور صنعاء: a relative clause may follow the name too.
        if self.text(j) in lx.COMMAS and (
            self.after_speaker(j + 1)
            or nxt in lx.OPENERS
            or nxt in lx.CLAUSE_APPOSITIONS
            or nxt == "قد"  # كان وزير الخارجية، سيرغي لافروف، قد أشار
        ):
            return j
        if self.text(j) in lx.COMMAS and not chained and (end := self.apposition(j, True)) > j:
            return end  # وزير الإدارة المحلية، رئيس لجنة الإغاثة، عبد الرقيب فتح، إن
        return comma

    def before_cue_speaker(self, i: int) -> tuple[int, int] | None:
        """وكان الوزير قد قال إن...: the speaker between كان and قد; أما X فرأى أن: between
        أما and the cue."""
        if self.text(i).startswith("ف"):
            for j in range(i - 1, max(-1, i - 1 - MAX_SPEAKER - MAX_APPOSITION), -1):
                if self.text(j) == "اما":
                    end = i - (self.text(i - 1) in lx.COMMAS)
                    return (j + 1, end) if j + 1 < end else None
                if self.ends_sentence(j + 1):
                    return None
            return None
        if self.text(i - 1) != "قد":
            return None
        for j in range(i - 2, max(-1, i - 2 - MAX_SPEAKER), -1):
            if self.text(j) in ("كان", "وكان", "كانت", "وكانت"):
                return (j + 1, i - 1) if j + 1 < i - 1 else None
            if self.toks[j].kind == "punct":
                return None
        return None

    def definite_end(self, s: int, m: int) -> int:
        """End of the definite noun phrase starting at ``s`` (before ``m``): the first word
        without the article (and not a genitive link) after the head ends it."""
        k = s + 1
        definite = self.text(s).startswith("ال")
        adjectives = definite  # so far a definite head and definite words agreeing with it
        while k < m:
            word = self.text(k)
            # The article is a bare alef in the original; إليسا folds to اليسا too.
            article = word.startswith("ال") and self.ft.span(k, k).text.startswith("ال")
            if adjectives and article and _is_object(self.text(s), word):
                break  # «ورفضت النقابة القرار»: a definite object after the subject
            adjectives = adjectives and article
            if word.startswith(("ال", "لل")):
                definite = True
            elif definite and not _LINKS & {word, self.text(k - 1)}:
                break  # مصدر حكومي رفيع: an indefinite phrase keeps its indefinite adjectives
            k += 1
        return k


def _is_object(head: str, word: str) -> bool:
    """A definite word after a definite head (and its adjectives) is its object, not another
    adjective, when it is no nisba (السورية, الأمني) and disagrees in gender with the head
    (النقابة القرار, الوزير الصحيفة)."""
    if word.endswith(_NISBA):
        return False
    return head.endswith("ه") != word.endswith("ه")


def _strip_article(word: str) -> str:
    """A word without a leading ل/ب/و and article: لشركة, بالجامعة → شركة, جامعة (the
    institution test's own rule, kept private: these prefixes only, and a stem of 3 letters or
    more)."""
    for prefix in ("وال", "بال", "لل", "ال", "و", "ب", "ل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word
