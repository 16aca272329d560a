"""The exporter: stored pages, people and images → :class:`ContentRecord` objects.

``export_content`` writes them in the fixture format, so that ``load_content`` rebuilds
the same site: references to other objects become their content keys, rich text
becomes the fixtures' link markup, and what Wagtail derives or keeps for itself (tree
position, revisions, publication times, renditions) is left out.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import models

from wagtail.blocks import ListBlock, RichTextBlock, StreamBlock, StructBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel, get_all_child_relations

from apps.core.translation_fields import LANGUAGES, translatable_fields

from .content import ContentRecord
from .keys import CHOOSER_BLOCKS
from .markup import html_to_markup


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def block_to_data(block, value, keys):
    """A block's native value → fixture data (keys for chosen objects, markup for rich text)."""
    if isinstance(block, StructBlock):
        data = {}
        for name, child in block.child_blocks.items():
            child_value = block_to_data(child, value.get(name), keys)
            if child_value not in (None, "", []):
                data[name] = child_value
        return data
    if isinstance(block, StreamBlock):
        return [
            {child.block_type: block_to_data(child.block, child.value, keys)} for child in value
        ]
    if isinstance(block, ListBlock):
        return [block_to_data(block.child_block, item, keys) for item in value]
    if isinstance(block, RichTextBlock):
        return html_to_markup(value.source if value else "", keys.page_key)
    if isinstance(block, CHOOSER_BLOCKS):
        return keys.key_for(value) if value is not None else None
    return _plain(value)


def field_to_data(obj, field, keys, lang=None):
    name = f"{field.name}_{lang}" if lang else field.name
    value = getattr(obj, name)
    if isinstance(field, StreamField):
        return block_to_data(field.stream_block, value or [], keys) if value else []
    if isinstance(field, RichTextField):
        return html_to_markup(value or "", keys.page_key)
    if isinstance(field, models.ForeignKey):
        return keys.key_for(value)
    if isinstance(field, models.FileField):
        return None
    return _plain(value)


def object_fields(obj, keys):
    """The fixture fields of one object (page, snippet, image or inline child)."""
    model = type(obj)
    translated = translatable_fields(model)
    exclude = {"id", "pk", "content_key", "imported_at", "source_language", "source_document"}
    if isinstance(obj, Page):
        own = [f for f in model._meta.get_fields() if f.model is not Page or f.name in translated]
        own = [f for f in own if not f.auto_created and f.name not in exclude]
        own = [f for f in own if f.concrete or isinstance(f, ParentalManyToManyField)]
        own = [f for f in own if not getattr(f, "parent_link", False)]
    else:
        own = [
            f
            for f in model._meta.get_fields()
            if (f.concrete or isinstance(f, ParentalManyToManyField))
            and not f.auto_created
            and f.name not in exclude
        ]
    fields = {}
    for f in own:
        if any(f.name == f"{t}_{lang}" for t in translated for lang in LANGUAGES):
            continue
        if f.name in getattr(model, "export_exclude", ()) or f.name == "sort_order":
            continue
        if isinstance(f, ParentalManyToManyField | models.ManyToManyField):
            fields[f.name] = [keys.key_for(o) for o in getattr(obj, f.name).all()]
        elif f.name in translated:
            values = {lang: field_to_data(obj, f, keys, lang) for lang in LANGUAGES}
            values = {k: v for k, v in values.items() if v not in (None, "", [])}
            if values:
                fields[f.name] = values
        elif getattr(f, "remote_field", None) and f.name in {"page"}:
            continue  # the parental key of an inline child
        else:
            value = field_to_data(obj, f, keys)
            if value not in (None, "", []):
                fields[f.name] = value
    for relation in child_relations(model):
        children = getattr(obj, relation.get_accessor_name()).all()
        fields[relation.get_accessor_name()] = [object_fields(child, keys) for child in children]
    return fields


def child_relations(model):
    if not issubclass(model, ClusterableModel):
        return []
    # Editors' comments belong to the admin, not to the content.
    return [
        r
        for r in get_all_child_relations(model)
        if r.get_accessor_name() != "wagtail_admin_comments"
    ]


PAGE_EXPORT_EXCLUDE = {
    "path", "depth", "numchild", "translation_key", "locale", "latest_revision",
    "live", "has_unpublished_changes", "first_published_at", "last_published_at",
    "live_revision", "go_live_at", "expire_at", "expired", "locked", "locked_at",
    "locked_by", "owner", "draft_title", "latest_revision_created_at", "alias_of",
    "content_type", "show_in_menus", "url_path",
}  # fmt: skip
IMAGE_EXPORT_EXCLUDE = {
    "file", "width", "height", "created_at", "uploaded_by_user", "focal_point_x",
    "focal_point_y", "focal_point_width", "focal_point_height", "file_size", "file_hash",
    "collection", "tags",
}  # fmt: skip


def object_to_record(obj, keys) -> ContentRecord:
    """The fixture record of a stored (or in-memory) object."""
    fields = object_fields(obj, keys)
    model = type(obj)
    if isinstance(obj, Page):
        for name in PAGE_EXPORT_EXCLUDE:
            fields.pop(name, None)
        if obj.show_in_menus:
            fields["show_in_menus"] = True
        parent = obj.get_parent() if obj.pk else None
        parent_key = keys.key_for(parent.specific) if parent and parent.depth > 1 else None
        return ContentRecord(
            key=obj.content_key,
            type=model._meta.label,
            fields=fields,
            parent=parent_key,
            source_language=obj.source_language,
            source_document=obj.source_document or None,
        )
    if isinstance(obj, AbstractImage):
        for name in IMAGE_EXPORT_EXCLUDE:
            fields.pop(name, None)
        fields["file"] = f"images/{Path(obj.file.name).name}"
    return ContentRecord(key=obj.content_key, type=model._meta.label, fields=fields)
