"""The text rules (apps/core/rules) are written once and every user agrees on them:
the parsers, the markup converter, the mention linker, the validators and search."""

from django.core.exceptions import ValidationError

import pytest
from site_tree import build_site, url

from apps.core import mentions
from apps.core.mentions import link_mentions
from apps.core.rules.links import validate_link_target
from apps.importer.markup import html_to_markup, markup_to_html, strip_links
from apps.importer.records import Link, Resolution
from apps.importer.text import (
    charter_articles,
    find_resolutions,
    find_symbols,
    fold,
    parse_inline,
    strip_tashkeel,
)
from apps.news.models import NewsStoryPage, RelatedStory
from apps.reports.models import ReportMandate
from apps.search.normalise import highlight_terms, normalise_for_search, word_matches

WIKI = "https://example.org/Foo_(bar)"
SC = "Security Council"


def linker_knows(monkeypatch, articles=(), symbols=(), resolutions=()):
    """The mention linker with these ``{key: url}`` targets instead of the site's pages."""
    found = {"articles": dict(articles), "symbols": dict(symbols), "resolutions": dict(resolutions)}
    monkeypatch.setattr(mentions, "targets", lambda language: found)


def no_pages(key):
    raise AssertionError(f"no page link expected, got page:{key}")


# Link grammar and safe targets ----------------------------------------------------------


def test_a_target_with_balanced_parentheses_is_parsed_as_a_link():
    assert parse_inline(f"See [x]({WIKI}) here.") == ("See ", Link("x", WIKI), " here.")


def test_a_target_with_balanced_parentheses_is_rendered_as_a_link():
    assert markup_to_html(f"See [x]({WIKI}) here.", no_pages) == (
        f'<p>See <a href="{WIKI}">x</a> here.</p>'
    )
    assert strip_links(f"[x]({WIKI})") == "x"


def test_rich_text_with_such_a_link_round_trips_through_markup():
    html = f'<p>See <a href="{WIKI}">x</a> here.</p>'
    assert markup_to_html(html_to_markup(html, no_pages), no_pages) == html


@pytest.mark.parametrize("target", ["/\\evil.com", "//evil.com", "javascript:alert(1)"])
def test_a_target_that_leaves_the_site_unsafely_is_refused_by_the_validator(target):
    with pytest.raises(ValidationError):
        validate_link_target(target)


def test_the_news_tracker_address_refuses_a_backslash_path():
    field = RelatedStory._meta.get_field("url")
    with pytest.raises(ValidationError):
        field.run_validators("/\\evil.com")
    field.run_validators("/en/news/")  # a path on the site is fine


def test_a_backslash_path_is_refused_by_the_importer():
    assert parse_inline("[x](/\\evil.com)") == (Link("x", None),)  # the text stays
    with pytest.raises(ValueError, match="evil"):
        markup_to_html("[x](/\\evil.com)", no_pages)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("\\[sic](/x)", "[sic](/x)"),  # an escaped bracket opens no link
        ("[](/x)", "[](/x)"),  # nor does an empty text
        ("[ ](/x)", "[ ](/x)"),  # nor a blank one
    ],
)
def test_brackets_that_are_not_links_are_text_for_parser_and_converter(markup, text):
    assert parse_inline(markup) == (text,)
    assert markup_to_html(markup, no_pages) == f"<p>{text}</p>"


# Document symbols, resolutions, Charter articles ----------------------------------------


def test_a_symbol_is_recognised_alike_by_parser_search_and_linker(monkeypatch):
    symbol = "A/AC.26/2019/1"  # a subsidiary body's symbol: a dot in a part
    assert find_symbols(f"See {symbol}.") == (symbol,)
    assert "aac2620191" in normalise_for_search(f"See {symbol}.").split()
    assert word_matches(f"{symbol}.", highlight_terms(symbol.lower()))
    linker_knows(monkeypatch, symbols={symbol: "/r/"})
    assert link_mentions(f"<p>See {symbol}.</p>", "en") == (
        f'<p>See <a class="mention" href="/r/">{symbol}</a>.</p>'
    )


def test_a_year_after_a_symbol_that_is_not_a_resolution_is_not_part_of_it(monkeypatch):
    linker_knows(monkeypatch, symbols={"S/2015/730": "/r/"})
    assert find_symbols("S/2015/730 (2015)") == ("S/2015/730",)
    assert link_mentions("S/2015/730 (2015)", "en") == (
        '<a class="mention" href="/r/">S/2015/730</a> (2015)'
    )


def test_an_article_of_another_instrument_is_neither_found_nor_linked(monkeypatch):
    linker_knows(monkeypatch, articles={5: "/a5/", 99: "/a99/"})
    text = "Article 5 of the Convention, and Article 99."
    assert charter_articles(text) == (99,)
    assert link_mentions(text, "en") == (
        'Article 5 of the Convention, and <a class="mention" href="/a99/">Article 99</a>.'
    )


def test_arabic_forms_of_article_mentions_are_found_and_linked_alike(monkeypatch):
    linker_knows(monkeypatch, articles={98: "/a98/", 99: "/a99/"})
    text = "وفقا للمادة ٩٩ والمادتين 98 و99"
    assert charter_articles(text) == (98, 99)
    linked = link_mentions(text, "ar")
    assert '<a class="mention" href="/a99/">للمادة ٩٩</a>' in linked
    assert '<a class="mention" href="/a98/">والمادتين 98</a>' in linked
    assert '<a class="mention" href="/a99/">99</a>' in linked


def test_the_charter_has_111_articles():
    assert charter_articles("Articles 111 and 112") == (111,)


def test_resolutions_are_found_and_linked_by_the_same_number(monkeypatch):
    linker_knows(monkeypatch, resolutions={"2171 (2014)": "/r/", "65/283": "/g/"})
    text = "Security Council resolution 2171(2014) and A/RES/65/283; 22/06 is a date."
    assert find_resolutions(text) == (
        Resolution(SC, "2171 (2014)"),
        Resolution("General Assembly", "65/283"),
    )
    assert link_mentions(text, "en") == (
        'Security Council resolution <a class="mention" href="/r/">2171(2014)</a> and '
        '<a class="mention" href="/g/">A/RES/65/283</a>; 22/06 is a date.'
    )


def test_the_apps_register_their_lookups_and_links_follow_them(home_page):
    site = build_site(home_page)
    ReportMandate.objects.create(page=site.report, body="SC", number="2171(2014)")
    site.report.save_revision().publish()
    html = link_mentions(
        "<p>Article 99, S/2011/552 and resolution 2171 (2014); S/2011/553.</p>", "en"
    )
    article, report = url(site.article_99, "en"), url(site.report, "en")
    assert f'<a class="mention" href="{article}">Article 99</a>' in html
    assert f'<a class="mention" href="{report}">S/2011/552</a>' in html
    assert f'<a class="mention" href="{report}">2171 (2014)</a>' in html
    # No such report on the site: the official document.
    assert (
        '<a class="mention mention--official" hreflang="en" '
        'href="https://docs.un.org/en/S/2011/553">S/2011/553</a>.</p>'
    ) in html


def test_a_mention_kind_must_be_known():
    with pytest.raises(ValueError, match="unknown kind"):
        mentions.register("treaties", NewsStoryPage, "title")


# Arabic folding -------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["الأمـــمُ", "الأُمَمِ", "\u0627\u0644\u0623\u0645\u0645\u0610"])
def test_parser_and_search_fold_diacritics_and_tatweel_alike(word):
    assert fold(strip_tashkeel(word)) == "الامم"
    assert normalise_for_search(word) == normalise_for_search("الامم") == "امم"
    assert word_matches(word, highlight_terms("الامم"))
