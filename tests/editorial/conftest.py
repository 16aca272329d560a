from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def editor(db):
    return make_user("editor", "Editors")


@pytest.fixture
def translator(db):
    return make_user("translator", "Translators")


@pytest.fixture
def moderator(db):
    return make_user("moderator", "Moderators")


def story_form(**overrides):
    """POST data for a news story's edit form (both languages, simple body)."""
    data = {
        "title_en": "Mediation support grows",
        "title_ar": "",
        "slug_en": "mediation-support-grows",
        "slug_ar": "",
        "source_language": "en",
        "date": "2026-11-20",
        "source_en": "UN News",
        "source_ar": "",
        "lead_en": rich_text("The lead."),
        "lead_ar": rich_text(""),
        "body_en": streamfield([("paragraph", rich_text("First paragraph."))]),
        "body_ar": streamfield([]),
        "related_stories": inline_formset([]),
        "comments": inline_formset([]),
        "people": [],
        "topics": [],
        "charter_provisions": [],
        "seo_title_en": "",
        "seo_title_ar": "",
        "search_description_en": "",
        "search_description_ar": "",
    }
    data.update(overrides)
    return nested_form_data(data)
