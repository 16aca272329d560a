"""What changed in the source since the translation: records, diffs and the status."""

import json
from io import StringIO

from django.core.management import call_command

import pytest

from apps.editorial.diff import diff_html, word_diff
from apps.editorial.models import TranslationRecord
from apps.editorial.records import mark_still_correct
from apps.editorial.status import page_status
from apps.editorial.units import holds_text_in, page_units
from apps.news.models import NewsStoryPage, RelatedStory

pytestmark = pytest.mark.django_db

NEW_SENTENCE = (
    "<p>During an informal session on mediation at UN Headquarters in New York, Mr. Ban "
    "said he was delighted by the progress made in the past five years.</p>"
)


def latest(story):
    return NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()


def first_paragraph(story, language="en"):
    stream = getattr(story, f"body_{language}")
    return next(block for block in stream if block.block_type == "paragraph")


def edit_paragraph(story, html):
    """Replace the first English paragraph's text, keeping its block id, and save a draft."""
    draft = latest(story)
    data = list(draft.body_en.raw_data)
    index = next(i for i, b in enumerate(data) if b["type"] == "paragraph")
    data[index] = {**data[index], "value": html}
    draft.body_en = data
    draft.save_revision()
    return data[index]["id"]


def status_of(story):
    return page_status(NewsStoryPage.objects.get(pk=story.pk), "ar")


def test_word_diff_marks_the_words_that_changed():
    changes = word_diff("he was pleased by the progress", "he was delighted by the progress")
    assert [(c.op, c.text) for c in changes] == [
        ("equal", "he was "),
        ("delete", "pleased"),
        ("insert", "delighted"),
        ("equal", " by the progress"),
    ]
    # Arabic words are words too; text is escaped, never markup.
    assert str(diff_html("قال الأمين", "قال الرئيس <b>")) == (
        "قال <del>الأمين</del><ins>الرئيس &lt;b&gt;</ins>"
    )


def test_loading_records_every_translated_unit(site):
    story = NewsStoryPage.objects.get()
    records = {(r.field, r.block_id): r for r in TranslationRecord.objects.filter(page=story)}
    units = page_units(latest(story), "ar")
    translated = [u for u in units if u.source_text and u.translation_text]
    for unit in translated:
        key = unit.key if unit.is_block or "." not in unit.field else None
        assert key is None or key in records, unit.key
    assert ("related_stories.title", "#0") in records or any(
        field == "related_stories.title" for field, _block in records
    )
    # Each block of the English body is paired with its Arabic block.
    paragraph = first_paragraph(story)
    record = records[("body", paragraph.id)]
    assert record.translation_block_id == first_paragraph(story, "ar").id
    assert record.source_text.startswith("During an informal session on mediation")
    assert status_of(story) is None


def test_source_changed_twice_then_translation_updated(site):
    story = NewsStoryPage.objects.get()
    original = first_paragraph(story).value.source
    block_id = edit_paragraph(story, NEW_SENTENCE)

    status = status_of(story)
    assert status.outdated == ["body"]
    assert [(c.field, c.block_id) for c in status.changed] == [("body", block_id)]
    assert "<del>pleased</del>" in str(status.changed[0].diff())
    assert "<ins>delighted</ins>" in str(status.changed[0].diff())

    # Changed again: the diff is still against the text the translation was made from.
    edit_paragraph(story, NEW_SENTENCE.replace("five", "ten"))
    change = status_of(story).changed[0]
    assert change.recorded_source.startswith("During an informal session")
    assert "pleased" in change.recorded_source and "ten" not in change.recorded_source
    assert "<ins>ten</ins>" in str(change.diff())
    assert "<del>pleased</del>" in str(change.diff())
    assert original  # the stored English before the edits

    # The translator updates that block's Arabic: the record follows, the status clears.
    draft = latest(story)
    arabic = list(draft.body_ar.raw_data)
    index = next(i for i, b in enumerate(arabic) if b["id"] == change.unit.translation_block_id)
    arabic[index] = {**arabic[index], "value": "<p>قال السيد بان إنه سعيد جدا بالتقدم.</p>"}
    draft.body_ar = arabic
    draft.save_revision()
    assert status_of(story) is None
    record = TranslationRecord.objects.get(page=story, field="body", block_id=block_id)
    assert "ten years" in record.source_text
    assert record.how == TranslationRecord.TRANSLATED


def test_still_correct_clears_without_changing_the_translation(site, admin_user):
    story = NewsStoryPage.objects.get()
    arabic_before = latest(story).body_ar.raw_data[0]["value"]
    block_id = edit_paragraph(story, NEW_SENTENCE)
    assert status_of(story) is not None
    mark_still_correct(latest(story), "ar", {("body", block_id)}, user=admin_user)
    assert status_of(story) is None
    record = TranslationRecord.objects.get(page=story, field="body", block_id=block_id)
    assert record.how == TranslationRecord.CONFIRMED and record.user == admin_user
    assert latest(story).body_ar.raw_data[0]["value"] == arabic_before


def test_a_field_translated(site):
    story = NewsStoryPage.objects.get()
    draft = latest(story)
    draft.source_en = "UN News"
    draft.save_revision()
    status = status_of(story)
    assert status.outdated == ["source"]
    assert status.changed[0].as_dict()["source_then"] == "UN News Centre"
    draft = latest(story)
    draft.source_ar = "أخبار الأمم المتحدة"
    draft.save_revision()
    assert status_of(story) is None


def test_a_new_block_without_translation_needs_one(site):
    story = NewsStoryPage.objects.get()
    draft = latest(story)
    data = list(draft.body_en.raw_data)
    data.insert(1, {"type": "paragraph", "value": "<p>A new paragraph.</p>", "id": "new-block"})
    draft.body_en = data
    draft.save_revision()
    status = status_of(story)
    assert [(c.block_id, c.untranslated) for c in status.changed] == [("new-block", True)]
    # The other blocks are still paired with their own translations, not shifted.
    units = {u.block_id: u for u in page_units(latest(story), "ar", None) if u.field == "body"}
    records = TranslationRecord.objects.filter(page=story, field="body")
    for record in records:
        assert units[record.block_id].translation_block_id == record.translation_block_id


def test_translation_status_json_lists_changed_blocks(site):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    out = StringIO()
    call_command("translation_status", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 1
    (row,) = rows
    assert row["key"] == story.content_key and row["outdated"] == ["body"]
    assert [c["block_id"] for c in row["changed"]] == [block_id]
    assert row["changed"][0]["block_type"] == "paragraph"
    assert "pleased" in row["changed"][0]["source_then"]
    assert "delighted" in row["changed"][0]["source_now"]


def test_translation_status_text_names_the_changed_blocks(site):
    story = NewsStoryPage.objects.get()
    block_id = edit_paragraph(story, NEW_SENTENCE)
    out = StringIO()
    call_command("translation_status", stdout=out)
    assert f"outdated: body; changed since the translation: body paragraph {block_id}" in (
        out.getvalue()
    )


def test_a_stream_written_anew_keeps_what_changed(site):
    """The loader writes a changed stream with new block ids: the English paragraph
    that changed still needs its translation updated; the others do not."""
    story = NewsStoryPage.objects.get()
    draft = latest(story)
    english = [{**b, "id": f"en-{i}"} for i, b in enumerate(draft.body_en.raw_data)]
    arabic = [{**b, "id": f"ar-{i}"} for i, b in enumerate(draft.body_ar.raw_data)]
    english[0] = {**english[0], "value": NEW_SENTENCE}
    draft.body_en, draft.body_ar = english, arabic
    draft.save_revision()
    status = status_of(story)
    assert [(c.field, c.block_id) for c in status.changed] == [("body", "en-0")]
    assert "pleased" in status.changed[0].recorded_source


def test_a_page_in_one_language_has_no_translation_to_record():
    """Pages created together skip building the units of a page that holds no text in
    the target language; any text there, an inline row's included, is looked at."""
    story = NewsStoryPage(title_en="Envoys meet", lead_en="<p>Talks</p>", source_language="en")
    story.related_stories = [RelatedStory(title_en="Earlier talks", url="https://example.org")]
    assert not holds_text_in(story, "ar") and holds_text_in(story, "en")
    story.related_stories = [RelatedStory(title_en="Earlier talks", title_ar="محادثات سابقة")]
    assert holds_text_in(story, "ar")
    story.related_stories = []
    story.lead_ar = "<p>محادثات</p>"
    assert holds_text_in(story, "ar")


def test_units_that_can_hold_a_translation_leave_out_an_untranslated_stream():
    """``translated_only`` (the records of new pages) leaves out a StreamField whose
    translation is empty, whose units would have no translation, and nothing else."""
    story = NewsStoryPage(
        title_ar="لقاء المبعوثين",
        title_en="لقاء المبعوثين",  # borrowed, as an imported Arabic page's
        source_language="ar",
        body_ar=[("paragraph", "<p>محادثات</p>"), ("paragraph", "<p>أخرى</p>")],
    )
    every = page_units(story, "en", snippets=False)
    some = page_units(story, "en", snippets=False, translated_only=True)
    assert [u.field for u in every if u.field == "body"] == ["body", "body"]
    assert [u.key for u in some] == [u.key for u in every if u.field != "body"]
    translated = [u.field for u in some if u.translation_text and u.source_text]
    assert translated == [u.field for u in every if u.translation_text and u.source_text]
    assert "title" in translated
    story.body_en = [("paragraph", "<p>Talks</p>")]
    assert [u.field for u in page_units(story, "en", translated_only=True)].count("body") == 2
