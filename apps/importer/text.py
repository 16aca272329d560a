"""Helpers the raw-document parsers share: whitespace, inline links, language, and
mentions of Charter articles, resolutions and UN document symbols, as parsed records.

Plain functions over ``str``; no database. The rules themselves (the link grammar and
safe targets, Arabic folding, Charter mentions, document symbols and resolutions) are
written once in :mod:`apps.core.rules`; this module turns what they find into the
parsers' records. Matching is done on a *folded* copy of the text (:func:`fold`), which
replaces characters one for one, so that an offset in the folded copy is the same
offset in the original. Text that is kept (a quotation, a name, a summary) is always
sliced from the original.
"""

from __future__ import annotations

import re

from apps.core.rules.arabic import ARABIC, ARABIC_LETTER, DIACRITICS, TATWEEL, fold, has_arabic
from apps.core.rules.arabic import strip_diacritics as strip_tashkeel
from apps.core.rules.charter import CHARTER_ARTICLES, article_mentions, charter_articles
from apps.core.rules.links import LINK, link_texts, safe_target, split_links
from apps.core.rules.symbols import (
    GENERAL_ASSEMBLY,
    SECURITY_COUNCIL,
    SYMBOL,
    find_symbols,
)
from apps.core.rules.symbols import resolution_mentions as _resolution_mentions
from apps.core.text import normalise_space

from .records import Link, Resolution, Segment

__all__ = [
    "ARABIC_LETTER",
    "CHARTER_ARTICLES",
    "DIACRITICS",
    "GENERAL_ASSEMBLY",
    "LINK",
    "SECURITY_COUNCIL",
    "SYMBOL",
    "TATWEEL",
    "article_mentions",
    "charter_articles",
    "detect_language",
    "find_resolutions",
    "find_symbols",
    "fold",
    "has_arabic",
    "normalise_space",
    "parse_inline",
    "plain",
    "plain_text",
    "resolution_mentions",
    "safe_target",
    "strip_tashkeel",
]

# Language -------------------------------------------------------------------------------

_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_BARE_URL = re.compile(r"https?://\S+")


def detect_language(text: str) -> str | None:
    """``"ar"`` when most letters are Arabic, ``"en"`` when most are Latin, None when
    there are no letters at all. Link targets and bare URLs are not counted."""
    text = _BARE_URL.sub("", link_texts(text))
    arabic, latin = len(ARABIC.findall(text)), len(_LATIN.findall(text))
    if not arabic and not latin:
        return None
    return "ar" if arabic > latin else "en"


# Inline links ---------------------------------------------------------------------------


def parse_inline(text: str) -> tuple[Segment, ...]:
    """Segments of one paragraph, plain strings and links, with whitespace normalised.

    Square brackets that do not form a link (``[sic]``, ``[](x)``) stay literal text; a
    link whose target is not safe keeps its text and loses its target.
    """
    segments: list[Segment] = []
    for piece, target in split_links(normalise_space(text)):
        if target is not None:
            segments.append(Link(normalise_space(piece), safe_target(target)))
        elif segments and isinstance(segments[-1], str):
            segments[-1] += piece
        else:
            segments.append(piece)
    return tuple(segments)


def plain(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text if isinstance(s, Link) else s for s in segments)


def plain_text(text: str) -> str:
    """Markup as plain text: links replaced by their text."""
    return plain(parse_inline(text))


# Resolutions ----------------------------------------------------------------------------


def resolution_mentions(text: str) -> list[tuple[int, Resolution]]:
    """``(offset, Resolution)`` for each mention, in order; the body is None when the text
    does not name it ("resolution 1325 (2000)")."""
    return [(m.offset, Resolution(m.body, m.number)) for m in _resolution_mentions(text)]


def find_resolutions(text: str, known: dict[str, str] | None = None) -> tuple[Resolution, ...]:
    """Resolutions mentioned in ``text``, distinct, in order of first mention.

    A mention that does not name its body takes the body that another mention of the
    same number names (in ``text`` or in ``known``: number → body), so "Security Council
    resolution 2171 (2014) … resolution 2171 (2014) … resolution 2171" is one resolution.
    """
    mentions = [r for _offset, r in resolution_mentions(text)]
    bodies = dict(known or {})
    bodies.update({r.number: r.body for r in mentions if r.body})
    result: list[Resolution] = []
    for resolution in mentions:
        if resolution.body is None:
            number = resolution.number
            if number.isdigit():  # "resolution 1325" after "resolution 1325 (2000)"
                number = next((n for n in bodies if n.startswith(f"{number} (")), number)
            if number in bodies:
                resolution = Resolution(bodies[number], number)
        if resolution not in result:
            result.append(resolution)
    return tuple(result)
