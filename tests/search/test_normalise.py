"""Arabic and symbol normalisation for search (no database)."""

import pytest

from apps.search.normalise import normalise_arabic, normalise_for_search, word_matches


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أمين", "امين"),
        ("إنشاء", "انشاء"),
        ("آمن", "امن"),
        ("الوَسَاطَة", "الوساطه"),
        ("الوسـاطة", "الوساطه"),
        ("مستشفى", "مستشفي"),
        ("٢٠١٥", "2015"),
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


def test_word_matches_for_highlighting():
    terms = normalise_for_search("الامين").split()
    assert word_matches("الأمين", terms)
    assert word_matches("للأمين،", terms)
    assert not word_matches("الوساطة", terms)
