"""The translation view: the source beside the translation, saved as a revision."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import rich_text

import pytest

from apps.editorial.forms import TranslationForm
from apps.editorial.models import TranslationRecord
from apps.editorial.records import records_of, units_for
from apps.editorial.status import page_status
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage

from .conftest import make_user
from .test_translation_records import NEW_SENTENCE, edit_paragraph, latest

pytestmark = pytest.mark.django_db

ARABIC = "<p>قال السيد بان إنه سعيد جدا بالتقدم المحرز في السنوات الخمس الماضية.</p>"


def url(page, language=None):
    return f"/admin/translations/page/{page.pk}/" + (f"?language={language}" if language else "")


def form_data(page, language="ar", changes=None, still_correct=()):
    """What the view's form posts when nothing but ``changes`` ({key: {part: html}}) is
    edited: every text as stored, rich text as the editor sends it."""
    draft = latest(page)
    units = units_for(draft, language, records_of(page.pk, language))
    data = {"language": language, "action-save": "save"}
    for index, unit in enumerate(units):
        for part in unit.parts:
            value = (changes or {}).get(unit.key, {}).get(part.name, part.translation)
            name = TranslationForm.part_name(index, part)
            data[name] = rich_text(value) if part.kind == "rich" else value
        if unit.key in still_correct:
            data[TranslationForm.confirm_name(index)] = "on"
    return data


def test_translator_sees_the_source_its_changes_and_the_translation(client, site, translator):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    client.force_login(translator)
    response = client.get(url(story))
    assert response.status_code == 200
    body = response.content.decode()
    # The changed paragraph: its diff beside its Arabic input, right to left.
    row = body[body.index(f'data-block="{block_id}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-changed="source"' in row
    assert "<del>pleased</del>" in row and "<ins>delighted</ins>" in row
    assert 'lang="ar" dir="rtl"' in row
    assert "The translation is still correct" in row
    assert body.count('data-changed="source"') == 1
    # The original is shown, never editable: no input for an English column.
    assert 'name="title_en"' not in body and "During an informal session" in body


def test_saving_one_block_makes_a_revision_and_clears_it(client, site, translator):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    before = latest(story)
    arabic_blocks = list(before.body_ar.raw_data)
    change = page_status(NewsStoryPage.objects.get(pk=story.pk), "ar").changed[0]
    revisions = story.revisions.count()
    client.force_login(translator)
    data = form_data(story, changes={("body", block_id): {"": ARABIC}})
    response = client.post(url(story, "ar"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert story.revisions.count() == revisions + 1
    after = latest(story)
    assert after.get_latest_revision().user == translator
    blocks = list(after.body_ar.raw_data)
    # Only that block changed; the others are as they were, ids included.
    assert [b["id"] for b in blocks] == [b["id"] for b in arabic_blocks]
    for old, new in zip(arabic_blocks, blocks, strict=True):
        if old["id"] == change.unit.translation_block_id:
            assert "سعيد جدا" in new["value"]
        else:
            assert new["value"] == old["value"]
    assert list(after.body_en.raw_data) == list(before.body_en.raw_data)
    assert page_status(NewsStoryPage.objects.get(pk=story.pk), "ar") is None
    assert NewsStoryPage.objects.get(pk=story.pk).has_unpublished_changes


def test_still_correct_saves_no_revision(client, site, translator):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    revisions = story.revisions.count()
    client.force_login(translator)
    data = form_data(story, still_correct={("body", block_id)})
    assert client.post(url(story, "ar"), data).status_code == 302
    assert story.revisions.count() == revisions
    assert page_status(NewsStoryPage.objects.get(pk=story.pk), "ar") is None
    record = TranslationRecord.objects.get(page=story, field="body", block_id=block_id)
    assert record.how == TranslationRecord.CONFIRMED and record.user == translator


def test_submitting_starts_the_moderation_workflow(client, site, translator):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    client.force_login(translator)
    data = form_data(story, changes={("body", block_id): {"": ARABIC}})
    del data["action-save"]
    data["action-submit"] = "submit"
    response = client.post(url(story, "ar"), data)
    assert response.status_code == 302 and response["Location"] == "/admin/translations/"
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderation"
    assert state.requested_by == translator


def test_a_new_source_block_gets_its_translation_in_place(client, site, editor):
    story = NewsStoryPage.objects.get()
    draft = latest(story)
    data = list(draft.body_en.raw_data)
    data.insert(1, {"type": "paragraph", "value": "<p>A new paragraph.</p>", "id": "new-block"})
    draft.body_en = data
    draft.save_revision()
    client.force_login(editor)
    posted = form_data(story, changes={("body", "new-block"): {"": "<p>فقرة جديدة.</p>"}})
    assert client.post(url(story, "ar"), posted).status_code == 302
    arabic = list(latest(story).body_ar.raw_data)
    assert len(arabic) == len(data)
    assert "فقرة جديدة" in arabic[1]["value"]
    assert page_status(NewsStoryPage.objects.get(pk=story.pk), "ar") is None


def test_inline_rows_and_fields_are_units(client, site, translator):
    story = NewsStoryPage.objects.get()
    client.force_login(translator)
    body = client.get(url(story)).content.decode()
    assert 'data-field="related_stories.title"' in body
    assert 'data-field="title"' in body and 'data-field="lead"' in body


def test_translator_of_an_arabic_page_translates_into_english(client, site, translator):
    report = ReportPage.objects.get(symbol="S/2015/730")  # written in Arabic
    client.force_login(translator)
    response = client.get(url(report, "ar"))  # not offered: Arabic is its source
    assert response.status_code == 200
    assert '<input type="hidden" name="language" value="en">' in response.content.decode()


def test_entry_points(client, site, translator):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    client.force_login(translator)
    editor = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f'href="/admin/translations/page/{story.pk}/"' in editor
    link = f'href="/admin/translations/page/{story.pk}/?language=ar"'
    dashboard = client.get("/admin/translations/").content.decode()
    assert link in dashboard and f'data-block="{block_id}"' in dashboard
    assert link in client.get("/admin/").content.decode()


def test_snippets_shown_by_the_page_are_translated_on_the_snippet(client, site, translator):
    story = NewsStoryPage.objects.get()
    ban = Person.objects.get(name_en="Ban Ki-moon")
    client.force_login(translator)
    body = client.get(url(story)).content.decode()
    assert f'data-field="people.person:role" data-block="{ban.pk}"' in body
    revisions = story.revisions.count()
    data = form_data(story, changes={("people.person:role", str(ban.pk)): {"": "الأمين العام"}})
    assert client.post(url(story, "ar"), data).status_code == 302
    ban.refresh_from_db()
    assert ban.role_ar == "الأمين العام"
    assert story.revisions.count() == revisions  # the page itself did not change
    assert not TranslationRecord.objects.filter(field__startswith="people.person").exists()


def test_snippets_are_read_only_without_the_permission_to_change_them(client, site):
    story = NewsStoryPage.objects.get()
    ban = Person.objects.get(name_en="Ban Ki-moon")
    role_before = ban.role_ar
    reader = make_user("reader", "Editors")
    Group.objects.get(name="Editors").permissions.remove(
        Permission.objects.get(codename="change_person")
    )
    client.force_login(reader)
    data = form_data(story, changes={("people.person:role", str(ban.pk)): {"": "تغيير"}})
    assert client.post(url(story, "ar"), data).status_code == 302
    ban.refresh_from_db()
    assert ban.role_ar == role_before


def test_a_page_not_yet_published_is_saved_as_its_draft(client, site, translator):
    story = NewsStoryPage.objects.get()
    story.unpublish()
    client.force_login(translator)
    data = form_data(story, changes={("title", ""): {"": "عنوان لم يُنشر بعد"}})
    assert client.post(url(story, "ar"), data).status_code == 302
    stored = NewsStoryPage.objects.get(pk=story.pk)
    assert stored.title_ar == "عنوان لم يُنشر بعد"  # the page's own row, as Wagtail does
    assert stored.get_latest_revision_as_object().title_ar == "عنوان لم يُنشر بعد"
    assert not stored.live
