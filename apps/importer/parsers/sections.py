"""The sections after the body: the News Tracker list.

The documents section needs no rule of its own: each of its paragraphs is one report's
summary (:meth:`apps.importer.parsers.document._Parser.reports`). A UN Arabic summary
may well open with the conjunction و («ويعترف التقرير الحالي…» opens the summary of
A/72/115), so an opening word says nothing about where a summary ends."""

from __future__ import annotations

import re

from ..records import Link, RelatedStory
from ..text import parse_inline, plain

_SEPARATORS = re.compile(r"[\s|•·,;،؛–—-]*")


def tracker_items(text: str) -> list[RelatedStory] | None:
    """The stories on one line of a News Tracker list, or None when the line is prose."""
    segments = parse_inline(text)
    links = [s for s in segments if isinstance(s, Link)]
    rest = [s for s in segments if isinstance(s, str)]
    if links and all(_SEPARATORS.fullmatch(s) for s in rest):
        return [RelatedStory(link.text, link.target) for link in links]
    title = plain(segments)
    if not links and len(title.split()) <= 25 and not title.endswith((".", "۔")):
        return [RelatedStory(title, None)]
    return None
