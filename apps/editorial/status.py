"""Which pages still need translating, per language.

A translated field of a page is **missing** in a language when it has a value in
the page's source language and none in that language (or the very same text, as
a page imported in one language borrows its title and slug), and **outdated** when the
source changed since the translation was made: for a text field, a block of a
StreamField or a translated column of an inline row, when the source's text is no
longer the one recorded with the translation (:mod:`apps.editorial.records`), or when
a new block has no translation yet; those units are the status's ``changed`` list. A
translated field with no record (a document) is outdated when its source-language
value changed in the page's revision history after the translation last did. The
current state of a page is its latest revision, so a draft a translator is working
on counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist

from wagtail.models import Page

from apps.core.pages import SourceMixin
from apps.core.translation_fields import LANGUAGES, is_filled, translatable_fields

from .models import TranslationRecord
from .records import ChangedUnit, changed_units, paired_ids
from .units import page_units


@dataclass
class PageStatus:
    page: Page
    language: str  # the language the page needs translating into
    missing: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    changed: list[ChangedUnit] = field(default_factory=list)

    @property
    def type_label(self):
        return self.page._meta.label

    def field_label(self, name):
        """A field's name as the admin shows it (its verbose name, in the admin's language)."""
        model = type(self.page)
        accessor, _dot, column = name.partition(".")
        try:
            if column:
                related = model._meta.get_field(accessor).related_model
                field = related._meta.get_field(column)
                return f"{related._meta.verbose_name}: {field.verbose_name}"
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    @property
    def missing_labels(self):
        return [self.field_label(name) for name in self.missing]

    @property
    def outdated_labels(self):
        return [self.field_label(name) for name in self.outdated]

    def as_dict(self):
        return {
            "id": self.page.pk,
            "key": getattr(self.page, "content_key", None),
            "type": self.type_label,
            "title": self.page.draft_title or self.page.title,
            "source_language": self.page.source_language,
            "language": self.language,
            "missing": self.missing,
            "outdated": self.outdated,
            "changed": [change.as_dict() for change in self.changed],
        }


def _raw(value):
    """A comparable form of a field value (StreamField → its raw data without block ids)."""
    if hasattr(value, "raw_data"):
        return [{"type": b["type"], "value": b["value"]} for b in value.raw_data]
    if isinstance(value, list):
        return [
            {"type": b.get("type"), "value": b.get("value")} if isinstance(b, dict) else b
            for b in value
        ]
    return value


def changed_at(page, names):
    """When each ``name_lang`` column last changed, from the page's revisions."""
    last, previous = {}, {}
    for revision in page.revisions.order_by("created_at", "pk").only("content", "created_at"):
        for name in names:
            value = _raw(revision.content.get(name))
            if name not in previous or previous[name] != value:
                last[name] = revision.created_at
                previous[name] = value
    return last


def page_status(page, language, records=None) -> PageStatus | None:
    """The fields ``page`` lacks, or has out of date, in ``language``; None if it is complete.

    ``records``: the page's translation records into ``language`` by (field, block id),
    when the caller read them already."""
    source = page.source_language
    if language == source:
        return None
    current = page.get_latest_revision_as_object() if page.latest_revision_id else page
    if records is None:
        records = {
            (r.field, r.block_id): r
            for r in TranslationRecord.objects.filter(page_id=page.pk, language=language)
        }
    units = page_units(current, language, paired_ids(records))
    unit_fields = {u.field.split(".", 1)[0] for u in units}
    fields = sorted(translatable_fields(type(page)))
    status = PageStatus(page=page, language=language)
    times = changed_at(page, [f"{f}_{lang}" for f in fields for lang in (source, language)])
    for name in fields:
        original = getattr(current, f"{name}_{source}", None)
        translation = getattr(current, f"{name}_{language}", None)
        if not is_filled(original):
            continue
        # Only a field required in the default language is ever borrowed (the loader's
        # rule); any other value may rightly be the same in both languages (a URL, a
        # proper name such as "UN Peacemaker").
        required = not type(page)._meta.get_field(f"{name}_{settings.LANGUAGE_CODE}").blank
        borrowed = required and name != "slug" and _raw(translation) == _raw(original)
        if not is_filled(translation) or borrowed:
            # Empty, or still the source text that a new page borrowed (see the loader).
            status.missing.append(name)
            continue
        if name in unit_fields:
            continue  # text: told unit by unit below
        source_time, target_time = times.get(f"{name}_{source}"), times.get(f"{name}_{language}")
        if source_time and target_time and source_time > target_time:
            status.outdated.append(name)
    status.changed = changed_units(units, records, missing_fields=set(status.missing))
    for change in status.changed:
        if change.field not in status.outdated:
            status.outdated.append(change.field)
    return status if status.missing or status.outdated else None


def translation_status(language=None, page_type=None) -> list[PageStatus]:
    """Every page needing work, optionally for one language and one page type."""
    languages = [language] if language else LANGUAGES
    pages = Page.objects.filter(depth__gt=1).order_by("path").specific()
    records = {}
    for record in TranslationRecord.objects.filter(language__in=languages):
        records.setdefault((record.page_id, record.language), {})[
            (record.field, record.block_id)
        ] = record
    result = []
    for page in pages:
        if not isinstance(page, SourceMixin):
            continue
        if page_type and page._meta.label_lower != page_type.lower():
            continue
        for code in languages:
            status = page_status(page, code, records.get((page.pk, code), {}))
            if status is not None:
                result.append(status)
    return result


def page_types():
    return sorted(
        {
            (model._meta.label, str(model._meta.verbose_name))
            for model in (type(p) for p in Page.objects.filter(depth__gt=1).specific())
            if issubclass(model, SourceMixin)
        },
        key=lambda item: item[1],
    )
