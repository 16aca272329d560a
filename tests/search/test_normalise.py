"""Arabic and symbol normalisation for search (no database)."""

import pytest

from apps.search.normalise import (
    highlight_terms,
    normalise_arabic,
    normalise_for_search,
    word_matches,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أمين", "امين"),
        ("إنشاء", "انشاء"),
        ("آمن", "امن"),
        ("الوَسَاطَة", "الوساطه"),
        ("الوسـاطة", "الوساطه"),
        ("مستشفى", "مستشفي"),
        ("ٱلله", "الله"),
        ("رحمٰن", "رحمن"),  # superscript alef
        ("مسؤول", "مسؤول"),  # Lucene leaves ؤ alone
        ("\ufefb", "لا"),  # lam-alef ligature, as text taken from a PDF has it
        ("\u0627\u0654مين", "امين"),  # hamza written as a combining mark
        ("٢٠١٥", "2015"),
        ("۲۰۱۵", "2015"),
    ],
)
def test_arabic_normaliser(text, expected):
    assert normalise_arabic(text) == expected


@pytest.mark.parametrize(
    ("query", "indexed"),
    [
        ("أمين", "الأمين"),
        ("الامين", "الأمين"),
        ("الوساطه", "والوساطة"),
        ("الوَسَاطَة", "الوساطة"),
        ("وساطة", "بالوساطة"),
        ("الوسـاطة", "الوساطة"),
        ("مستشفى", "المستشفي"),
        ("الامين", "للأمين"),
    ],
)
def test_query_and_text_meet(query, indexed):
    assert normalise_for_search(query) == normalise_for_search(indexed)


def test_short_words_keep_their_letters():
    assert normalise_for_search("وال") == "وال"
    assert normalise_for_search("ال") == "ال"


def test_english_is_lowercased_not_stemmed_here():
    assert normalise_for_search("Mediators MEDIATION") == "mediators mediation"


def test_symbols_are_indexed_whole_and_by_number():
    tokens = normalise_for_search("report S/2015/730 and resolution 65/283").split()
    assert {"s2015730", "2015730", "65283"} <= set(tokens)
    assert normalise_for_search("2015/730").split()[-1] == "2015730"


def test_prefixes_are_kept_when_too_little_would_remain():
    assert normalise_for_search("وزن") == "وزن"  # و of a three-letter word is a root letter
    assert normalise_for_search("الله") == "له"  # two letters remain: stripped, as Lucene does


def test_word_matches_for_highlighting():
    terms = highlight_terms("الامين")
    assert word_matches("الأمين", terms)
    assert word_matches("للأمين،", terms)
    assert not word_matches("الوساطة", terms)


@pytest.mark.parametrize(
    ("query", "word", "marked"),
    [
        ("mediation", "Mediation,", True),
        ("mediators", "mediation", True),  # PostgreSQL stems both to one word
        ("peace", "peaceful", True),
        ("in", "international", False),
        ("the", "them", False),
        ("international", "in", False),
        ("منظمة", "من", False),
        ("من", "المنظمة", False),
        ("S/2015/730", "S/2015/730.", True),
        ("S/2015/730", "Security", False),  # not through the "s" of the symbol
        ("S/2015/730", "Secretary-General’s", False),
        ("S/2015/730", "2015", False),
        ("2015/730", "S/2015/730", True),
        ("A/66/811", "Assembly", False),
    ],
)
def test_highlighting_marks_matching_words_only(query, word, marked):
    assert word_matches(word, highlight_terms(query)) is marked


def test_highlight_terms_keep_symbols_whole():
    assert highlight_terms("report S/2015/730") == ["report", "s2015730", "2015730"]
