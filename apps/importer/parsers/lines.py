"""Recognisers for single lines: masthead, section headings, photo credits, title-like lines."""

from __future__ import annotations

import re

from ..text import ARABIC_LETTER, fold, has_arabic, normalise_space, plain_text

TITLE_WORDS = 12

_BREAKING = "with breaking stories and newswire products from"
_SOURCES = {
    "un news centre",
    "un news center",
    "un news",
    "مركز انباء الامم المتحدة",
    "اخبار الامم المتحدة",
}


def _key(text: str) -> str:
    return normalise_space(fold(text)).rstrip(" :").casefold()


def masthead_line(text: str) -> str | None:
    key = _key(text)
    if key == _BREAKING:
        return "breaking"
    if key in _SOURCES:
        return "source"
    return None


_ACRONYMS = {"UN", "UNDP", "UNICEF", "UNHCR", "UNESCO", "OCHA", "DPPA", "WFP", "WHO", "UNTV"}


def source_name(text: str) -> str:
    """ "UN NEWS CENTRE" → "UN News Centre": a line in capitals in title case, acronyms kept."""
    text = normalise_space(text)
    if has_arabic(text) or not text.isupper():
        return text
    return " ".join(w if w in _ACRONYMS or len(w) <= 2 else w.capitalize() for w in text.split())


_DOCUMENTS = {
    "documents",
    "related documents",
    "reports",
    "وثائق",
    "الوثائق",
    "وثائق ذات صلة",
    "تقارير",
    "التقارير",
}
_TRACKER = ("news tracker", "related stories", "متابعة الاخبار", "اخبار ذات صلة")


def heading(text: str) -> str | None:
    """``"documents"`` or ``"tracker"`` for a section heading line, else None."""
    key = _key(plain_text(text))
    if key in _DOCUMENTS:
        return "documents"
    if key.startswith(_TRACKER) and len(key.split()) <= 10:
        return "tracker"
    return None


_STRAY = re.compile(rf"(?<=[{ARABIC_LETTER}])[A-Za-z]{{1,2}}$")
_CREDIT_PATTERNS = (
    re.compile(
        r"(?:(?:UN|U\.N\.|United Nations)\s+Photo\s*[/:]|Photo\s*:\s*(?:UN|U\.N\.|United Nations)"
        r"\s*/)\s*(?P<name>.+)",
        re.IGNORECASE,
    ),
    re.compile(r"صور[ةه]?\s+الامم المتحدة\s*[:/]\s*(?P<name>.+)"),
    re.compile(r"(?P<name>.+?)\s*/\s*الامم المتحدة"),
    re.compile(r"الامم المتحدة\s*/\s*(?P<name>.+)"),
)
_NOT_IN_NAME = re.compile(r"[/،,؛;!?؟:«»“”\"()\[\]<>]")


def credit(text: str) -> tuple[str, str] | None:
    """``(credit, photographer)`` for a photo-credit line, else None.

    ``UN Photo/Name``, ``UN Photo / Name``, ``صورة الأمم المتحدة: الاسم``,
    ``الاسم/ الأمم المتحدة``. A Latin letter or two glued to the end of an Arabic
    credit (``الأمم المتحدةs``) is a stray and is dropped from the credit.
    """
    text = plain_text(text)
    if len(text.split()) > 12:
        return None
    if has_arabic(text):
        text = _STRAY.sub("", text)
    folded = fold(text)
    for pattern in _CREDIT_PATTERNS:
        match = pattern.fullmatch(folded)
        if not match:
            continue
        name = text[match.start("name") : match.end("name")].strip()
        words = name.split()
        if 1 <= len(words) <= 5 and len(name) <= 60 and not _NOT_IN_NAME.search(name):
            return text, name
    return None


def title_like(text: str) -> bool:
    """A short line with a letter and no final punctuation: it may be a title."""
    words = plain_text(text).split()
    return (
        1 <= len(words) <= TITLE_WORDS
        and words[-1][-1] not in ".!?؟:;؛,،…"
        and bool(re.search(r"[^\W\d_]", text))
    )


def has_words(text: str) -> bool:
    """Whether the line holds a letter or a digit (not only punctuation or symbols)."""
    return bool(re.search(r"[^\W_]", text))
