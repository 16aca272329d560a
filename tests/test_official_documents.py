"""The official documents one click away: a report's symbol in the six official
languages, its citation, and mentions of documents the site has no page for."""

import re
from urllib.parse import unquote

from django.utils import translation

import pytest

from apps.core.mentions import link_mentions
from apps.core.rules.symbols import (
    GENERAL_ASSEMBLY,
    SECURITY_COUNCIL,
    official_document_url,
    official_documents,
    resolution_symbol,
)
from apps.reports.models import ReportPage


def url(page, language):
    with translation.override(language):
        return page.get_url()


def test_official_document_addresses():
    assert official_document_url("S/2015/730", "ar") == "https://docs.un.org/ar/S/2015/730"
    assert official_document_url("S/RES/2171 (2014)", "fr") == (
        "https://docs.un.org/fr/S/RES/2171(2014)"
    )
    # A language that is not one of the six gets the English version.
    assert official_document_url("A/66/811", "de") == "https://docs.un.org/en/A/66/811"
    languages = [language for language, _name, _url in official_documents("A/66/811", "ar")]
    assert languages == ["ar", "zh", "en", "fr", "ru", "es"]
    languages = [language for language, _name, _url in official_documents("A/66/811", "en")]
    assert languages == ["en", "ar", "zh", "fr", "ru", "es"]


@pytest.mark.parametrize(
    ("body", "number", "symbol"),
    [
        (GENERAL_ASSEMBLY, "65/283", "A/RES/65/283"),
        (None, "65 / 283", "A/RES/65/283"),
        (SECURITY_COUNCIL, "2171 (2014)", "S/RES/2171 (2014)"),
        (None, "2171(2014)", "S/RES/2171 (2014)"),
        (SECURITY_COUNCIL, "1325", None),  # no year: no symbol to be sure of
        (None, "1325", None),
        (SECURITY_COUNCIL, "65/283", None),  # not a form the Council uses
    ],
)
def test_resolution_symbols(body, number, symbol):
    assert resolution_symbol(body, number) == symbol


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_report_links_its_official_document_in_each_language_the_readers_first(
    client, site, language
):
    report = ReportPage.objects.get(symbol="S/2015/730")
    body = client.get(url(report, language)).content.decode()
    section = body[body.index('<section class="official-document"') :]
    section = section[: section.index("</section>")]
    links = re.findall(r'<a href="([^"]+)"\s+hreflang="(\w+)"', section)
    assert links[0] == (f"https://docs.un.org/{language}/S/2015/730", language)
    listed = [code for _href, code in links[1:]]
    assert sorted(listed) == ["ar", "en", "es", "fr", "ru", "zh"]
    assert listed[0] == language
    assert 'lang="zh">中文</a>' in section and 'lang="ar">العربية</a>' in section


@pytest.mark.django_db
def test_a_report_without_symbol_has_no_official_document_and_cites_its_own_page(client, site):
    report = ReportPage.objects.get(symbol=None)
    body = client.get(url(report, "en")).content.decode()
    assert 'class="official-document"' not in body
    cited = re.findall(r'<p class="citation__text" lang="(\w+)" dir="(\w+)">(.*?)</p>', body)
    assert [(lang, direction) for lang, direction, _text in cited] == [
        ("en", "ltr"),
        ("ar", "rtl"),
    ]
    assert f"http://testserver{url(report, 'en')}" in cited[0][2]
    assert f"http://testserver{unquote(url(report, 'ar'))}" in cited[1][2]


@pytest.mark.django_db
def test_the_citation_names_the_report_in_both_languages(client, site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    body = client.get(url(report, "ar")).content.decode()
    cited = dict(re.findall(r'<p class="citation__text" lang="(\w+)" dir="\w+">(.*?)</p>', body))
    assert list(cited) == ["ar", "en"]  # the reader's language first
    assert cited["en"] == (
        f"Report of the Secretary-General, “{report.title_en}”, "
        '<bdi dir="ltr">S/2015/730</bdi>, 25 September 2015. '
        '<bdi dir="ltr">https://docs.un.org/en/S/2015/730</bdi>'
    )
    assert report.title_ar in cited["ar"] and "تقرير الأمين العام" in cited["ar"]
    assert "25 أيلول/سبتمبر 2015" in cited["ar"]
    assert '<bdi dir="ltr">https://docs.un.org/ar/S/2015/730</bdi>' in cited["ar"]


@pytest.mark.django_db
def test_a_mention_with_no_report_on_the_site_links_to_the_official_document(site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    html = (
        "<p>See S/2015/730, S/2009/189 and S/2020/123; General Assembly resolution 65/283,"
        " resolution 60/1, resolution 1325 and A/RES/60/1.</p>"
    )
    linked = link_mentions(html, "en")
    # On the site: its page.
    assert f'<a class="mention" href="{url(report, "en")}">S/2015/730</a>' in linked
    # Not on the site: the official document, in the text's language.
    official = '<a class="mention mention--official" hreflang="en" href="{}">{}</a>'
    assert official.format("https://docs.un.org/en/S/2020/123", "S/2020/123") in linked
    assert official.format("https://docs.un.org/en/A/RES/60/1", "60/1") in linked
    assert official.format("https://docs.un.org/en/A/RES/60/1", "A/RES/60/1") in linked
    # A resolution a report answers links to the report.
    a_66_811 = ReportPage.objects.get(symbol="A/66/811")
    assert f'<a class="mention" href="{url(a_66_811, "en")}">65/283</a>' in linked
    # A bare number names no document for certain: left as text.
    assert "resolution 1325 and" in linked
    arabic = link_mentions("<p>قرار مجلس الأمن 2250 (2015)</p>", "ar")
    assert 'hreflang="ar" href="https://docs.un.org/ar/S/RES/2250(2015)">2250 (2015)</a>' in arabic


def test_addresses_are_shown_as_written_not_percent_escaped(client, site):
    report = ReportPage.objects.get(slug_en="preventive-diplomacy-delivering-results")
    body = client.get(url(report, "ar")).content.decode()
    arabic_address = f"http://testserver{unquote(url(report, 'ar'))}"
    cited = dict(re.findall(r'<p class="citation__text" lang="(\w+)" dir="\w+">(.*?)</p>', body))
    assert f'<bdi dir="ltr">{arabic_address}</bdi>' in cited["ar"] and "%D8" not in cited["ar"]
    assert f'value="{arabic_address}"' in body  # the address to copy
