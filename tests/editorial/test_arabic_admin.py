"""The admin in Arabic: the language saved from the account page for any user."""

from django.utils import translation

from wagtail.models import Task, Workflow
from wagtail.users.models import UserProfile

import pytest

from apps.news.models import NewsStoryPage

from .test_translation_records import NEW_SENTENCE, edit_paragraph

pytestmark = pytest.mark.django_db


def test_account_without_names_switches_the_admin_to_arabic(client, admin_user):
    admin_user.first_name = admin_user.last_name = ""
    admin_user.save()
    client.force_login(admin_user)
    page = client.get("/admin/account/").content.decode()
    assert 'name="locale-preferred_language"' in page
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": admin_user.email,
            "locale-preferred_language": "ar",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert UserProfile.get_for_user(admin_user).preferred_language == "ar"
    assert '<html lang="ar" dir="rtl"' in client.get("/admin/").content.decode()


@pytest.fixture
def arabic_admin(client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(admin_user)
    return client


def test_editor_in_arabic_names_the_workflow_and_library_panels_in_arabic(arabic_admin, site):
    story = NewsStoryPage.objects.get()
    page = arabic_admin.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "تقديم إلى الإشراف" in page  # "Submit to Moderation"
    assert "Submit to" not in page and ">Moderation<" not in page
    assert "عرض / تحرير حقول" in page  # wagtail-modeltranslation's locale picker
    assert "View / edit fields for" not in page
    assert 'data-copy-label="نسخ المحتوى من"' in page
    # The stored names are unchanged.
    assert Workflow.objects.filter(name="Moderation").exists()
    assert Task.objects.filter(name="Moderators approval").exists()


def test_translation_pages_have_no_english_left(arabic_admin, site):
    story = NewsStoryPage.objects.get()
    for url in ("/admin/translations/", f"/admin/translations/page/{story.pk}/", "/admin/"):
        page = arabic_admin.get(url).content.decode()
        for english in (
            "Translations",
            "Translate",
            "Save draft",
            "Submit for moderation",
            "Changed since the translation",
            "Open the page editor",
            "The translation is still correct",
            "Pages with missing translations",
        ):
            assert f">{english}<" not in page and f"> {english}" not in page, (url, english)


def test_workflow_name_saved_from_the_arabic_admin_stays_as_stored(site):
    with translation.override("ar"):
        workflow = Workflow.objects.get(name="Moderation")
        assert str(workflow.name) == "الإشراف"
        workflow.name = "الإشراف"  # as a form would send it back
        workflow.save()
    assert Workflow.objects.filter(name="Moderation").exists()


def test_explorer_titles_in_the_admins_language_falling_back_visibly(arabic_admin, site):
    story = NewsStoryPage.objects.get()
    news = story.get_parent()
    listing = arabic_admin.get(f"/admin/pages/{news.pk}/").content.decode()
    assert story.title_ar in listing
    # A story with no Arabic title yet: its English title, saying so.
    NewsStoryPage.objects.filter(pk=story.pk).update(title_ar="")
    listing = arabic_admin.get(f"/admin/pages/{news.pk}/").content.decode()
    assert f"{story.title_en} [الإنكليزية]" in listing
    # The English admin keeps the English titles.
    with translation.override("en"):
        assert NewsStoryPage.objects.get(pk=story.pk).get_admin_display_title() == story.title_en


def test_account_page_is_the_admins_page(client, arabic_admin, django_user_model):
    # In the user's language…
    page = arabic_admin.get("/admin/account/")
    assert '<html lang="ar" dir="rtl"' in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    # …and only for those who may use the admin.
    arabic_admin.logout()
    response = arabic_admin.get("/admin/account/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    visitor = django_user_model.objects.create_user("visitor", "visitor@example.org", "pw")
    arabic_admin.force_login(visitor)  # signed in, without access to the admin
    response = arabic_admin.get("/admin/account/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_moderation_preview_defaults_to_the_admins_language(arabic_admin, site, admin_user):
    story = NewsStoryPage.objects.get()
    state = Workflow.objects.get(name="Moderation").start(story, admin_user)
    url = f"/admin/pages/workflow/preview/{story.pk}/{state.current_task_state.task_id}/"
    assert '<html lang="ar" dir="rtl"' in arabic_admin.get(url).content.decode()
    assert '<html lang="en" dir="ltr"' in arabic_admin.get(url + "?mode=en").content.decode()


def test_dashboard_names_fields_in_the_admins_language(arabic_admin, site):
    story = NewsStoryPage.objects.get()
    edit_paragraph(story, NEW_SENTENCE)
    page = arabic_admin.get("/admin/translations/").content.decode()
    with translation.override("ar"):
        body = str(NewsStoryPage._meta.get_field("body").verbose_name)
    assert body != "body"
    assert f'<td class="outdated">{body}</td>' in page
