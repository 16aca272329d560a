"""Helpers the raw-document parsers share: whitespace, inline links, Arabic
folding for matching, and mentions of Charter articles, resolutions and UN
document symbols.

Plain functions over ``str``; no Django. Matching is done on a *folded* copy of
the text (:func:`fold`), which replaces characters one for one, so that an
offset in the folded copy is the same offset in the original: hamza forms of
alef (أ إ آ ٱ) become ا and Arabic-Indic digits become ASCII digits. Text that is
kept (a quotation, a name, a summary) is always sliced from the original.
"""

from __future__ import annotations

import re

from .records import Link, Resolution, Segment

# Whitespace ----------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Runs of any Unicode whitespace (tabs, no-break spaces, line breaks) as one space,
    trimmed at both ends."""
    return " ".join(text.split())


# Folding for matching -------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠-٩
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) ۰-۹
    }
)
_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alef, tatweel


def fold(text: str) -> str:
    """A copy of ``text`` of the same length for matching: alef forms and digits unified."""
    return text.translate(_FOLD)


def ascii_digits(text: str) -> str:
    return text.translate({k: v for k, v in _FOLD.items() if chr(k).isdigit()})


def strip_tashkeel(text: str) -> str:
    """Without Arabic diacritics and tatweel (not length-preserving: for comparing words)."""
    return _TASHKEEL.sub("", text)


# Scripts and language -------------------------------------------------------------------

ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f"
_ARABIC = re.compile(f"[{ARABIC_LETTER}\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_TARGETS = re.compile(r"\]\([^()]*\)|https?://\S+")


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def detect_language(text: str) -> str | None:
    """``"ar"`` when most letters are Arabic, ``"en"`` when most are Latin, None when
    there are no letters at all. Link targets and bare URLs are not counted."""
    text = _TARGETS.sub("]", text)
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    if not arabic and not latin:
        return None
    return "ar" if arabic > latin else "en"


# Inline links ---------------------------------------------------------------------------

# ``[text](target)``: the text holds no brackets; the target may hold one level of
# balanced parentheses (``https://en.wikipedia.org/wiki/Foo_(bar)``). ``\[`` is a
# literal bracket, as in the fixtures' markup.
LINK = re.compile(r"(?<!\\)\[(?P<text>[^\[\]]*)\]\((?P<target>(?:[^()]|\([^()]*\))*)\)")
_HTTP = re.compile(r"https?://[^\s/?#\\<>\"'`]+(?:[/?#][^\s\\<>\"`]*)?", re.IGNORECASE)
_SITE = re.compile(r"/(?![/\\])[^\s\\<>\"`]*")


def safe_target(target: str | None) -> str | None:
    """``target`` when it is plainly ``http(s)://host…`` or a site path ``/…``; else None.

    Nothing is decoded first: ``java&#115;cript:`` or ``%6Aavascript:`` is simply not
    http(s) and is dropped. ``//host`` (protocol-relative) and ``/\\host`` (which
    browsers read as ``//host``) are dropped too.
    """
    target = (target or "").strip()
    if not target or target == "#":
        return None
    if _HTTP.fullmatch(target) or _SITE.fullmatch(target):
        return target
    return None


def parse_inline(text: str) -> tuple[Segment, ...]:
    """Segments of one paragraph, plain strings and links, with whitespace normalised.

    Square brackets that do not form a link (``[sic]``, ``[](x)``) stay literal text.
    """
    text = normalise_space(text)
    segments: list[Segment] = []

    def add_text(piece: str) -> None:
        piece = piece.replace("\\[", "[")
        if not piece:
            return
        if segments and isinstance(segments[-1], str):
            segments[-1] += piece
        else:
            segments.append(piece)

    position = 0
    for match in LINK.finditer(text):
        label = normalise_space(match.group("text"))
        if not label:
            continue  # "[](…)" and "[ ](…)" are not links: left as text
        add_text(text[position : match.start()])
        segments.append(Link(label, safe_target(match.group("target"))))
        position = match.end()
    add_text(text[position:])
    return tuple(segments)


def plain(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text if isinstance(s, Link) else s for s in segments)


def plain_text(text: str) -> str:
    """Markup as plain text: links replaced by their text."""
    return plain(parse_inline(text))


# Charter articles -----------------------------------------------------------------------

CHARTER_ARTICLES = range(1, 112)  # the Charter has 111 articles

_EN_NUMBER = r"\d{1,3}(?!\d)(?:\s*\(\d{1,2}\))?"
_EN_ARTICLE = re.compile(
    rf"\barticles?\s+(?P<first>{_EN_NUMBER})"
    rf"(?P<more>(?:\s*(?:,\s*(?:and|or)?|and|or|&)\s*(?:articles?\s+)?{_EN_NUMBER})*)",
    re.IGNORECASE,
)
# "Article 5 of the Convention": another instrument, not the Charter.
_EN_OTHER = re.compile(
    r"\s*,?\s*of\s+the\s+(?!(?:UN\s+|United\s+Nations\s+)?Charter\b)\w", re.IGNORECASE
)
_AR_ARTICLE = re.compile(
    rf"(?<![{ARABIC_LETTER}])[وف]?[بك]?(?:ال|لل)?(?:مادة|مادتين|مادتان|مواد)\s+(?P<first>\d{{1,3}})"
    r"(?P<more>(?:\s*(?:،|,|و)\s*(?:ال)?(?:مادة\s+)?\d{1,3}(?!\d))*)"
)
_AR_OTHER = re.compile(rf"\s+من\s+(?!(?:ال)?ميثاق)[{ARABIC_LETTER}]")
_DIGITS = re.compile(r"\d+(?:\s*\(\d+\))?")


def article_mentions(text: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """``(start, end, articles)`` for each mention of Charter articles, in order.

    "Article 99", "Articles 98 and 99", "article 2 (4)", "المادة 99", "المادتين 98 و99",
    "للمادة ٩٩". A mention followed by "of the <another instrument>" / "من <غير الميثاق>"
    is not the Charter's and is left out.
    """
    folded = fold(text)
    found = []
    for pattern, other in ((_EN_ARTICLE, _EN_OTHER), (_AR_ARTICLE, _AR_OTHER)):
        for match in pattern.finditer(folded):
            if other.match(folded, match.end()):
                continue
            numbers = [int(re.match(r"\d+", n).group()) for n in _DIGITS.findall(match.group())]
            numbers = tuple(n for n in numbers if n in CHARTER_ARTICLES)
            if numbers:
                found.append((match.start(), match.end(), numbers))
    return sorted(found)


def charter_articles(text: str) -> tuple[int, ...]:
    """The Charter articles mentioned in ``text``, sorted and distinct."""
    return tuple(sorted({n for _s, _e, numbers in article_mentions(text) for n in numbers}))


# Document symbols and resolutions -------------------------------------------------------

SYMBOL = re.compile(
    r"(?<![\w/])(?:A|S|E|ST)/(?:[A-Z]{1,6}(?:\.\d{1,3})?/)*\d{1,5}"
    r"(?:/(?:\d{1,4}|[A-Z][a-z]{1,5}\.\d{1,3}))*(?:\s*\(\d{4}\))?(?![\w/])"
)
_RES_SYMBOL = re.compile(r"^(?P<organ>A|S)/RES/(?P<number>\d{1,4}(?:/\d{1,4})?(?: \(\d{4}\))?)$")


def find_symbols(text: str) -> tuple[str, ...]:
    """UN document symbols in order, distinct: ``S/2015/730``, ``A/66/811``,
    ``A/RES/65/283``, ``S/PRST/2008/36``, ``S/RES/2171 (2014)``."""
    symbols = []
    for match in SYMBOL.finditer(text):
        symbol = re.sub(r"\s*\(", " (", match.group())
        if symbol.count("/") < 2 and len(symbol.split("/")[1].split(" ")[0]) < 4:
            continue  # "A/1" is more likely a grade than a document; "S/25704" is a document
        if "(" in symbol and not symbol.startswith("S/RES/"):
            symbol = symbol.split(" (")[0]  # a year in brackets belongs only to S/RES symbols
        if symbol not in symbols:
            symbols.append(symbol)
    return tuple(symbols)


GENERAL_ASSEMBLY, SECURITY_COUNCIL = "General Assembly", "Security Council"
# "65/283", "2171 (2014)", or a bare "1325" (only as the first of a list: in
# "resolution 65/283, 22 June" the 22 is not a resolution).
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
_BODIES = {
    "general assembly": GENERAL_ASSEMBLY,
    "security council": SECURITY_COUNCIL,
    "الجمعية العامة": GENERAL_ASSEMBLY,
    "مجلس الامن": SECURITY_COUNCIL,
}


def _number(raw: str) -> str:
    raw = re.sub(r"\s*/\s*", "/", raw.strip())
    return re.sub(r"\s*\(\s*(\d{4})\s*\)", r" (\1)", raw)


def resolution_mentions(text: str) -> list[tuple[int, Resolution]]:
    """``(offset, Resolution)`` for each mention, in order; the body is None when the text
    does not name it ("resolution 1325 (2000)")."""
    folded = fold(text)
    found = []
    for pattern in (_EN_RESOLUTION, _AR_RESOLUTION):
        for match in pattern.finditer(folded):
            body = match.group("body")
            body = _BODIES[body.lower()] if body else None
            numbers = [match.group("first")]
            numbers += re.findall(_FULL_NUMBER, match.group("more") or "")
            for raw in numbers:
                found.append((match.start(), Resolution(body, _number(raw))))
    for match in SYMBOL.finditer(folded):
        symbol = _RES_SYMBOL.match(re.sub(r"\s*\(", " (", match.group()))
        if symbol:
            body = GENERAL_ASSEMBLY if symbol["organ"] == "A" else SECURITY_COUNCIL
            found.append((match.start(), Resolution(body, symbol["number"])))
    return sorted(found, key=lambda item: item[0])


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
