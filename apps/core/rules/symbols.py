"""UN document symbols and mentions of resolutions.

A document symbol is an organ (``A``, ``S``, ``E``, ``ST``), then slash-separated parts
of capital letters ("RES", "PRST", "AC.26"), a number and more numbers or session parts
("Rev.1"): ``S/2015/730``, ``A/66/811``, ``A/RES/65/283``, ``S/PRST/2008/36``. A year in
brackets belongs only to Security Council resolutions: ``S/RES/2171 (2014)``. A symbol
of one number under four digits ("A/1") is more likely a grade than a document.

A resolution is a body (the General Assembly or the Security Council) and a number:
``65/283`` (session/number), ``2171 (2014)`` (number and year) or a bare ``1325``. It is
mentioned as "General Assembly resolution 65/283", "resolutions 2171 (2014) and 2382
(2017)", "قرار الجمعية العامة 65/283", "قرار مجلس الأمن رقم ٢١٧١ (٢٠١٤)" (a bare number
only first in a list: in "resolution 65/283, 22 June" the 22 is not a resolution), or
by its symbol ``A/RES/65/283`` / ``S/RES/2171 (2014)``. Numbers are written the one way
:func:`resolution_number` gives ("2171 (2014)", "65/283"), whatever the spacing.

What a reader types in a search box is a symbol in any case or only its numbers
(:data:`SEARCH_SYMBOL`: "s/2015/730", "2015/730", "65/283").

Every document with a symbol has a stable address in the UN's Official Document System
in each of the six official languages (:func:`official_document_url`); a resolution's
symbol is :func:`resolution_symbol`.
"""

import re
from typing import NamedTuple
from urllib.parse import quote

from .arabic import ARABIC_LETTER, fold

GENERAL_ASSEMBLY, SECURITY_COUNCIL = "General Assembly", "Security Council"

_SYMBOL = (
    r"(?<![\w/])(?:A|S|E|ST)/(?:[A-Z]{1,6}(?:\.\d{1,3})?/)*\d{1,5}"
    r"(?:/(?:\d{1,4}|[A-Z][a-z]{1,5}\.\d{1,3}))*(?:\s*\(\d{4}\))?(?![\w/])"
)
SYMBOL = re.compile(_SYMBOL)
SEARCH_SYMBOL = re.compile(rf"{_SYMBOL}|(?<![\w/])\d+(?:/\d+)+(?![\w/])", re.IGNORECASE)
_RES_SYMBOL = re.compile(r"(?P<organ>A|S)/RES/(?P<number>\d{1,4}(?:/\d{1,4})?(?: \(\d{4}\))?)")
_YEAR = re.compile(r"\s*\(")

_FULL_NUMBER = r"\d{1,4}\s*/\s*\d{1,4}(?!\d)|\d{1,5}\s*\(\s*\d{4}\s*\)"
_NUMBER = _FULL_NUMBER + r"|\d{1,5}(?![\d/])"
_EN_RESOLUTION = re.compile(
    rf"(?:(?P<body>General Assembly|Security Council)(?:['’]s)?\s+)?\bresolutions?\s+"
    rf"(?:No\.?\s*|number\s+)?(?P<first>{_NUMBER})"
    rf"(?P<more>(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:{_FULL_NUMBER}))*)",
    re.IGNORECASE,
)
_AR_RESOLUTION = re.compile(
    rf"(?<![{ARABIC_LETTER}])[وبل]?(?:ال)?(?:قرارات|قراري|قرارها|قراره|قرار)\s+"
    r"(?:(?P<body>الجمعية العامة|مجلس الامن)\s+)?(?:(?:رقم|المرقم)\s+)?"
    rf"(?P<first>{_NUMBER})(?P<more>(?:\s*(?:،|,|و)\s*(?:{_FULL_NUMBER}))*)"
)
_FULL = re.compile(_FULL_NUMBER)
_BODIES = {
    "general assembly": GENERAL_ASSEMBLY,
    "security council": SECURITY_COUNCIL,
    "الجمعية العامة": GENERAL_ASSEMBLY,
    "مجلس الامن": SECURITY_COUNCIL,
}


# The six official languages of the United Nations, in the UN's own order (English
# names, alphabetical): every official document is issued in each of them.
OFFICIAL_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
# Each language named in itself, as a list of language versions shows them.
OFFICIAL_LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
# The Official Document System's stable address of a document in one language: the
# language code, then the symbol with its spaces removed, e.g.
# https://docs.un.org/en/S/RES/2171(2014), https://docs.un.org/ar/A/66/811. It is the
# form in which UN pages and citations link official documents today; the older short
# form https://undocs.org/<symbol> (and undocs.org/<language>/<symbol>) leads to it.
OFFICIAL_DOCUMENT_URL = "https://docs.un.org/{language}/{symbol}"
_RESOLUTION_SYMBOL_PREFIX = {GENERAL_ASSEMBLY: "A/RES/", SECURITY_COUNCIL: "S/RES/"}


def official_document_url(symbol, language="en"):
    """The Official Document System's address of the document ``symbol`` in
    ``language`` (one of :data:`OFFICIAL_LANGUAGES`; any other language gets the
    English one)."""
    if language not in OFFICIAL_LANGUAGES:
        language = "en"
    compact = re.sub(r"\s+", "", symbol.strip())
    return OFFICIAL_DOCUMENT_URL.format(language=language, symbol=quote(compact, safe="/()."))


def official_documents(symbol, first="en"):
    """The document ``symbol`` in each official language, ``first`` (the reader's)
    leading and the others in the UN's order: ``[(language, name, url)]``."""
    order = sorted(OFFICIAL_LANGUAGES, key=lambda language: language != first)
    return [
        (language, OFFICIAL_LANGUAGE_NAMES[language], official_document_url(symbol, language))
        for language in order
    ]


def resolution_symbol(body, number):
    """The symbol of resolution ``number`` of ``body`` (GENERAL_ASSEMBLY,
    SECURITY_COUNCIL or None): "A/RES/65/283", "S/RES/2171 (2014)"; None when the
    number alone does not make a symbol.

    The number's form names its organ: "65/283" (session and number) is the General
    Assembly's, "2171 (2014)" (number and year) the Security Council's. A bare number
    ("resolution 1325") is neither: a Security Council symbol needs its year and a
    General Assembly one before 1976 its session in Roman numerals, which the text
    does not give. A form that is not the named body's gives None too."""
    number = resolution_number(number)
    if "/" in number:
        organ = GENERAL_ASSEMBLY
    elif "(" in number:
        organ = SECURITY_COUNCIL
    else:
        return None
    if body is not None and body != organ:
        return None
    return _RESOLUTION_SYMBOL_PREFIX[organ] + number


class SymbolMention(NamedTuple):
    start: int
    end: int
    symbol: str


class ResolutionMention(NamedTuple):
    """``offset`` is where the mention begins ("General Assembly resolution…"),
    ``start``–``end`` the resolution's own number or symbol in it."""

    offset: int
    start: int
    end: int
    body: str | None
    number: str


def symbol_mentions(text):
    """Each document symbol in ``text``, in order, written the one way ("S/RES/2171 (2014)")."""
    for match in SYMBOL.finditer(text):
        symbol, end = _YEAR.sub(" (", match.group()), match.end()
        if symbol.count("/") < 2 and len(symbol.split("/")[1].split(" ")[0]) < 4:
            continue
        if "(" in symbol and not symbol.startswith("S/RES/"):
            symbol = symbol.split(" (")[0]
            end = match.start() + len(_YEAR.split(match.group())[0])
        yield SymbolMention(match.start(), end, symbol)


def find_symbols(text):
    """The document symbols in ``text``, distinct, in order of first mention."""
    return tuple(dict.fromkeys(mention.symbol for mention in symbol_mentions(text)))


def resolution_number(raw):
    """A resolution number written the one way: "65/283", "2171 (2014)"."""
    raw = re.sub(r"\s*/\s*", "/", raw.strip())
    return re.sub(r"\s*\(\s*(\d{4})\s*\)", r" (\1)", raw)


def resolution_mentions(text):
    """Each resolution mentioned in ``text`` (:class:`ResolutionMention`), in order of
    ``offset``; the body is None when the text does not name it ("resolution 1325")."""
    folded = fold(text)
    found = []
    # Most paragraphs name no resolution: the patterns run only where their word is.
    patterns = [_EN_RESOLUTION] if "resolution" in folded.lower() else []
    patterns += [_AR_RESOLUTION] if "قرار" in folded else []
    for pattern in patterns:
        for match in pattern.finditer(folded):
            body = match.group("body")
            body = _BODIES[body.lower()] if body else None
            numbers = [match.span("first")]
            if match.group("more"):
                more = match.start("more")
                numbers += [
                    (more + m.start(), more + m.end()) for m in _FULL.finditer(match["more"])
                ]
            for start, end in numbers:
                number = resolution_number(folded[start:end])
                found.append(ResolutionMention(match.start(), start, end, body, number))
    for mention in symbol_mentions(folded) if "/" in folded else ():
        if symbol := _RES_SYMBOL.fullmatch(mention.symbol):
            body = GENERAL_ASSEMBLY if symbol["organ"] == "A" else SECURITY_COUNCIL
            found.append(
                ResolutionMention(mention.start, mention.start, mention.end, body, symbol["number"])
            )
    return sorted(found, key=lambda mention: mention.offset)
