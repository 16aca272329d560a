"""What changed in the source since each translation was made.

Every saved revision of a page is compared with the one before it: for each
translation unit (:mod:`apps.editorial.units`) whose translation it changes, the
source text it stands beside is recorded (:class:`TranslationRecord`) as the text
the translation was made from. A unit seen for the first time with a translation is
recorded with the source of the revision that translation comes from (the revision
before, when the translation did not change; a stream written anew with new block
ids, as the loader writes it, is matched block by block in order). A unit **needs an
update** when the source's text is no longer the recorded one; marking it "still
correct" records the current source without changing the translation.

Revisions are saved by the admin's editor, by the translation view and by the loader
alike, so every way a translation is written is recorded, and content is stored only
in the page and its revisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Revision

from apps.core.pages import SourceMixin
from apps.core.translation_fields import LANGUAGES

from .diff import diff_html
from .models import TranslationRecord
from .units import Unit, holds_text_in, page_units


def target_languages(page):
    return [code for code in LANGUAGES if code != page.source_language]


def records_of(page_id, language):
    return {
        (r.field, r.block_id): r
        for r in TranslationRecord.objects.filter(page_id=page_id, language=language)
    }


def paired_ids(records):
    return {key: r.translation_block_id for key, r in records.items() if r.translation_block_id}


def units_for(page, language, records, snippets=True):
    """The page's units; without the snippets it shows when only the page's own count
    (the snippets' translations are recorded as theirs, not the page's)."""
    return page_units(page, language, paired_ids(records), snippets)


def record_for(unit, records):
    """The unit's record. An inline row is known by its id once it has one; a revision
    saved before the row was (the loader's first) knows it by its position."""
    record = records.get(unit.key)
    if record is None and not unit.is_block and "." in unit.field:
        record = records.get((unit.field, f"#{unit.position}"))
    return record


def previous_revision(revision):
    try:
        return revision.get_previous()
    except type(revision).DoesNotExist:
        return None


def revision_page(revision):
    """The page as ``revision`` holds it. Wagtail's ``save_revision`` creates the
    revision from the page object itself, which the revision then keeps: that object
    is the revision's content, so it serves as it is rather than being rebuilt from
    the JSON (which reads every chosen person, topic and provision back)."""
    if Revision._meta.get_field("content_object").is_cached(revision):
        return revision.content_object
    return revision.as_object()


def new_record(page, language, unit, source_text, revision, user=None):
    return TranslationRecord(
        page_id=page.pk,
        language=language,
        field=unit.field,
        block_id=unit.block_id,
        translation_block_id=unit.translation_block_id,
        source_text=source_text,
        revision=revision,
        user=user or revision.user,
    )


def record_new_pages(revisions):
    """Record the translations of pages created together, each with its first revision
    (:data:`apps.core.events.pages_created`): as :func:`record_revision` would, knowing
    that no earlier revision and no record exist, in one insert."""
    created = []
    for revision in revisions:
        page = revision_page(revision)
        if not isinstance(page, SourceMixin):
            continue
        for language in target_languages(page):
            if not holds_text_in(page, language):
                continue  # nothing translated yet: no unit would be recorded
            # The translation is asked first: a page imported in one language has
            # none in most units (its borrowed title aside), and the source's text of a
            # rich-text block is converted from its HTML only when it is recorded.
            created += [
                new_record(page, language, unit, unit.source_text, revision)
                for unit in page_units(page, language, snippets=False, translated_only=True)
                if unit.translation_text and unit.source_text
            ]
    TranslationRecord.objects.bulk_create(created)


def record_revision(revision, user=None):
    """Record, for a newly saved page revision, the source of every translation it
    changes (see the module's description)."""
    page = revision_page(revision)
    if not isinstance(page, SourceMixin) or page.pk is None:
        return
    before = previous_revision(revision)
    previous_page = before.as_object() if before is not None else None
    for language in target_languages(page):
        records = records_of(page.pk, language)
        current = units_for(page, language, records, snippets=False)
        earlier, earlier_blocks = {}, {}
        if previous_page is not None and previous_page.source_language == page.source_language:
            for u in units_for(previous_page, language, records, snippets=False):
                earlier[u.key] = u
                if u.is_block:
                    earlier_blocks[(u.field, u.position, u.block_type)] = u
        keep, created = set(), []
        for unit in current:
            record = record_for(unit, records)
            if record is not None and (record.field, record.block_id) != unit.key:
                record.block_id = unit.block_id  # the row has its id now
                record.save(update_fields=["block_id", "recorded_at"])
                records[unit.key] = record
            keep.add(unit.key)
            if not unit.source_text or not unit.translation_text:
                continue
            was = earlier.get(unit.key) or earlier.get((unit.field, f"#{unit.position}"))
            if was is None and record is None and unit.is_block:
                # A stream written anew (the loader gives its blocks new ids): the block
                # in the same place, if its translation reads the same, is this one.
                same_place = earlier_blocks.get((unit.field, unit.position, unit.block_type))
                if same_place and same_place.translation_text == unit.translation_text:
                    was = same_place
            changed = was is None or was.translation_text != unit.translation_text
            if record is None:
                source_text = unit.source_text if changed else was.source_text
                created.append(new_record(page, language, unit, source_text, revision, user))
            elif changed:
                record.source_text = unit.source_text
                record.translation_block_id = unit.translation_block_id
                record.how = TranslationRecord.TRANSLATED
                record.revision = revision
                record.user = user or revision.user
                record.save()
            elif record.translation_block_id != unit.translation_block_id:
                record.translation_block_id = unit.translation_block_id
                record.save(update_fields=["translation_block_id", "recorded_at"])
        TranslationRecord.objects.bulk_create(created)
        # Blocks and rows gone from the page take their records with them.
        gone = [r.pk for key, r in records.items() if (r.field, r.block_id) not in keep]
        if gone:
            TranslationRecord.objects.filter(pk__in=gone).delete()


@dataclass
class ChangedUnit:
    """A unit whose source changed since its translation (or that has none yet)."""

    unit: Unit
    record: TranslationRecord | None

    @property
    def field(self):
        return self.unit.field

    @property
    def block_id(self):
        return self.unit.block_id

    @property
    def untranslated(self):
        return self.record is None

    @property
    def recorded_source(self):
        return self.record.source_text if self.record else ""

    def diff(self):
        return diff_html(self.recorded_source, self.unit.source_text)

    def as_dict(self):
        return {
            "field": self.unit.field,
            "block_id": self.unit.block_id,
            "block_type": self.unit.block_type,
            "label": self.unit.label,
            "untranslated": self.untranslated,
            "source_then": self.recorded_source,
            "source_now": self.unit.source_text,
        }


def changed_units(units, records, missing_fields=()):
    """The units of a page that need an update: a recorded source that is no longer the
    source's text, or a new block or row with no translation in a field that has one
    (a field missing altogether is reported as missing, not block by block)."""
    translated_fields = {u.field for u in units if u.translation_text and not u.is_snippet}
    result = []
    for unit in units:
        if not unit.source_text or unit.field in missing_fields or unit.is_snippet:
            continue
        record = record_for(unit, records)
        if not unit.translation_text:
            if unit.is_block and unit.field in translated_fields:
                result.append(ChangedUnit(unit, None))
            continue
        if record is not None and record.source_text != unit.source_text:
            result.append(ChangedUnit(unit, record))
    return result


def mark_still_correct(page, language, keys, user=None, revision=None):
    """Record the source's current text for the units ``keys`` of ``page`` (its latest
    revision's object): their translations stand as they are."""
    records = records_of(page.pk, language)
    for unit in units_for(page, language, records):
        if unit.key not in keys or not unit.source_text or not unit.translation_text:
            continue
        if unit.is_snippet:
            continue
        record = record_for(unit, records)
        if record is not None and (record.field, record.block_id) != unit.key:
            record.delete()  # replaced by the row's record under its id
        TranslationRecord.objects.update_or_create(
            page_id=page.pk,
            language=language,
            field=unit.field,
            block_id=unit.block_id,
            defaults={
                "source_text": unit.source_text,
                "translation_block_id": unit.translation_block_id,
                "how": TranslationRecord.CONFIRMED,
                "user": user,
                "revision": revision or page.latest_revision,
            },
        )
