"""Mentions of the articles of the Charter of the United Nations.

The Charter has 111 articles: a number outside 1–111 is not one of them. A mention is
written

- in English "Article 99", "article 2 (4)", "Articles 98 and 99", "Articles 33, 34 or
  35", "Article 98 and Article 99" (any case);
- in Arabic "المادة 99", "المادتين 98 و99", "المواد 33 و34", with the prefixes و ف ب ك
  and ال/لل ("للمادة ٩٩", "وبالمادة 2"), in Arabic-Indic or ASCII digits.

A mention followed by "of the <another instrument>" ("Article 5 of the Convention") or
"من <غير الميثاق>" is another instrument's article, not the Charter's. Matching is done
on the folded text (:func:`apps.core.rules.arabic.fold`), so offsets are the original's.
"""

import re
from typing import NamedTuple

from .arabic import ARABIC_LETTER, fold, strip_diacritics

CHARTER_ARTICLES = range(1, 112)

_EN_NUMBER = r"\d{1,3}(?!\d)(?:\s*\(\d{1,2}\))?"
_EN_ARTICLE = re.compile(
    rf"\barticles?\s+(?P<first>{_EN_NUMBER})"
    rf"(?P<more>(?:\s*(?:,\s*(?:and|or)?|and|or|&)\s*(?:articles?\s+)?{_EN_NUMBER})*)",
    re.IGNORECASE,
)
_EN_OTHER = re.compile(
    r"\s*,?\s*of\s+the\s+(?!(?:UN\s+|United\s+Nations\s+)?Charter\b)\w", re.IGNORECASE
)
_AR_ARTICLE = re.compile(
    rf"(?<![{ARABIC_LETTER}])[وف]?[بك]?(?:ال|لل)?(?:مادة|مادتين|مادتان|مواد)\s+(?P<first>\d{{1,3}})"
    r"(?P<more>(?:\s*(?:،|,|و)\s*(?:ال)?(?:مادة\s+)?\d{1,3}(?!\d))*)"
)
_AR_OTHER = re.compile(rf"\s+من\s+(?!(?:ال)?ميثاق)[{ARABIC_LETTER}]")
# The stem of every Arabic form above: مادة, مادتين, مادتان, مواد.
_AR_WORD = re.compile("ماد|مواد")
_NUMBER = re.compile(r"(?P<article>\d+)(?:\s*\(\d+\))?")


class Article(NamedTuple):
    """One article named in a mention; ``start``–``end`` is the text that names it: from
    the mention's first word for the first article ("Article 98"), its number alone
    for the others ("99")."""

    start: int
    end: int
    article: int


class ArticleMention(NamedTuple):
    start: int
    end: int
    articles: tuple[int, ...]


def _mentions(text):
    """``(start, end, [Article, ...])`` for each mention of the Charter, unsorted."""
    folded = fold(text)
    # Most paragraphs name no article: a pattern runs only where its word is.
    patterns = [(_EN_ARTICLE, _EN_OTHER)] if "article" in folded.lower() else []
    patterns += [(_AR_ARTICLE, _AR_OTHER)] if _AR_WORD.search(folded) else []
    for pattern, other in patterns:
        for match in pattern.finditer(folded):
            if other.match(folded, match.end()):
                continue
            articles = []
            for number in _NUMBER.finditer(folded, match.start(), match.end()):
                if int(number["article"]) in CHARTER_ARTICLES:
                    start = number.start() if articles else match.start()
                    articles.append(Article(start, number.end(), int(number["article"])))
            if articles:
                yield match.start(), match.end(), articles


def article_mentions(text):
    """``(start, end, articles)`` for each mention of Charter articles, in order."""
    return sorted(
        ArticleMention(start, end, tuple(a.article for a in articles))
        for start, end, articles in _mentions(text)
    )


def article_spans(text):
    """Each article named in ``text`` with the span that names it (:class:`Article`), in
    order: what a mention becomes when it is linked."""
    return sorted(article for _s, _e, articles in _mentions(text) for article in articles)


def charter_articles(text):
    """The Charter articles mentioned in ``text``, sorted and distinct."""
    return tuple(sorted({n for _s, _e, articles in article_mentions(text) for n in articles}))


SIC = {"ar": "[كذا]", "en": "[sic]"}


def _comparable(text):
    return " ".join(strip_diacritics(text).split())


def quotes_faithfully(quoted, official):
    """Whether ``quoted`` is found word for word in ``official`` (an article's text in
    the same language), diacritics and spacing aside. Hamza and alef forms count: «والآمن»
    is not «والأمن»."""
    return _comparable(quoted.rstrip(" .،,")) in _comparable(official)


def sic_note(article, official, language):
    """The note under a quotation that departs from the Charter: the words stay as the
    source gives them, followed by «[كذا]» ([sic]), and the note gives the article's
    text."""
    official = " ".join(official.split())
    if language == "ar":
        return f"«[كذا]»: كذا في المصدر. ونص المادة {article} من الميثاق: «{official}»"
    return f"[sic]: thus in the source. Article {article} of the Charter reads: “{official}”"
