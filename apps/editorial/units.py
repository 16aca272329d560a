"""A page's translation units, aligned: each translated text of a page with its source.

A unit is one translated field (a title, a lead), one block of a translated
StreamField (a paragraph, a quote, a Charter quotation), or one translated column of
an inline row (a News Tracker entry's title, a report annex's title). It holds the
source language's text and the translation's, part by part (a quote has its text and
its attribution), and is known by its field and the id of the source's block or row,
which is what the translation records (:mod:`apps.editorial.records`) are keyed by.

The snippets a page shows (the people it names, the speakers of its quotes) are units
too, after the page's own: their translations belong to the snippet, not to the page,
so they are saved to the snippet and have no translation records.

Translated StreamFields are two streams, ``body_en`` and ``body_ar``, with blocks of
their own ids. A source block is paired with the translation block a record names
(the one it was last translated by), then, in order, with the remaining translation
blocks of the same type. A source block left without a partner has no translation
yet; saving a translation for it adds a block to the translation's stream after the
translation of the block before it.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field

from django.db import models

from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from modelcluster.models import get_all_child_relations

from apps.core.text import html_to_text
from apps.core.translation_fields import translatable_fields

CHAR, TEXT, RICH = "char", "text", "rich"


@dataclass
class Part:
    """One text of a unit: a whole field or block (``name`` empty), or a struct's child."""

    name: str
    label: str
    kind: str  # CHAR, TEXT or RICH
    source: str = ""  # as stored: HTML for rich text
    translation: str = ""
    features: list | None = None
    max_length: int | None = None

    @property
    def source_text(self):
        return plain(self.source, self.kind)

    @property
    def translation_text(self):
        return plain(self.translation, self.kind)


@dataclass
class Unit:
    field: str  # "title", "body", "related_stories.title"
    block_id: str  # the source block's id or the row's id; "" for a whole field
    label: str
    parts: list[Part] = field(default_factory=list)
    block_type: str = ""
    translation_block_id: str = ""  # the paired translation block, if any
    position: int = 0  # the source block's index in its stream
    snippet: object = None  # the snippet whose field this is, if not the page's

    @property
    def key(self):
        return (self.field, self.block_id)

    @property
    def source_text(self):
        return "\n".join(p.source_text for p in self.parts if p.source_text)

    @property
    def translation_text(self):
        return "\n".join(p.translation_text for p in self.parts if p.translation_text)

    @property
    def is_block(self):
        return bool(self.block_type)

    @property
    def is_snippet(self):
        return self.snippet is not None


def plain(value, kind):
    if not value:
        return ""
    if kind == RICH:
        return html_to_text(value)
    return " ".join(str(value).split())


# --------------------------------------------------------------------------------------
# Kinds of field and block
# --------------------------------------------------------------------------------------


# The kinds of text, each with the model field and the block that hold it; the first
# that matches tells (a RichTextField is also a TextField).
TEXT_KINDS = (
    (RICH, RichTextField, blocks.RichTextBlock),
    (TEXT, models.TextField, blocks.TextBlock),
    (CHAR, models.CharField, blocks.CharBlock),
)


def field_kind(model_field):
    """The kind of text a model field holds, or None (a document, a number…)."""
    return next(
        (kind for kind, field, _block in TEXT_KINDS if isinstance(model_field, field)), None
    )


def block_kind(block):
    """The kind of text a block holds, or None."""
    return next(
        (kind for kind, _field, block_type in TEXT_KINDS if isinstance(block, block_type)), None
    )


def field_part(obj, name, model_field, source, target, features=None):
    """The one part of a unit that a translated model field ``name`` of ``obj`` (a
    page, an inline row, a snippet) is, from ``source`` into ``target``."""
    return Part(
        name="",
        label=str(model_field.verbose_name),
        kind=field_kind(model_field),
        source=getattr(obj, f"{name}_{source}", None) or "",
        translation=getattr(obj, f"{name}_{target}", None) or "",
        features=features,
        max_length=getattr(model_field, "max_length", None),
    )


def block_parts(block):
    """(name, child block, kind) of the texts of a block: itself, or a struct's children."""
    kind = block_kind(block)
    if kind:
        return [("", block, kind)]
    if isinstance(block, blocks.StructBlock):
        return [
            (name, child, block_kind(child))
            for name, child in block.child_blocks.items()
            if block_kind(child)
        ]
    return []


def _features(block_or_field):
    return getattr(block_or_field, "features", None)


def _block_value(raw, name):
    value = raw.get("value") if isinstance(raw, dict) else None
    if name:
        value = value.get(name) if isinstance(value, dict) else None
    return value if isinstance(value, str) else ""


def raw_blocks(stream):
    """A stream's blocks as raw data (``type``, ``value``, ``id``)."""
    if stream is None:
        return []
    data = stream.raw_data if hasattr(stream, "raw_data") else stream
    return [dict(item) for item in data]


# --------------------------------------------------------------------------------------
# Units of a page
# --------------------------------------------------------------------------------------


def translated_text_fields(model):
    """The model's translated text fields in declaration order: (name, model field)."""
    names = translatable_fields(model)
    result = []
    for model_field in model._meta.get_fields():
        name = getattr(model_field, "name", None)
        if name in names and (
            isinstance(model_field, StreamField) or field_kind(model_field) is not None
        ):
            result.append((name, model_field))
    return result


def pair_blocks(source_blocks, translation_blocks, paired_ids):
    """{source index: translation index}. ``paired_ids`` maps a source block's id to the
    id of the translation block its record names."""
    by_id = {b.get("id"): i for i, b in enumerate(translation_blocks)}
    pairs, used = {}, set()
    for i, block in enumerate(source_blocks):
        j = by_id.get(paired_ids.get(block.get("id")))
        if j is not None and j not in used and translation_blocks[j]["type"] == block["type"]:
            pairs[i] = j
            used.add(j)
    remaining = [j for j in range(len(translation_blocks)) if j not in used]
    for i, block in enumerate(source_blocks):
        if i in pairs:
            continue
        # The next unused translation block after the previous pair, if of the same type.
        floor = max((pairs[k] for k in pairs if k < i), default=-1)
        candidates = [j for j in remaining if j > floor]
        if candidates and translation_blocks[candidates[0]]["type"] == block["type"]:
            pairs[i] = candidates[0]
            remaining.remove(candidates[0])
    return pairs


def stream_units(page, name, model_field, source, target, paired_ids):
    stream_block = model_field.stream_block
    source_blocks = raw_blocks(getattr(page, f"{name}_{source}", None))
    translation_blocks = raw_blocks(getattr(page, f"{name}_{target}", None))
    pairs = pair_blocks(source_blocks, translation_blocks, paired_ids)
    units = []
    for i, block in enumerate(source_blocks):
        child = stream_block.child_blocks.get(block["type"])
        if child is None:
            continue
        partner = translation_blocks[pairs[i]] if i in pairs else None
        unit = Unit(
            field=name,
            block_id=block.get("id") or f"#{i}",
            label=str(child.label),
            block_type=block["type"],
            translation_block_id=(partner or {}).get("id") or "",
            position=i,
        )
        for part_name, part_block, kind in block_parts(child):
            unit.parts.append(
                Part(
                    name=part_name,
                    label=str(part_block.label) if part_name else str(child.label),
                    kind=kind,
                    source=_block_value(block, part_name),
                    translation=_block_value(partner, part_name) if partner else "",
                    features=_features(part_block),
                    max_length=getattr(part_block.field, "max_length", None),
                )
            )
        units.append(unit)
    return units


def child_units(page, source, target):
    units = []
    for relation in get_all_child_relations(type(page)):
        model = relation.related_model
        names = [n for n, f in translated_text_fields(model) if not isinstance(f, StreamField)]
        if not names:
            continue
        accessor = relation.get_accessor_name()
        for i, row in enumerate(getattr(page, accessor).all()):
            for name in names:
                model_field = model._meta.get_field(name)
                row_id = str(row.pk) if row.pk else f"#{i}"
                units.append(
                    Unit(
                        field=f"{accessor}.{name}",
                        block_id=row_id,
                        label=f"{model._meta.verbose_name} {i + 1}: {model_field.verbose_name}",
                        translation_block_id=row_id,
                        position=i,
                        parts=[field_part(row, name, model_field, source, target)],
                    )
                )
    return units


def holds_text_in(page, language):
    """Whether ``page`` holds any text in ``language``, in its translated fields or its
    inline rows': without any, none of its units has a translation (a page imported in
    one language), which is told without building them."""
    for name, _model_field in translated_text_fields(type(page)):
        if getattr(page, f"{name}_{language}", None):
            return True
    for relation in get_all_child_relations(type(page)):
        names = [
            name
            for name, field in translated_text_fields(relation.related_model)
            if not isinstance(field, StreamField)
        ]
        if names and any(
            getattr(row, f"{name}_{language}", None)
            for row in getattr(page, relation.get_accessor_name()).all()
            for name in names
        ):
            return True
    return False


def page_units(page, target, paired_ids=None, snippets=True, translated_only=False):
    """Every translation unit of ``page`` (a page object, e.g. its latest revision's)
    from its source language into ``target``, in the order of the page's fields.

    ``paired_ids`` maps (field, source block id) to the translation block id recorded
    for it, which pairs blocks before their order does. ``translated_only`` leaves out
    the StreamFields with no translation at all, none of whose units would have one
    (the body of a page imported in one language: its blocks' units, each converting
    its source's HTML, were most of the cost of recording a new page's translations)."""
    source = page.source_language
    paired_ids = paired_ids or {}
    units = []
    for name, model_field in translated_text_fields(type(page)):
        if isinstance(model_field, StreamField):
            if translated_only and not raw_blocks(getattr(page, f"{name}_{target}", None)):
                continue
            ids = {b: t for (f, b), t in paired_ids.items() if f == name}
            units.extend(stream_units(page, name, model_field, source, target, ids))
            continue
        units.append(
            Unit(
                field=name,
                block_id="",
                label=str(model_field.verbose_name),
                parts=[field_part(page, name, model_field, source, target, _features(model_field))],
            )
        )
    units.extend(child_units(page, source, target))
    if snippets:  # the people it shows, whose translation is theirs, not the page's
        units.extend(snippet_units(page, source, target))
    return units


def shown_snippets(page):
    """The snippets with translated fields that ``page`` shows: those of its
    many-to-many fields and those its source's StreamField blocks choose, in order."""
    found = []
    for model_field in type(page)._meta.get_fields():
        related = getattr(model_field, "related_model", None)
        if (
            model_field.many_to_many
            and not model_field.auto_created
            and related is not None
            and not issubclass(related, Page)  # pages are translated on their own
            and translatable_fields(related)
        ):
            found.extend(getattr(page, model_field.name).all())
    for name, model_field in translated_text_fields(type(page)):
        if not isinstance(model_field, StreamField):
            continue
        stream = getattr(page, f"{name}_{page.source_language}", None) or []
        for block in stream:
            values = block.value.values() if isinstance(block.value, dict) else []
            found.extend(v for v in values if hasattr(v, "_meta") and translatable_fields(type(v)))
    unique = {}
    for obj in found:
        if not isinstance(obj, Page):
            unique.setdefault((obj._meta.label_lower, obj.pk), obj)
    return list(unique.values())


def snippet_units(page, source, target):
    units = []
    for obj in shown_snippets(page):
        model = type(obj)
        for name, model_field in translated_text_fields(model):
            if isinstance(model_field, StreamField):
                continue
            units.append(
                Unit(
                    field=f"{model._meta.label_lower}:{name}",
                    block_id=str(obj.pk),
                    label=f"{model._meta.verbose_name} “{obj}”: {model_field.verbose_name}",
                    translation_block_id=str(obj.pk),
                    snippet=obj,
                    parts=[field_part(obj, name, model_field, source, target)],
                )
            )
    return units


# --------------------------------------------------------------------------------------
# Writing translations back to a page object
# --------------------------------------------------------------------------------------


def new_block_id():
    return str(uuid.uuid4())


def apply_translations(page, target, units, values):
    """Write translated texts to ``page``'s ``target`` columns (the object, not the
    database). ``values`` maps a unit's key to {part name: text}. A source block
    without a translation block gets one, a copy of the source block (its image,
    speaker, provision) with the translated texts, placed after the translation of
    the block before it. Returns the names of the fields written."""
    written = set()
    streams = {}
    for unit in units:
        texts = values.get(unit.key)
        if texts is None or unit.is_snippet:
            continue  # snippets are saved on their own (see save_snippets)
        if unit.is_block:
            streams.setdefault(unit.field, []).append((unit, texts))
        elif "." in unit.field:
            accessor, name = unit.field.split(".", 1)
            rows = list(getattr(page, accessor).all())
            if unit.position < len(rows):
                setattr(rows[unit.position], f"{name}_{target}", texts.get("", ""))
                setattr(page, accessor, rows)
                written.add(accessor)
        else:
            setattr(page, f"{unit.field}_{target}", texts.get("", ""))
            written.add(unit.field)
    for name, items in streams.items():
        write_stream(page, name, target, items, [u for u in units if u.field == name])
        written.add(name)
    return written


def write_stream(page, name, target, items, field_units):
    source = page.source_language
    model_field = page._meta.get_field(f"{name}_{target}")
    source_blocks = raw_blocks(getattr(page, f"{name}_{source}", None))
    blocks_out = [copy.deepcopy(b) for b in raw_blocks(getattr(page, f"{name}_{target}", None))]
    by_id = {b.get("id"): b for b in blocks_out}
    # The translation block of each source block, once placed, so a new one goes after.
    placed = {}
    for unit in field_units:
        if unit.translation_block_id in by_id:
            placed[unit.position] = by_id[unit.translation_block_id]
    for unit, texts in sorted(items, key=lambda item: item[0].position):
        block = by_id.get(unit.translation_block_id)
        if block is None:
            if not any((texts.get(p.name) or "").strip() for p in unit.parts):
                continue  # nothing written for a block not yet translated
            template = next((b for b in source_blocks if b.get("id") == unit.block_id), None)
            if template is None:
                continue
            block = copy.deepcopy(template)
            block["id"] = new_block_id()
            before = [placed[k] for k in placed if k < unit.position]
            anchor = before[-1] if before else None
            index = blocks_out.index(anchor) + 1 if anchor is not None else 0
            blocks_out.insert(index, block)
            placed[unit.position] = block
            placed = dict(sorted(placed.items()))
        for part in unit.parts:
            text = texts.get(part.name, "")
            if part.name:
                value = block.get("value") if isinstance(block.get("value"), dict) else {}
                value[part.name] = text
                block["value"] = value
            else:
                block["value"] = text
    setattr(page, f"{name}_{target}", model_field.stream_block.to_python(blocks_out))


def save_snippets(target, units, values):
    """Write translated texts of snippet units to their snippets and save them. Returns
    the snippets saved."""
    changed = {}
    for unit in units:
        texts = values.get(unit.key)
        if texts is None or not unit.is_snippet:
            continue
        name = unit.field.split(":", 1)[1]
        setattr(unit.snippet, f"{name}_{target}", texts.get("", ""))
        changed[id(unit.snippet)] = unit.snippet
    for snippet in changed.values():
        snippet.full_clean()
        snippet.save()
    return list(changed.values())
