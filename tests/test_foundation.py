"""The bilingual foundation: language prefixes, direction, the switcher and the redirect."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "title"),
    [("en", "en", "ltr", "Peace mediation"), ("ar", "ar", "rtl", "الوساطة من أجل السلام")],
)
def test_home_page_in_each_language(client, home_page, prefix, lang, direction, title):
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_arabic_home_page_shows_arabic_intro_not_english(client, home_page):
    body = client.get("/ar/").content.decode()
    assert "أخبار وتقارير وأحكام من الميثاق بشأن الوساطة." in body
    assert "News, reports and Charter provisions" not in body


@pytest.mark.parametrize(
    ("accept", "target"), [("ar,en;q=0.5", "/ar/"), ("en-GB,en;q=0.9", "/en/"), ("fr", "/en/")]
)
def test_root_redirects_to_preferred_language(client, home_page, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


def switcher_links(body):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    return {lang: href for href, lang in re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)}


def test_language_switcher_leads_to_same_page_in_other_language(client, home_page):
    en_body = client.get("/en/").content.decode()
    ar_body = client.get("/ar/").content.decode()
    assert switcher_links(en_body) == {"ar": "/ar/"}
    assert switcher_links(ar_body) == {"en": "/en/"}
    # The current language is marked, not linked.
    assert '<span aria-current="true" lang="ar" dir="rtl">' in ar_body


def test_switcher_follows_translated_slugs(client, home_page):
    from wagtail.models import Page

    child = Page(title_en="About", title_ar="حول الموقع", slug_en="about", slug_ar="حول")
    home_page.add_child(instance=child)
    en = client.get("/en/about/")
    assert en.status_code == 200
    assert switcher_links(en.content.decode()) == {"ar": "/ar/%D8%AD%D9%88%D9%84/"}
    ar = client.get("/ar/%D8%AD%D9%88%D9%84/")
    assert ar.status_code == 200
    assert switcher_links(ar.content.decode()) == {"en": "/en/about/"}


def test_page_lists_its_alternates(client, home_page):
    body = client.get("/en/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/">' in body
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in body


def test_skip_link_and_landmarks(client, home_page):
    body = client.get("/ar/").content.decode()
    assert '<a class="skip-link" href="#main">تخطَّ إلى المحتوى الرئيسي</a>' in body
    assert '<main id="main"' in body
    assert "<header" in body and "<footer" in body
    assert body.index('class="skip-link"') < body.index("<header")


def test_unknown_page_is_404_in_the_readers_language(client, home_page):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in response.content.decode()


def test_admin_login_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_healthz(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"database: ok\ncache: ok\n"
