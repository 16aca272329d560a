"""The permission matrix: what Editors, Translators and Moderators can and cannot do."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import (
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

import pytest
from factories import ImageFactory

from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportIndexPage

from .conftest import story_form

pytestmark = pytest.mark.django_db


def add_url(parent):
    return f"/admin/pages/add/news/newsstorypage/{parent.pk}/"


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def test_groups_and_workflow_exist_in_every_database():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Translators", "Moderators"} <= names
    workflow = Workflow.objects.get(name="Moderation")
    task = workflow.tasks.get().specific
    assert type(task).__name__ == "ModerationTask"
    assert [g.name for g in task.groups.all()] == ["Moderators"]
    root = Page.get_first_root_node()
    translator_perms = GroupPagePermission.objects.filter(group__name="Translators", page=root)
    assert sorted(translator_perms.values_list("permission__codename", flat=True)) == [
        "change_page"
    ]


def test_load_content_puts_news_and_reports_under_moderation(site):
    covered = WorkflowPage.objects.filter(workflow__name="Moderation")
    assert {wp.page.specific_class for wp in covered} == {NewsIndexPage, ReportIndexPage}
    story = NewsStoryPage.objects.get()
    assert story.get_workflow().name == "Moderation"


def test_editor_creates_a_story_and_submits_it_but_cannot_publish(client, site, editor):
    client.force_login(editor)
    news = NewsIndexPage.objects.get()
    response = client.post(add_url(news), story_form(**{"action-publish": "publish"}))
    assert response.status_code == 302
    story = NewsStoryPage.objects.get(slug_en="mediation-support-grows")
    assert not story.live  # asking to publish without the permission only saves a draft

    response = client.post(edit_url(story), story_form(**{"action-submit": "submit"}))
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not NewsStoryPage.objects.get(pk=story.pk).live


def test_editor_cannot_publish_an_existing_page(client, site, editor):
    client.force_login(editor)
    story = NewsStoryPage.objects.get()
    client.post(edit_url(story), story_form(title_en="Changed", **{"action-publish": "publish"}))
    story.refresh_from_db()
    assert story.title_en != "Changed"  # the live page is untouched
    assert story.get_latest_revision_as_object().title_en == "Changed"  # a draft was saved


def test_translator_edits_translations_only(client, site, translator):
    client.force_login(translator)
    news = NewsIndexPage.objects.get()
    story = NewsStoryPage.objects.get()
    assert client.get(edit_url(story)).status_code == 200
    response = client.post(
        edit_url(story),
        story_form(
            title_en=story.title_en,
            slug_en=story.slug_en,
            title_ar="عنوان مترجم",
            slug_ar="عنوان-مترجم",
            date="1999-01-01",  # not a translated field: ignored
            source_language="ar",  # nor this
        ),
    )
    assert response.status_code == 302
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert draft.title_ar == "عنوان مترجم"
    assert draft.date == datetime.date(2011, 11, 9)
    assert draft.source_language == "en"
    # Cannot create pages, publish, or delete.
    assert client.get(add_url(news)).status_code in (302, 403)
    client.post(edit_url(story), story_form(title_ar="منشور؟", **{"action-publish": "publish"}))
    story.refresh_from_db()
    assert story.title_ar != "منشور؟"
    response = client.post(f"/admin/pages/{story.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert NewsStoryPage.objects.filter(pk=story.pk).exists()


def test_translator_cannot_delete_even_a_draft(client, site, translator, editor):
    client.force_login(editor)
    client.post(add_url(NewsIndexPage.objects.get()), story_form())
    draft = NewsStoryPage.objects.get(slug_en="mediation-support-grows")
    client.force_login(translator)
    # Wagtail itself would let anyone with "change" delete an unpublished leaf page.
    response = client.post(f"/admin/pages/{draft.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert NewsStoryPage.objects.filter(pk=draft.pk).exists()


def test_moderator_publishes_unpublishes_and_schedules(client, site, moderator):
    client.force_login(moderator)
    story = NewsStoryPage.objects.get()
    client.post(
        edit_url(story),
        story_form(
            title_en="Published by a moderator", slug_en=story.slug_en, **{"action-publish": "p"}
        ),
    )
    story.refresh_from_db()
    assert story.live and story.title_en == "Published by a moderator"

    response = client.post(f"/admin/pages/{story.pk}/unpublish/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.live

    go_live = timezone.now() + datetime.timedelta(days=2)
    client.post(
        edit_url(story),
        story_form(
            slug_en=story.slug_en,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "p"},
        ),
    )
    story.refresh_from_db()
    assert not story.live
    assert story.scheduled_revision is not None


def test_moderator_approves_a_submitted_story(client, site, editor, moderator):
    client.force_login(editor)
    client.post(add_url(NewsIndexPage.objects.get()), story_form(**{"action-submit": "s"}))
    story = NewsStoryPage.objects.get(slug_en="mediation-support-grows")
    state = WorkflowState.objects.get(object_id=str(story.pk))
    task_state = state.current_task_state
    client.force_login(moderator)
    response = client.post(
        f"/admin/pages/{story.pk}/edit/",
        story_form(**{"action-workflow-action": "true", "workflow-action-name": "approve"}),
    )
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == "approved"
    story.refresh_from_db()
    assert story.live


def test_anonymous_never_sees_drafts_revisions_or_private_pages(client, site, editor):
    client.force_login(editor)
    client.post(add_url(NewsIndexPage.objects.get()), story_form())
    assert NewsStoryPage.objects.filter(slug_en="mediation-support-grows", live=False).exists()
    live = NewsStoryPage.objects.get(content_key="news/un-must-lead-way-in-conflict-mediation")
    client.post(edit_url(live), story_form(title_en="Secret draft title", slug_en=live.slug_en))
    client.logout()

    assert client.get("/en/news/mediation-support-grows/").status_code == 404
    body = client.get(live.url).content.decode()
    assert "Secret draft title" not in body and live.title_en in body

    PageViewRestriction.objects.create(
        page=live, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(live.url)
    assert response.status_code == 200
    assert live.title_en not in response.content.decode()  # only the password form
    news_index = client.get(NewsIndexPage.objects.get().url).content.decode()
    assert "Mediation support grows" not in news_index


def test_translator_may_translate_a_page_waiting_for_moderation(client, site, editor, translator):
    client.force_login(editor)
    client.post(add_url(NewsIndexPage.objects.get()), story_form(**{"action-submit": "s"}))
    story = NewsStoryPage.objects.get(slug_en="mediation-support-grows")
    task = WorkflowState.objects.get(object_id=str(story.pk)).current_task_state.task.specific
    assert task.locked_for_user(story, editor)  # the editor waits for the moderator
    assert not task.locked_for_user(story, translator)
    client.force_login(translator)
    client.post(edit_url(story), story_form(title_ar="دعم الوساطة يتزايد", slug_ar="دعم-الوساطة"))
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert draft.title_ar == "دعم الوساطة يتزايد"


def test_scheduled_story_goes_live_when_publish_scheduled_runs(site):
    from django.core.management import call_command

    story = NewsStoryPage.objects.get()
    story.unpublish()
    revision = story.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(hours=1))
    call_command("publish_scheduled")
    assert not NewsStoryPage.objects.get(pk=story.pk).live  # not yet
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    call_command("publish_scheduled")
    assert NewsStoryPage.objects.get(pk=story.pk).live


def test_choosers_search_people_images_and_documents(client, site, editor):
    client.force_login(editor)
    body = client.get("/admin/snippets/choose/people/person/?q=Ban").content.decode()
    assert "Ban Ki-moon" in body and "Nassir" not in body
    ImageFactory(title_en="Good offices (Duncan Moore)")
    ImageFactory(title_en="Good offices (Eskinder Debebe)")
    body = client.get("/admin/images/chooser/results/?q=Duncan").content.decode()
    assert "Duncan Moore" in body and "Eskinder" not in body
    assert client.get("/admin/documents/chooser/?q=report").status_code == 200
