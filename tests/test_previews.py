"""Editors' previews and moderators' "view draft" of every page type, in both languages.

A page with unsaved or unpublished changes to its relations is rendered from
memory: its many-to-many fields and child relations are modelcluster
``FakeQuerySet``s, which have no ``.live()``. Each page type is previewed the way the
admin does it (the edit form POSTed to the preview view, then the preview fetched
with ``?mode=en`` / ``?mode=ar``) and viewed as a draft after the same changes were
saved as a revision; the new related items show, in the language asked for, and
the published page does not show them.
"""

import datetime

from django.urls import reverse

from wagtail.models import Workflow
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from site_tree import add, story, topic, url

from apps.news.models import RelatedStory
from apps.people.models import Person
from apps.reports.models import ReportAnnex, ReportMandate
from apps.topics.models import TopicReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_site(small_site):
    """The small site, and a topic, a person and a story that the previews add."""
    small_site.fresh_topic = topic(small_site.home, "fresh-topic", "Fresh topic", "موضوع جديد")
    small_site.fresh_person = Person.objects.create(name_en="Kofi Annan", name_ar="كوفي عنان")
    small_site.fresh_story = story(
        small_site.news, "fresh-story", "Fresh story", "خبر جديد", datetime.date(2011, 1, 2)
    )
    return small_site


def edit_form_data(client, page):
    """What the admin's edit form would submit for ``page`` as it stands."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for key, values in list(data.lists()):
        if "__prefix__" in key:
            del data[key]  # the empty form a new inline entry is copied from
        else:  # a browser drops the newline that starts a <textarea>'s content
            data.setlist(key, [v.removeprefix("\n") for v in values])
    # StreamFields are drawn by JavaScript: submit them as the editor would.
    for name in ("body_en", "body_ar"):
        if hasattr(page.specific, name):
            data[f"{name}-count"] = "0"
    return data


def add_inline(data, relation, **fields):
    """A new entry in an InlinePanel, as the "Add" button makes it."""
    n = int(data[f"{relation}-TOTAL_FORMS"])
    for name, value in {**fields, "id": "", "ORDER": str(n + 1), "DELETE": ""}.items():
        data[f"{relation}-{n}-{name}"] = str(value)
    data[f"{relation}-TOTAL_FORMS"] = str(n + 1)


# Each page type: the page, its changes as form data and as a draft revision, and
# what they show in each language.


def intro_form(small_site, data):
    data["intro_en"] = "A fresh introduction."
    data["intro_ar"] = "مقدمة جديدة."


def intro_draft(small_site, page):
    page.intro_en, page.intro_ar = "A fresh introduction.", "مقدمة جديدة."


INTRO = {"en": ["A fresh introduction."], "ar": ["مقدمة جديدة."]}


def story_form(small_site, data):
    data.appendlist("topics", str(small_site.fresh_topic.pk))
    data.appendlist("people", str(small_site.fresh_person.pk))
    data.appendlist("charter_provisions", str(small_site.article_33.pk))
    add_inline(
        data, "related_stories", story=small_site.fresh_story.pk, title_en="", title_ar="", url=""
    )
    add_inline(
        data,
        "related_stories",
        story="",
        title_en="Fresh external entry",
        title_ar="مدخل خارجي جديد",
        url="https://example.org/fresh",
    )


def story_draft(small_site, page):
    page.topics.add(small_site.fresh_topic)
    page.people.add(small_site.fresh_person)
    page.charter_provisions.add(small_site.article_33)
    page.related_stories.add(RelatedStory(story=small_site.fresh_story, sort_order=8))
    page.related_stories.add(
        RelatedStory(
            title_en="Fresh external entry",
            title_ar="مدخل خارجي جديد",
            url="https://example.org/fresh",
            sort_order=9,
        )
    )


def report_form(small_site, data):
    add_inline(data, "mandates", body="SC", number="2171 (2014)")
    add_inline(data, "annexes", title_en="Fresh annex", title_ar="مرفق جديد")


def report_draft(small_site, page):
    page.mandates.add(ReportMandate(body="SC", number="2171 (2014)", sort_order=0))
    page.annexes.add(ReportAnnex(title_en="Fresh annex", title_ar="مرفق جديد", sort_order=0))


def topic_form(small_site, data):
    add_inline(data, "related_reports", report=small_site.old_report.pk)


def topic_draft(small_site, page):
    page.related_reports.add(TopicReport(report=small_site.old_report, sort_order=9))


def provision_form(small_site, data):
    data["text_en"], data["text_ar"] = "A fresh text.", "نص جديد."


def provision_draft(small_site, page):
    page.text_en, page.text_ar = "A fresh text.", "نص جديد."


CASES = {
    "home": ("home", intro_form, intro_draft, INTRO),
    "news index": ("news", intro_form, intro_draft, INTRO),
    "report index": ("reports", intro_form, intro_draft, INTRO),
    "charter index": ("charter", intro_form, intro_draft, INTRO),
    "provision": (
        "article_99",
        provision_form,
        provision_draft,
        {"en": ["A fresh text."], "ar": ["نص جديد."]},
    ),
    "story": (
        "story",
        story_form,
        story_draft,
        {
            "en": ["Fresh topic", "Kofi Annan", "Article 33", "Fresh story", "Fresh external"],
            "ar": ["موضوع جديد", "كوفي عنان", "المادة 33", "خبر جديد", "مدخل خارجي جديد"],
        },
    ),
    "report": (
        "report",
        report_form,
        report_draft,
        {"en": ["2171 (2014)", "Fresh annex"], "ar": ["2171 (2014)", "مرفق جديد"]},
    ),
    "topic": (
        "topic",
        topic_form,
        topic_draft,
        {
            "en": ["Report on the work of the Organization"],
            "ar": ["تقرير عن أعمال المنظمة"],
        },
    ),
}


def assert_shows(response, expected, language):
    assert response.status_code == 200, response.content[:2000]
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in body
    for text in expected[language]:
        assert text in body, (language, text)
    other = "ar" if language == "en" else "en"
    for text in expected[other]:
        if text not in expected[language]:
            assert text not in body, (language, text)


@pytest.mark.parametrize("case", CASES)
def test_preview_and_view_draft(client, admin_user, small_site, case):
    name, form_change, draft_change, expected = CASES[case]
    page = getattr(small_site, name)
    client.force_login(admin_user)

    data = edit_form_data(client, page)
    form_change(small_site, data)
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    response = client.post(preview, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    for language in ("en", "ar"):
        assert_shows(client.get(preview, {"mode": language}), expected, language)

    draft = page.get_latest_revision_as_object()
    draft_change(small_site, draft)
    draft.save_revision(user=admin_user)
    view_draft = reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    for language in ("en", "ar"):
        assert_shows(client.get(view_draft, {"mode": language}), expected, language)

    # The published page shows none of it.
    client.logout()
    for language in ("en", "ar"):
        body = client.get(url(page, language)).content.decode()
        assert not any(text in body for text in expected[language]), language


def test_preview_leaves_out_related_pages_the_public_may_not_see(client, admin_user, small_site):
    """A preview applies the same rule as the site: a draft topic chosen in the
    editor does not show (it would not show once the story is published)."""
    draft_topic = add(
        small_site.home,
        type(small_site.topic)(
            title_en="Draft topic", title_ar="موضوع مسودة", slug_en="draft-topic", slug_ar="d"
        ),
        publish=False,
    )
    client.force_login(admin_user)
    data = edit_form_data(client, small_site.story)
    data.appendlist("topics", str(draft_topic.pk))
    data.appendlist("topics", str(small_site.fresh_topic.pk))
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[small_site.story.pk])
    assert client.post(preview, data).json()["is_valid"]
    body = client.get(preview, {"mode": "en"}).content.decode()
    assert "Fresh topic" in body and "Draft topic" not in body


@pytest.mark.parametrize("case", CASES)
def test_moderation_preview_in_both_languages(client, admin_user, small_site, case):
    """The moderator's preview of a page awaiting review (Wagtail's ``workflow_preview``,
    linked from the dashboard and the notification e-mails) in either language, with
    the relations changed in the submitted draft."""
    name, _form_change, draft_change, expected = CASES[case]
    page = getattr(small_site, name)
    draft = page.get_latest_revision_as_object()
    draft_change(small_site, draft)
    draft.save_revision(user=admin_user)
    workflow = Workflow.objects.get(name="Moderation")
    state = workflow.start(page.specific, admin_user)
    task = state.current_task_state.task
    client.force_login(admin_user)
    preview = reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk])
    for language in ("en", "ar"):
        assert_shows(client.get(preview, {"mode": language}), expected, language)
    # The editor's header offers it in both languages while the page awaits review.
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    for language in ("en", "ar"):
        assert f"{preview}?mode={language}" in editor
