"""Query strings from anyone never cause a server error.

The news and report indexes and search ignore a year that no listed page has, a
topic that is not among the options and any value that is not a plain number
("²" passes ``str.isdigit()`` but not ``int()``; 99999 is no year a date can hold);
a page number past the end shows the last page. The API answers 400 with a message
naming the parameter, as Wagtail does for its own checks.
"""

import re

from django.core.cache import cache

import pytest
from site_tree import url

from apps.core import listing
from apps.core.listing import parse_int
from apps.search import views as search_views

pytestmark = pytest.mark.django_db

BIG = "9223372036854775808"  # 2**63: one more than PostgreSQL's bigint holds
HOSTILE = ["99999", "²", "-1", "0", BIG, "99999999999999999999999999", "١٢", " 1", "1e3", ""]


def titles(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    body = response.content.decode()
    return re.findall(r'class="card__title"><a href="[^"]*"[^>]*>([^<]*)</a>', body), body


def test_parse_int():
    assert parse_int("2011") == 2011 and parse_int("0") == 0
    for value in ("²", "١٢", "-1", " 1", "1.0", "", None, BIG, str(2**31)):
        assert parse_int(value) is None, value
    assert parse_int(str(2**31 - 1)) == 2**31 - 1
    assert parse_int(BIG, clamp=True) == parse_int("9" * 5000, clamp=True) == 2**31 - 1
    assert parse_int("12", maximum=10) is None and parse_int("12", maximum=10, clamp=True) == 10


def test_news_index(client, small_site, monkeypatch):
    index = url(small_site.news, "en")
    everything = ["UN must lead on mediation", "Envoys meet"]
    for value in HOSTILE:
        for name in ("year", "topic", "page"):
            found, body = titles(client, f"{index}?{name}={value}")
            assert found == everything, (name, value)
            assert " selected>" not in body  # no filter is shown as chosen
        found, _body = titles(client, f"{index}?year={value}&topic={value}&page={value}")
        assert found == everything, value
    # A year or topic that is real but belongs to no listed story is ignored too.
    assert titles(client, f"{index}?year=1999")[0] == everything
    assert titles(client, f"{index}?topic={small_site.home.pk}")[0] == everything
    # Controls: real filters still filter.
    assert titles(client, f"{index}?year=2010")[0] == ["Envoys meet"]
    found, body = titles(client, f"{index}?topic={small_site.topic.pk}")
    assert found == ["UN must lead on mediation"]
    assert f'<option value="{small_site.topic.pk}" selected>' in body
    # Page numbers: malformed → the first page, past the end → the last.
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    cache.clear()  # the whole-page cache holds these addresses as served with 10 a page
    assert titles(client, f"{index}?page=2")[0] == ["Envoys meet"]
    for value in ("²", "-1", "0", "abc", ""):
        assert titles(client, f"{index}?page={value}")[0] == ["UN must lead on mediation"]
    for value in ("99999", BIG, "99999999999999999999999999"):
        assert titles(client, f"{index}?page={value}")[0] == ["Envoys meet"], value


def test_report_index(client, small_site):
    index = url(small_site.reports, "ar")
    everything = ["الدبلوماسية الوقائية", "تقرير عن أعمال المنظمة"]
    for value in HOSTILE:
        for name in ("year", "topic", "page", "mandate"):
            assert titles(client, f"{index}?{name}={value}")[0] == everything, (name, value)
    assert titles(client, f"{index}?year=2009")[0] == ["تقرير عن أعمال المنظمة"]
    assert titles(client, f"{index}?topic={small_site.topic.pk}")[0] == ["الدبلوماسية الوقائية"]


def test_search(client, small_site, monkeypatch):
    for language, query in (("en", "mediation"), ("ar", "الوساطة")):
        address = f"/{language}/search/?q={query}"
        story_title = small_site.story.title_en if language == "en" else small_site.story.title_ar
        for value in HOSTILE:
            for name in ("year", "page", "type"):
                found, _body = titles(client, f"{address}&{name}={value}")
                assert story_title in found, (language, name, value)
        assert titles(client, f"{address}&year=2011")[0] == [story_title]
        assert titles(client, f"{address}&year=2010")[0] == []
    # Past the last page of results: the last page.
    monkeypatch.setattr(search_views, "PER_PAGE", 1)
    first = titles(client, "/en/search/?q=lead")[0]
    assert titles(client, "/en/search/?q=lead&page=²")[0] == first
    second = titles(client, "/en/search/?q=lead&page=2")[0]
    assert titles(client, f"/en/search/?q=lead&page={BIG}")[0] == second
    assert len(first) == len(second) == 1 and first != second


@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
@pytest.mark.parametrize("name", ["offset", "limit"])
def test_api_offset_and_limit(client, home_page, endpoint, name):
    for value in (BIG, "99999999999999999999999999", "²", "-1", str(2**31)):
        response = client.get(f"/api/v2/{endpoint}/?{name}={value}")
        assert response.status_code == 400, (endpoint, name, value)
        assert response["Content-Type"] == "application/json"
        assert response.json()["message"].startswith(f"{name} must be"), response.json()
    # In range: fine, and an offset past the end is an empty page.
    response = client.get(f"/api/v2/{endpoint}/?{name}=2147483647")
    if name == "limit":
        assert response.status_code == 400  # Wagtail's own maximum (20)
        assert "limit cannot be higher" in response.json()["message"]
    else:
        assert response.status_code == 200 and response.json()["items"] == []
    assert client.get(f"/api/v2/{endpoint}/?{name}=1").status_code == 200


def test_api_pages_still_paginate_and_filter(client, small_site):
    everything = client.get("/api/v2/pages/?type=news.NewsStoryPage").json()
    assert everything["meta"]["total_count"] == 2
    page = client.get("/api/v2/pages/?type=news.NewsStoryPage&offset=1&limit=1").json()
    assert [item["id"] for item in page["items"]] == [everything["items"][1]["id"]]
    # A field filter with a value its field cannot hold: 400 naming it, not 500.
    for value in ("²", "99999-01-01", "2011-13-45"):
        response = client.get(f"/api/v2/pages/?type=news.NewsStoryPage&date={value}")
        assert response.status_code == 400, value
        assert "date" in response.json()["message"]
    found = client.get("/api/v2/pages/?type=news.NewsStoryPage&date=2011-11-09").json()
    assert [item["id"] for item in found["items"]] == [small_site.story.pk]
