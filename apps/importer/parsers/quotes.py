"""Quotations: quoted passages, verbs of saying, a paragraph that is a person's words, and a
Charter article quoted after it is named."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import BodyItem, CharterQuotation, Link, Paragraph, Segment
from ..text import ARABIC_LETTER, article_mentions, fold, normalise_space
from .lines import has_words

_CLOSERS = {"“": '”"', "«": "»", '"': '"', "„": "“”"}
# The marks found by the regular expressions' C loops, not a Python loop over every
# character (a tenth of a document's parsing).
_OPENING = re.compile(f"[{''.join(_CLOSERS)}]")
_CLOSING = {mark: re.compile(f"[{closers}]") for mark, closers in _CLOSERS.items()}


@dataclass(frozen=True)
class Span:
    start: int  # the opening mark
    end: int  # after the closing mark
    inner: str


def quoted_spans(text: str) -> tuple[list[Span], bool]:
    """The quoted passages of ``text`` in order, and whether every opening mark closed."""
    spans, i = [], 0
    while (opening := _OPENING.search(text, i)) is not None:
        i = opening.start()
        closing = _CLOSING[text[i]].search(text, i + 1)
        if closing is None:
            return spans, False
        j = closing.start()
        spans.append(Span(i, j + 1, text[i + 1 : j]))
        i = j + 1
    return spans, True


EN_VERBS = (
    "said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|asked|asks|explained|"
    "emphasized|emphasised|emphasizes|declared|stated|urged|warned|continued|concluded|observed|"
    "remarked|recalled|insisted|underlined|affirmed|wrote|writes|replied|answered|announced|"
    "acknowledged|argued|cautioned|commented|according to|pointed out"
)
AR_VERBS = (
    "قال|قالت|يقول|تقول|اضاف|اضافت|يضيف|تضيف|مضيفا|مضيفة|اكد|اكدت|يؤكد|مؤكدا|اشار|اشارت|"
    "شدد|شددت|مشددا|اوضح|اوضحت|صرح|صرحت|ذكر|ذكرت|تابع|تابعت|اعلن|اعلنت|لاحظ|لاحظت|حسب|بحسب"
)
EN_SPEECH = re.compile(rf"\b(?:{EN_VERBS})\b", re.IGNORECASE)
AR_SPEECH = re.compile(rf"(?<![{ARABIC_LETTER}])و?(?:{AR_VERBS})(?![{ARABIC_LETTER}])")


def speech_verb(text: str) -> re.Match | None:
    folded = fold(text)
    found = [m for m in (EN_SPEECH.search(folded), AR_SPEECH.search(folded)) if m]
    return min(found, key=lambda m: m.start()) if found else None


_SEGMENT_BREAK = ".!?؟:,،;؛"


def _quote_text(spans: list[Span]) -> str:
    """Quoted passages joined by a space; a comma ending one (it led into "he said") is a
    full stop."""
    parts = []
    for span in spans:
        part = normalise_space(span.inner)
        if part.endswith((",", "،")):
            part = part[:-1] + "."
        if part:
            parts.append(part)
    return " ".join(parts)


def split_quote(text: str) -> tuple[str, str] | None:
    """``(quoted words, attribution)`` when the paragraph is a quotation, else None.

    A quotation opens the paragraph (“…,” he said. “…”), or follows an attribution
    and a colon and ends it (Mr. Ban said: “…”). A quoted passage after the first
    belongs to the quotation when it starts a sentence or a clause; one in the
    middle of a sentence (a “comprehensive approach”) stays in the attribution,
    which must hold a verb of saying.
    """
    spans, balanced = quoted_spans(text)
    if not spans or not balanced:
        return None
    first = spans[0]
    if first.start == 0:
        quoted, pieces, position = [first], [], first.end
        for span in spans[1:]:
            before = text[position : span.start]
            if not before.strip() or before.rstrip()[-1] in _SEGMENT_BREAK:
                pieces.append(before)
                quoted.append(span)
                position = span.end
        pieces.append(text[position:])
        attribution = normalise_space(" ".join(p.strip(" ,،") for p in pieces))
    elif len(spans) == 1 and text[: first.start].rstrip().endswith(":"):
        if re.search(r"\w", text[first.end :]):
            return None
        quoted, attribution = [first], normalise_space(text[: first.start]).rstrip(" :")
    else:
        return None
    words = _quote_text(quoted)
    if not re.search(r"\w", attribution):
        attribution = ""
    if attribution and not speech_verb(attribution):
        return None
    if not attribution and len(words.split()) < 3:
        return None
    return words, attribution


# Between "Article 99" and a quotation, a verb of a person's saying means the quotation is
# that person's words ("… Article 99, saying “…”"), not the Charter's.
_REPORTED = re.compile(
    r"\b(?:said|told|saying|added|stressed|noted|recalled|explained|emphasi[sz]ed|quoted)\b"
    r"|(?<![\w])و?(?:قال|قالت|قائلا|قائلة|اضاف|اضافت|مضيفا|مضيفة)(?![\w])"
)


def _slice_segments(segments: tuple[Segment, ...], offset: int) -> tuple[Segment, ...]:
    """The segments after ``offset`` characters of their plain text."""
    result: list[Segment] = []
    position = 0
    for segment in segments:
        text = segment.text if isinstance(segment, Link) else segment
        end = position + len(text)
        if end > offset:
            if position >= offset:
                result.append(segment)
            else:
                result.append(text[offset - position :])
        position = end
    if result and isinstance(result[0], str):
        result[0] = result[0].lstrip()
        if not result[0]:
            result.pop(0)
    return tuple(result)


def charter_quotation(paragraph: Paragraph) -> list[BodyItem] | None:
    """A paragraph that quotes the Charter after naming an article ("Article 99 …
    “…”") as a :class:`CharterQuotation` and the rest of the paragraph, else None."""
    text = paragraph.text
    mentions = article_mentions(text)
    if not mentions:
        return None
    spans, _ = quoted_spans(text)
    for span in spans:
        quoted = normalise_space(span.inner)
        before = [m for m in mentions if m[1] <= span.start]
        if len(quoted.split()) < 3 or not before:
            continue
        _start, end, articles = before[-1]
        between = text[end : span.start]
        if re.search(r"[.!?؟](?:\s|$)", between) or _REPORTED.search(fold(between)):
            continue  # cited in an earlier sentence, or the quotation is a person's words
        items: list[BodyItem] = [
            CharterQuotation(articles[-1], text[: span.start].rstrip(), quoted, paragraph.line)
        ]
        after = text[span.end :]
        offset = span.end + len(after) - len(after.lstrip(" .,،;؛:"))
        if has_words(text[offset:]):
            items.append(Paragraph(_slice_segments(paragraph.segments, offset), paragraph.line))
        return items
    return None
