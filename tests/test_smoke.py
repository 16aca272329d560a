"""Load the real fixtures, then request every page in both languages, publicly and in the admin."""

from django.contrib.auth import get_user_model
from django.utils import translation

from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_content(site):
    return list(Page.objects.filter(depth__gt=1).specific().order_by("path"))


def test_fixtures_cover_both_seeds(site_content):
    types = {type(page).__name__ for page in site_content}
    assert types == {
        "HomePage",
        "NewsIndexPage",
        "NewsStoryPage",
        "ReportIndexPage",
        "ReportPage",
        "CharterIndexPage",
        "CharterProvisionPage",
        "TopicPage",
    }
    reports = [p for p in site_content if type(p).__name__ == "ReportPage"]
    # Seven paragraphs in the seed's documents section, the seventh a repeat of the third.
    # The symbol of "Preventive diplomacy: delivering results" is not confirmed: empty.
    assert sorted(p.symbol or "" for p in reports) == [
        "", "A/66/811", "A/70/328", "A/72/115", "S/2009/189", "S/2015/730",
    ]  # fmt: skip
    provisions = sorted(p.article for p in site_content if hasattr(p, "article"))
    assert provisions == [33, 98, 99]


def test_every_page_has_both_languages(site_content):
    for page in site_content:
        assert page.title_en and page.title_ar, page.content_key
        assert page.slug_en and page.slug_ar, page.content_key


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_is_served_in_both_languages(client, site_content, language):
    for page in site_content:
        with translation.override(language):
            url = page.get_url()
        assert url.startswith(f"/{language}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert f'<html lang="{language}"' in body
        assert getattr(page, f"title_{language}") in body


def test_every_page_opens_in_the_admin_editor(client, site_content):
    admin = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(admin)
    for page in site_content:
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.content_key
        body = response.content.decode()
        assert 'name="title_en"' in body and 'name="title_ar"' in body
