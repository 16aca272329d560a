"""Plain records that the parsers return and the loader turns into pages.

Frozen dataclasses holding tuples, so a parsed document can be compared, hashed
and passed around without being changed by accident. No Django here: the
parsers and their tests run without a database or settings.

Every text is plain text with its whitespace normalised. Nothing is escaped and
nothing is interpreted: ``<script>`` in a source document stays the nine
characters ``<script>``, and escaping is the renderer's job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

Kind = Literal["news", "topic"]
Language = Literal["en", "ar"]
Body = Literal["General Assembly", "Security Council"]


@dataclass(frozen=True)
class Link:
    """An inline link ``[text](target)``.

    ``target`` is None when the source gave an empty or ``#`` target, or one that
    is not plainly ``http://``, ``https://`` or a site path ``/…``: the text is
    kept, the link is not.
    """

    text: str
    target: str | None


Segment = str | Link


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[Segment, ...]
    line: int

    @property
    def text(self) -> str:
        """The paragraph as plain text, links' text inline."""
        return "".join(s.text if isinstance(s, Link) else s for s in self.segments)

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(s for s in self.segments if isinstance(s, Link))


@dataclass(frozen=True)
class Quote:
    """A paragraph that opens with a quotation.

    ``text`` is the quoted words without the marks (several quoted passages are
    joined by a space, and a comma that only led into "he said" becomes a full
    stop); ``attribution`` is the rest ("he told the General Assembly."),
    ``speaker`` the full name of who said it when it can be told.
    """

    text: str
    speaker: str | None
    attribution: str
    line: int


@dataclass(frozen=True)
class ImageCredit:
    """A photo-credit line; ``credit`` is the line cleaned, ``photographer`` the name in it."""

    credit: str
    line: int
    photographer: str | None = None


@dataclass(frozen=True)
class CharterQuotation:
    """A paragraph that cites a Charter article and quotes it.

    ``intro`` is the paragraph up to the quotation (without the opening mark),
    ``text`` the quoted words verbatim without the marks (typos included). What
    follows the quotation in the same paragraph, if it is more than punctuation,
    is the next item of the body, a :class:`Paragraph` with the same line.
    """

    article: int
    intro: str
    text: str
    line: int


@dataclass(frozen=True)
class RelatedStory:
    """An item of a "News Tracker" list; ``target`` None when the source gave no usable link."""

    title: str
    target: str | None


@dataclass(frozen=True)
class Resolution:
    """A resolution mentioned in the text: ``number`` is "65/283" or "2171 (2014)".

    ``body`` is None when the text names neither the General Assembly nor the
    Security Council and no earlier mention of the same number did.
    """

    body: Body | None
    number: str

    def __str__(self) -> str:
        return f"{self.body} resolution {self.number}" if self.body else f"resolution {self.number}"


@dataclass(frozen=True)
class ReportSummary:
    """A summary from the documents section; a continued summary's paragraphs are
    joined by a blank line."""

    text: str
    line: int
    symbols: tuple[str, ...] = ()
    resolutions: tuple[Resolution, ...] = ()


@dataclass(frozen=True)
class Duplicate:
    """A paragraph dropped because it repeats the paragraph at ``first_line``."""

    line: int
    first_line: int


BodyItem = Paragraph | Quote | ImageCredit | CharterQuotation


@dataclass(frozen=True)
class ParsedDocument:
    name: str
    kind: Kind
    language: Language
    masthead: str | None
    source: str | None
    title: str | None
    date: datetime.date | None
    lead: Paragraph | None
    body: tuple[BodyItem, ...]
    related: tuple[RelatedStory, ...]
    reports: tuple[ReportSummary, ...]
    charter_articles: tuple[int, ...]
    resolutions: tuple[Resolution, ...]
    duplicates: tuple[Duplicate, ...] = ()
