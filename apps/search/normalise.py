"""Text normalisation for search, applied alike to indexed text and to queries.

Arabic is folded as :func:`apps.core.rules.arabic.normalise` says (as Lucene's
ArabicNormalizer: no diacritics or tatweel; أ إ آ ٱ → ا; ى → ي; ة → ه), then loses a
prefix as the prefix part of Lucene's light stemmer does (ال وال بال كال فال لل و),
which PostgreSQL's own ``arabic`` configuration does not do. So "أمين" finds
"الأمين" and "الوساطه" finds "والوساطة". ؤ and ئ are left alone, as Lucene does.
English words are left for PostgreSQL's ``english`` configuration to stem. Document
symbols (:data:`apps.core.rules.symbols.SEARCH_SYMBOL`) are also indexed whole and by
number ("S/2015/730" → "s2015730" and "2015730"), so the slash parts survive any
tokenizer.

Each word is treated by its script, not by the page's language, so an Arabic word
quoted in English text is normalised as Arabic; ``language`` is accepted for the
callers' clarity.
"""

import re
from functools import lru_cache
from os.path import commonprefix

from apps.core.rules.arabic import has_arabic
from apps.core.rules.arabic import normalise as normalise_arabic
from apps.core.rules.symbols import SEARCH_SYMBOL

# Longest first, as Lucene's ArabicStemmer checks them.
PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
WORD = re.compile(r"\w+", re.UNICODE)


def stem_arabic(word):
    """Strip one article prefix (ال and its forms), then a leading و, as long as at
    least two letters (three after و) remain. Lucene strips one prefix only; taking
    و after the article too keeps "وساطة" and "بالوساطة" together."""
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    if word.startswith("و") and len(word) >= 4:
        word = word[1:]
    return word


def symbol_tokens(text):
    """Compact forms of the document symbols and resolution numbers in ``text``."""
    tokens = []
    for match in SEARCH_SYMBOL.finditer(text):
        whole = re.sub(r"\W", "", match.group(0)).lower()
        number = re.sub(r"\D", "", match.group(0))
        tokens += [whole, number] if whole != number else [whole]
    return tokens


@lru_cache(maxsize=16_384)
def indexed_word(word):
    """One word of normalised text as it is indexed: stemmed if Arabic, lower-cased
    otherwise. Remembered: a language's running text is mostly the same few thousand
    words, and an import normalises every page's text (stemming each word anew was a
    twentieth of an imported page's CPU time). Bounded, so that a web worker, which
    normalises queries and snippets, holds a few megabytes of it at most."""
    return stem_arabic(word) if has_arabic(word) else word.lower()


def normalise_for_search(text, language=None):
    """The words of ``text`` as they are indexed and searched."""
    text = normalise_arabic(text or "")
    return " ".join([*map(indexed_word, WORD.findall(text)), *symbol_tokens(text)])


def highlight_terms(query, language=None):
    """The query's terms as the snippet highlights them: a document symbol counts as
    one term rather than its parts ("S/2015/730" must not mark every "s" or "2015"),
    and one-letter words are not marked."""
    text = normalise_arabic(query or "")
    words = normalise_for_search(SEARCH_SYMBOL.sub(" ", text), language).split()
    return [word for word in words if len(word) > 1] + symbol_tokens(text)


def _same_word(token, term):
    if token == term:
        return True
    # Arabic and numbers match exactly after normalisation, as in the index. English
    # is stemmed by PostgreSQL ("mediators" finds "mediation"); a word sharing most
    # of its beginning with the term is taken to share its stem. Short words match
    # only themselves, so "in" does not mark "international".
    if not (token.isascii() and token.isalpha() and term.isascii() and term.isalpha()):
        return False
    return len(commonprefix([token, term])) >= max(4, min(len(token), len(term)) - 3)


def word_matches(word, terms):
    """Whether one word of running text matches any term of ``highlight_terms``."""
    return any(
        _same_word(token, term) for token in normalise_for_search(word).split() for term in terms
    )
