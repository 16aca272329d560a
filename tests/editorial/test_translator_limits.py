"""Translators write only the translation language of a page; editors and moderators
everything; the languages are configured per group (TRANSLATOR_GROUPS)."""

import datetime
import re

from django.contrib.auth.models import Group

from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, rich_text, streamfield

import pytest

from apps.core.permissions import translation_languages
from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage

from .conftest import make_user, story_form

pytestmark = pytest.mark.django_db


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def tampered_story_form(story):
    """Every English column changed, and the Arabic title."""
    return story_form(
        title_en="Rewritten by a translator",
        slug_en=story.slug_en,
        title_ar="عنوان مترجم",
        slug_ar=story.slug_ar,
        source_en="Tampered source",
        lead_en=rich_text("A tampered lead."),
        body_en=streamfield([("paragraph", rich_text("A tampered paragraph."))]),
        related_stories=inline_formset(
            [
                {
                    "id": r.pk,
                    "story": "",
                    "title_en": "Tampered",
                    "title_ar": r.title_ar,
                    "url": r.url,
                }
                for r in story.related_stories.all()
            ],
            initial=story.related_stories.count(),
        ),
    )


def test_translator_cannot_change_the_source_language(client, site, translator):
    story = NewsStoryPage.objects.get()
    english = story.get_latest_revision_as_object()
    client.force_login(translator)
    page = client.get(edit_url(story)).content.decode()
    # The original's inputs are disabled, its rich text and body shown as text.
    assert re.search(r'<input[^>]*name="title_en"[^>]*disabled', page)
    assert not re.search(r'<input[^>]*name="title_ar"[^>]*disabled', page)
    assert 'id="id_body_en" data-translation-locked lang="en" dir="ltr"' in page
    assert 'id="id_lead_en" data-translation-locked lang="en" dir="ltr"' in page
    response = client.post(edit_url(story), tampered_story_form(story))
    assert response.status_code == 302
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert draft.title_ar == "عنوان مترجم"
    assert draft.title_en == english.title_en
    assert draft.source_en == english.source_en
    assert draft.lead_en == english.lead_en
    assert list(draft.body_en.raw_data) == list(english.body_en.raw_data)
    assert [r.title_en for r in draft.related_stories.all()] == [
        r.title_en for r in english.related_stories.all()
    ]
    assert draft.date == datetime.date(2011, 11, 9)


def test_on_an_arabic_page_the_translator_writes_english(site, translator):
    report = ReportPage.objects.get(symbol="S/2015/730")
    story = NewsStoryPage.objects.get()
    assert translation_languages(translator, report) == {"en"}
    assert translation_languages(translator, story) == {"ar"}


def test_editors_and_moderators_are_not_limited(client, site, editor, moderator):
    story = NewsStoryPage.objects.get()
    assert translation_languages(editor, story) is None
    assert translation_languages(moderator, story) is None
    client.force_login(editor)
    client.post(edit_url(story), tampered_story_form(story))
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert draft.title_en == "Rewritten by a translator"


def test_languages_are_configured_per_group(client, site, settings):
    group = Group.objects.create(name="Arabic translators")
    group.permissions.add(*Group.objects.get(name="Translators").permissions.all())
    for permission in GroupPagePermission.objects.filter(group__name="Translators"):
        GroupPagePermission.objects.create(
            group=group, page=permission.page, permission=permission.permission
        )
    settings.TRANSLATOR_GROUPS = {"Translators": "translation", "Arabic translators": ["ar"]}
    arabic_only = make_user("amal", "Arabic translators")
    report = ReportPage.objects.get(symbol="S/2015/730")  # written in Arabic
    assert translation_languages(arabic_only, report) == {"ar"}
    # The page form follows: on this Arabic page, Arabic is open and English is not.
    client.force_login(arabic_only)
    page = client.get(edit_url(report)).content.decode()
    assert re.search(r'<textarea[^>]*name="summary_en"[^>]*disabled', page)
    assert not re.search(r'<textarea[^>]*name="summary_ar"[^>]*disabled', page)
    # Nothing to translate into from the translation view: its languages are the source.
    response = client.get(f"/admin/translations/page/{report.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # refused
