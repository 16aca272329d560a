"""Arabic folding: which Arabic spellings count as the same when text is matched.

- Diacritics are one set, :data:`DIACRITICS`: the harakat and tanwin (U+064B–U+065F),
  the superscript (dagger) alef U+0670, and the Quranic signs U+0610–U+061A and
  U+06D6–U+06ED. They and the tatweel U+0640 (a stretch of the line, not a letter) are
  dropped by :func:`strip_diacritics`.
- :func:`fold` unifies the alef forms (أ إ آ ٱ → ا) and the digits (Arabic-Indic ٠–٩
  and Persian ۰–۹ → 0–9) one character for one, so that an offset in the folded copy is
  the same offset in the original: the parsers match on the folded copy and slice what
  they keep from the original.
- :func:`normalise` is what search needs, as Lucene's ArabicNormalizer does: NFKC
  (presentation forms and ligatures of text taken from PDFs become letters, a hamza
  written as a combining mark joins its letter), no diacritics or tatweel, :func:`fold`,
  and also ى → ي and ة → ه. ؤ and ئ are left alone.

An Arabic letter is one of :data:`ARABIC_LETTER` (a character class body for regexes).
"""

import re
import unicodedata

ARABIC_LETTER = "\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f"
ARABIC = re.compile(f"[{ARABIC_LETTER}\ufb50-\ufdff\ufe70-\ufefc]")  # presentation forms too
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
TATWEEL = "\u0640"

_DIGITS = {
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic ٠-٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) ۰-۹
}
_ALEF = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
_FOLD = {**_ALEF, **_DIGITS}
_SEARCH = {**_FOLD, "ى": "ي", "ة": "ه"}
_MARKS = re.compile(f"[{DIACRITICS}{TATWEEL}]")
# The characters each table changes, replaced where they are found: ``str.translate``
# looks every character of a text up, which on text that is not ASCII took four times
# as long (the parsers fold each paragraph of an Arabic document several times).
_FOLDABLE = re.compile(f"[{''.join(_ALEF)}\u0660-\u0669\u06f0-\u06f9]")
_SEARCHABLE = re.compile(f"[{''.join(_ALEF)}\u0660-\u0669\u06f0-\u06f9ىة]")


def _replace(table):
    return lambda match: table[match[0]]


_FOLDED, _SEARCHED = _replace(_FOLD), _replace(_SEARCH)


def fold(text):
    """A copy of ``text`` of the same length for matching: alef forms and digits unified."""
    return _FOLDABLE.sub(_FOLDED, text)


def strip_diacritics(text):
    """``text`` without diacritics and tatweel (not length-preserving: for comparing words)."""
    return _MARKS.sub("", text)


def normalise(text):
    """``text`` as search indexes and queries it (see the module's docstring)."""
    text = strip_diacritics(unicodedata.normalize("NFKC", text))
    return _SEARCHABLE.sub(_SEARCHED, text)


def has_arabic(text):
    return bool(ARABIC.search(text))
