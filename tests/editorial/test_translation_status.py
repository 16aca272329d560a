"""The translation dashboard, its admin-home panel and translation_status, on known gaps."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import RequestFactory

import pytest

from apps.charter.models import CharterProvisionPage
from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaps(site):
    """Known gaps: a missing Arabic title, an outdated Arabic lead, a missing English summary."""
    story = NewsStoryPage.objects.get()
    story.title_ar = ""
    story.save_revision()
    story = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    story.lead_en = "<p>The lead, rewritten after the translation was made.</p>"
    story.save_revision()
    report = ReportPage.objects.get(symbol="S/2015/730")  # written in Arabic
    report.summary_en = ""
    report.save_revision().publish()
    return story, report


def status_rows():
    out = StringIO()
    call_command("translation_status", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_complete_site_has_no_gaps(site):
    assert status_rows() == []


def test_known_gaps_are_reported(gaps):
    story, report = gaps
    rows = {(row["key"], row["language"]): row for row in status_rows()}
    assert set(rows) == {(story.content_key, "ar"), (report.content_key, "en")}
    assert rows[(story.content_key, "ar")]["missing"] == ["title"]
    assert rows[(story.content_key, "ar")]["outdated"] == ["lead"]
    assert rows[(report.content_key, "en")]["missing"] == ["summary"]
    assert rows[(report.content_key, "en")]["outdated"] == []


def test_filters_by_language_and_type(gaps):
    out = StringIO()
    call_command("translation_status", "--language", "en", stdout=out)
    assert "S/2015/730" not in out.getvalue()  # titles, not symbols, are listed
    assert "[en] reports.ReportPage reports/s-2015-730" in out.getvalue()
    assert "[ar]" not in out.getvalue()
    out = StringIO()
    call_command("translation_status", "--type", "news.NewsStoryPage", stdout=out)
    assert "reports.ReportPage" not in out.getvalue()
    assert "1 page translation(s) need work." in out.getvalue()


def test_dashboard_lists_gaps_with_links_to_the_editor(admin_client, gaps):
    story, report = gaps
    body = admin_client.get("/admin/translations/").content.decode()
    assert f'<tr data-page="{story.pk}" data-language="ar">' in body
    assert f'<tr data-page="{report.pk}" data-language="en">' in body
    assert f'href="/admin/pages/{story.pk}/edit/"' in body
    body = admin_client.get("/admin/translations/?language=en&type=reports.ReportPage").content
    assert f'data-page="{report.pk}"'.encode() in body
    assert f'data-page="{story.pk}"'.encode() not in body


def test_admin_home_panel_counts_pages(admin_client, gaps):
    body = admin_client.get("/admin/").content.decode()
    assert 'id="translation-summary' in body
    # Arabic: one page with a missing and one with an outdated field (the same story).
    assert (
        '<td><a href="/admin/translations/?language=ar">Arabic</a></td><td>1</td><td>1</td>' in body
    )
    assert (
        '<td><a href="/admin/translations/?language=en">English</a></td><td>1</td><td>0</td>'
        in body
    )


def test_unknown_type_is_a_clear_error(site):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="unknown page type 'news.Nothing'"):
        call_command("translation_status", "--type", "news.Nothing")


@pytest.mark.parametrize(("mode", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_draft_preview_in_each_language(site, admin_user, mode, direction):
    topic = TopicPage.objects.get()
    draft = topic.get_latest_revision_as_object()
    draft.title_ar = "مسودة العنوان"
    request = RequestFactory().get("/")
    request.user = admin_user
    response = draft.make_preview_request(request, mode)
    body = response.content.decode()
    assert f'<html lang="{mode}" dir="{direction}">' in body
    assert ("مسودة العنوان" in body) == (mode == "ar")


def test_admin_speaks_arabic_right_to_left(client, site, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(admin_user)
    body = client.get("/admin/").content.decode()
    assert '<html lang="ar" dir="rtl"' in body
    provision = CharterProvisionPage.objects.get(article=99)
    assert client.get(f"/admin/pages/{provision.pk}/edit/").status_code == 200


def test_the_source_language_text_is_required_the_translation_is_not(site):
    from django.core.exceptions import ValidationError

    report = ReportPage.objects.get(symbol="S/2015/730")  # written in Arabic
    report.summary_en = ""
    report.full_clean()  # a missing translation is allowed
    report.summary_ar = ""
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "summary_ar" in error.value.message_dict
