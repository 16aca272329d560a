"""The sections after the body: the documents section's summaries and the News Tracker list."""

from __future__ import annotations

import re

from ..records import Link, RelatedStory
from ..text import ARABIC_LETTER, fold, parse_inline, plain, strip_tashkeel

_AR_CONTINUATION_WORDS = {
    "قد", "كما", "في", "من", "هو", "هي", "هذا", "هذه", "بذلك", "لذلك", "كذلك", "علاوة",
    "بالاضافة", "على", "لكن", "بهذا", "عليه", "ايضا",
}  # fmt: skip
_EN_CONTINUATION = re.compile(
    r"(?:It also|It further|The (?:present |current )?report also|This report also|Furthermore|"
    r"Moreover|In addition|Additionally)\b"
)


def continues_summary(text: str) -> bool:
    """Whether a paragraph of the documents section continues the summary before it:
    an Arabic paragraph opening with the conjunction و joined to a word (ويعترف،
    ويتناول، والتقرير، وقد), or an English one opening "It also", "The report also",
    "Furthermore"…"""
    if _EN_CONTINUATION.match(text):
        return True
    first = fold(strip_tashkeel(text.split(maxsplit=1)[0])) if text.strip() else ""
    if not first.startswith("و") or len(first) < 3:
        return False
    rest = re.sub(rf"[^{ARABIC_LETTER}]+$", "", first[1:])
    return rest[:1] in {"ي", "ت", "ن", "ا"} and len(rest) >= 3 or rest in _AR_CONTINUATION_WORDS


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
