"""The one loader: writes :class:`ContentRecord` objects to pages, snippets and images.

``load_content`` (structured fixtures) and ``import_documents`` (raw documents)
both end here. A run is all-or-nothing (one transaction); every object is
matched by its content key (or, for imported documents, by what identifies it
naturally), compared with what is stored, and saved — and for pages published
as a new revision — only when something changed, so loading twice changes
nothing. What changed is told by the values of the fields a record sets, before
and after it is applied (:func:`stored_state`).

Indexing waits for the end of the run: while it loads, the signal handlers that
would update Wagtail's search index, its reference index and the site's search
documents after every save are held back (:func:`indexing_deferred`), and the run
ends with one pass over everything that changed, in the same transaction.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import io
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.images import ImageFile
from django.db import connection, models, transaction
from django.db.models.signals import post_save
from django.utils import timezone, translation

from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.blocks import RichTextBlock, StreamValue, StructBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.search import index as search_index
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler as search_index_on_save
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from apps.core.signals import changes_gathered
from apps.core.sites import apply_site_url, configure_site
from apps.core.text import strip_bidi_controls
from apps.core.translation_fields import LANGUAGES, translatable_fields
from apps.search.documents import update_documents_for
from apps.search.signals import refresh_search_documents

from .bulk import NewPages, copy_rows
from .content import ContentError, ContentRecord, placing_order
from .keys import CHOOSER_BLOCKS, KeyIndex
from .markup import links_in, markup_to_html, strip_links
from .search_index import add_bulk as search_index_add_bulk


def refers_to_others(field):
    """Fields that may name other objects, set in the loader's second pass."""
    return isinstance(field, StreamField | RichTextField | models.ForeignKey)


# --------------------------------------------------------------------------------------
# What is stored, in a form that compares equal when the content is the same
# --------------------------------------------------------------------------------------


def _without_ids(data):
    """Block data without the ids Wagtail gives stream children and list items."""
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id" or "type" not in data}
    return data


def field_state(field, value):
    """One field's value as plain data: a stream as its blocks' data, objects as their ids."""
    if isinstance(field, StreamField):
        return _without_ids(
            [{"type": c.block_type, "value": c.block.get_prep_value(c.value)} for c in value or []]
        )
    return value


def child_state(child):
    """An inline child's own columns (not its id, parent or position)."""
    model = type(child)
    translated = translatable_fields(model)
    return {
        f.attname: field_state(f, getattr(child, f.attname))
        for f in model._meta.concrete_fields
        if not (f.primary_key or isinstance(f, ParentalKey) or f.name == "sort_order")
        and f.name not in translated
    }


def stored_state(obj, names, record):
    """What ``obj`` holds for the fields ``names`` of ``record`` (translated fields per
    language, children and many-to-many relations included), and its provenance."""
    model = type(obj)
    values = {}
    for name in names:
        field = _field(model, name, record)
        if field.one_to_many and hasattr(field, "related_model"):
            values[name] = [child_state(c) for c in getattr(obj, name).all()] if obj.pk else []
        elif isinstance(field, ParentalManyToManyField):
            values[name] = sorted(o.pk for o in getattr(obj, name).all())
        elif name in translatable_fields(model):
            values[name] = {
                lang: field_state(field, getattr(obj, f"{name}_{lang}")) for lang in LANGUAGES
            }
        else:
            values[name] = field_state(field, getattr(obj, field.attname))
    provenance = (getattr(obj, "source_language", None), getattr(obj, "source_document", None))
    return values, provenance


def _field(model, name, record):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        raise ContentError(record.origin, f"{record.type} has no field {name!r}") from None


# --------------------------------------------------------------------------------------
# Indexing, once at the end of a run
# --------------------------------------------------------------------------------------


# Allocations between two collections of the youngest generation during a run
# (Python's default is 700).
RUN_GC_THRESHOLD = 50_000


@contextmanager
def collections_spaced():
    """Python's cyclic garbage collector, run less often while a run loads: a run makes
    millions of short-lived objects, nearly all freed as soon as they are dropped, and
    collecting every 700 allocations cost an import 7 % of its CPU (1.35 s of 18 s for
    2,000 documents; 0.18 s with this). What the process held before the run is frozen
    (never scanned during it), and both are put back afterwards, whatever happens."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(RUN_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def indexing_deferred():
    """Hold back the per-save index updates while a run loads.

    Each save of a page or image otherwise enqueues a search-index task (Wagtail's
    ``post_save`` handler) and a reference-index task, and each publication rebuilds
    the page's search documents — about a dozen tasks per imported page, run again on
    every save. The reference index has Wagtail's own switch; the other two handlers
    are disconnected for the run and connected again afterwards, whatever happens.
    """
    indexed = [
        m for m in search_index.get_indexed_models() if getattr(m, "search_auto_update", True)
    ]
    held = [m for m in indexed if post_save.disconnect(search_index_on_save, sender=m)]
    documents_held = page_published.disconnect(refresh_search_documents)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in held:
            post_save.connect(search_index_on_save, sender=model)
        if documents_held:
            page_published.connect(refresh_search_documents)


def update_indexes(objects, new=()):
    """One pass over ``objects``: the site's search documents of the pages, Wagtail's
    search index (one bulk insert per model and backend) and its reference index (for
    the ``new`` objects, which have no references stored yet, one insert for all)."""
    update_documents_for([o for o in objects if isinstance(o, Page)])
    by_model = defaultdict(list)
    for obj in objects:
        if search_index.class_is_indexed(type(obj)):
            by_model[type(obj)].append(obj)
    for backend in get_search_backends(with_auto_update=True):
        for model, instances in by_model.items():
            search_index_add_bulk(backend, model, instances)
    new = {id(obj) for obj in new}
    add_references([obj for obj in objects if id(obj) in new])
    for obj in objects:
        if id(obj) not in new:
            ReferenceIndex.create_or_update_for_object(obj)


def add_references(objects):
    """The references of ``objects``, which have none stored yet, as Wagtail's
    ``ReferenceIndex.create_or_update_for_object`` finds and writes them, in one
    statement (:func:`~apps.importer.bulk.copy_rows`; a dozen rows a story): the rows as
    plain values, not model instances, which cost more to build and insert than finding
    the references."""
    rows = []
    content_types = {}
    path_hash = ReferenceIndex._meta.get_field("content_path_hash")  # a UUID, stored as such
    for obj in objects:
        model = type(obj)
        if model not in content_types:
            content_types[model] = [
                ContentType.objects.get_for_model(m, for_concrete_model=False).pk
                for m in [model, *model._meta.get_parent_list()]
            ]
        content_type, base_content_type = content_types[model][0], content_types[model][-1]
        object_id = str(obj.pk)
        rows += [
            (content_type, base_content_type, object_id, to_content_type_id, str(to_object_id),
             model_path, content_path, path_hash.get_db_prep_save(
                 ReferenceIndex._get_content_path_hash(content_path), connection))
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(obj)
            )
        ]  # fmt: skip
    # The first row of each key of the table's unique constraint, as ``ignore_conflicts``
    # kept it (a COPY has no ON CONFLICT).
    unique = {}
    for row in rows:
        unique.setdefault((row[1], row[2], row[3], row[4], row[7]), row)
    columns = [
        ReferenceIndex._meta.get_field(name).column
        for name in (
            "content_type", "base_content_type", "object_id", "to_content_type", "to_object_id",
            "model_path", "content_path", "content_path_hash",
        )
    ]  # fmt: skip
    copy_rows(ReferenceIndex._meta.db_table, columns, list(unique.values()))


class HeldStreamValue(StreamValue):
    """A stream as ``StreamBlock.to_python`` makes it from raw data (each block
    converted when it is first read, the others saved as they were given), whose
    blocks are converted by ``convert(block, raw)`` instead of ``bulk_to_python``.
    Wagtail's conversion reads the objects the blocks choose back from the database, a
    query per page (the people a story quotes) although the loader holds them."""

    def __init__(self, stream_block, raw, convert):
        super().__init__(stream_block, raw, is_lazy=True)
        self.convert = convert

    def _prefetch_blocks(self, type_name):
        block = self.stream_block.child_blocks[type_name]
        for i, item in enumerate(self._raw_data):
            if self._bound_blocks[i] is None and item["type"] == type_name:
                value = self.convert(block, item["value"])
                self._bound_blocks[i] = StreamValue.StreamChild(block, value, id=item.get("id"))


# --------------------------------------------------------------------------------------
# Records → objects
# --------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def counts(self):
        return Counter(
            created=len(self.created), updated=len(self.updated), unchanged=len(self.unchanged)
        )

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


# Objects created by a run from which the database's statistics are brought up to date,
# when the pages changed since they were last gathered are also at least this share of
# the pages they count (autovacuum's own rule, its default scale factor).
ANALYZE_AFTER = 500
ANALYZE_SHARE = 0.1


def statistics_outdated(created):
    """Whether the planner's statistics miss much of the page table once ``created``
    new pages are in: on PostgreSQL, when the pages changed since they were gathered
    (this run's and earlier ones') are ``ANALYZE_SHARE`` of the pages they count, as
    autovacuum decides, which would otherwise gather them only within a minute or so.
    A thousand pages into an archive of 50,000 leave them as they are: an ``ANALYZE``
    of the whole database then cost more than a second of PostgreSQL's CPU a run."""
    if created < ANALYZE_AFTER:
        return False
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(c.reltuples, 0), coalesce(s.n_mod_since_analyze, 0) "
            "FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.oid = %s::regclass",
            [Page._meta.db_table],
        )
        counted, changed = cursor.fetchone()
    return changed + created >= ANALYZE_SHARE * counted


class _DryRunRollback(Exception):
    pass


class Loader:
    """Write records to the database, all or nothing.

    ``files_root`` is the folder image ``file`` paths are relative to (the
    content folder). ``match`` may map a record to an existing object when its
    key is new (imported documents are matched by their natural identity).
    """

    def __init__(self, files_root=None, match=None, stdout=None, keys=None):
        self.files_root = Path(files_root) if files_root else None
        self.match = match
        self.keys = keys  # a KeyIndex the caller built already, or one built by the run
        self.stdout = stdout
        self.result = LoadResult()
        self.changed = []  # what the batch saved, to index
        self.created = []  # of those, the pages it created together
        self.new_pages = NewPages()

    def load(self, records: list[ContentRecord], dry_run=False) -> LoadResult:
        with self.run(dry_run):
            self.load_batch(records)
        return self.result

    @contextmanager
    def run(self, dry_run=False):
        """One run, all or nothing, in which :meth:`load_batch` may be called many
        times (an archive read a few thousand documents at a time): one transaction,
        rolled back on error or for a dry run; the cached pages forgotten once."""
        try:
            with (
                translation.override(settings.LANGUAGE_CODE),
                transaction.atomic(),
                changes_gathered(),
                indexing_deferred(),
                collections_spaced(),
            ):
                yield self
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            return
        if statistics_outdated(len(self.result.created)):
            # The planner's statistics describe the database before the import until
            # autovacuum catches up: a listing of 1,000 new stories planned as if the
            # section were empty took 360 ms instead of 50.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def load_batch(self, records: list[ContentRecord]):
        """Write ``records`` (within :meth:`run`) and index what changed; then let go of
        the objects, so that memory does not grow with the number of batches (the key
        index keeps each object's model and id)."""
        self._load(records)
        update_indexes(self.changed, new=self.created)
        self.changed, self.created = [], []
        self.keys.let_go()
        # A batch's pages, revisions and stream values hold one another in cycles, which
        # only the collector's oldest generation frees, seldom in a run (collections are
        # spaced, above): without this, loading 10,000 records grew from 190 to 330 MB
        # and with it to 240 MB, for 30 to 80 ms a batch.
        gc.collect()

    # The run itself -------------------------------------------------------------------

    def _load(self, records):
        self.keys = self.keys or KeyIndex()
        self.keys.load([key for r in records for key in (r.key, r.parent) if key])
        ordered = self._ordered(records)
        objects, before = {}, {}
        # Pass 1: find or create every object with its own fields, so that pass 2
        # can resolve references to objects created in this same run.
        for record in ordered:
            obj = self.keys.get(record.key)
            if obj is None and self.match:
                obj = self.match(record)
                if obj is not None:
                    # Other records may refer to it by the key they were given.
                    self.keys.by_key[record.key] = obj
                    record.key = obj.content_key
            if obj is not None:
                if obj._meta.label != record.type:
                    raise ContentError(
                        record.origin,
                        f"key {record.key!r} belongs to a {obj._meta.label}, not a {record.type}",
                    )
                before[record.key] = stored_state(obj, record.fields, record)
            else:
                obj = self._create(record)
            objects[record.key] = obj
            self.keys.add(obj)
        # Pass 2: every field, references included. New pages are written together
        # (apps.importer.bulk); then what existed is compared and saved if it changed,
        # once every object it may refer to is stored.
        stored = []
        for record in ordered:
            obj = objects[record.key]
            self._apply(obj, record, references=True)
            if record.key in before:
                stored.append(record)
                continue
            if self.new_pages.placed(obj):
                self._stamp(obj, record)
                self.new_pages.add(obj, record)
            else:
                self._save(obj, record)
            self.result.created.append(record.key)
            self._say("created", record)
        self.created = self.new_pages.write()
        self.changed += self.created
        for record in stored:
            obj = objects[record.key]
            if stored_state(obj, record.fields, record) != before[record.key]:
                self._save(obj, record)
                self.result.updated.append(record.key)
                self._say("updated", record)
            else:
                self.result.unchanged.append(record.key)
        # The default site keeps the address of SITE_URL, whatever created it.
        apply_site_url()

    def _say(self, what, record):
        if self.stdout is not None:
            self.stdout.write(f"  {what:9} {record.type:28} {record.key}")

    def _ordered(self, records):
        """Images and people first, then pages parents-first; unknown parents are errors."""
        return placing_order(records, stored=lambda key: key in self.keys)

    def _create(self, record):
        model = record.model
        obj = model()
        obj.content_key = record.key
        for name, value in record.initial.items():
            self._set(obj, model, name, value, record, references=False)
        self._apply(obj, record, references=False)
        self._borrow_required_fields(obj)
        if not isinstance(obj, Page):
            self._full_clean(obj, record, exclude=self._reference_fields(model))
            obj.save()
            return obj
        if record.is_root:
            # Created as a draft, which Wagtail validates only for its title and slug: the
            # publication of its first revision, once references are set, validates it all.
            obj.live = False
            return self._create_home(obj, record)
        # Given its id and place now, written with the run's other new pages.
        self.new_pages.place(obj, self.keys.get(record.parent))
        return obj

    @staticmethod
    def _borrow_required_fields(obj):
        """Some fields are required in the default language (a page's title and slug, a
        person's name). Content that exists only in its source language (an imported
        Arabic document) borrows those from that language until a translator writes
        them; translation status counts a borrowed value as missing."""
        default = settings.LANGUAGE_CODE
        for name in translatable_fields(type(obj)):
            if type(obj)._meta.get_field(f"{name}_{default}").blank:
                continue
            if getattr(obj, f"{name}_{default}", None):
                continue
            for lang in LANGUAGES:
                if getattr(obj, f"{name}_{lang}", None):
                    setattr(obj, f"{name}_{default}", getattr(obj, f"{name}_{lang}"))
                    break

    def _create_home(self, home, record):
        root = Page.get_first_root_node()
        # Wagtail's "Welcome" placeholder is replaced; the default site then points home.
        for placeholder in root.get_children().filter(content_type__model="page", numchild=0):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        self._add_child(root, home, record)
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        configure_site(site)  # the address of SITE_URL
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        return home

    def _add_child(self, parent, page, record):
        try:
            parent.add_child(instance=page)
        except ValidationError as exc:
            raise ContentError.invalid(record.origin, exc) from exc

    def _reference_fields(self, model):
        names = [
            f.name
            for f in model._meta.get_fields()
            if refers_to_others(f) or isinstance(f, ParentalManyToManyField)
        ]
        return names + [f"{n}_{lang}" for n in names for lang in LANGUAGES]

    def _full_clean(self, obj, record, exclude=()):
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as exc:
            raise ContentError.invalid(record.origin, exc) from exc

    @staticmethod
    def _stamp(obj, record):
        if record.imported and hasattr(obj, "imported_at"):
            obj.imported_at = timezone.now()

    def _save(self, obj, record):
        self._stamp(obj, record)
        try:
            if isinstance(obj, Page):
                # No save of its own: publishing the revision saves the page, and that
                # save validates it (a new page was created in pass 1).
                self._publish(obj, obj.save_revision(clean=False))
            else:
                self._full_clean(obj, record)
                obj.save()
        except ValidationError as exc:
            raise ContentError.invalid(record.origin, exc) from exc
        self.changed.append(obj)

    @staticmethod
    def _publish(page, revision):
        """Wagtail's publication of ``revision``, which was saved from ``page`` a moment
        ago. Wagtail rebuilds the page it publishes from the revision's JSON, reading
        back every person, topic and provision the page chooses to check that each
        still exists (a quarter of an imported page's queries); the page in hand is
        that page already, so it is the one published."""
        revision.as_object = lambda: page
        PublishPageRevisionAction(revision).execute()

    # Fields ----------------------------------------------------------------------------

    def _apply(self, obj, record, references):
        model = type(obj)
        if record.source_language and hasattr(obj, "source_language"):
            obj.source_language = record.source_language
        if record.source_document is not None and hasattr(obj, "source_document"):
            obj.source_document = record.source_document
        for name, value in record.fields.items():
            self._set(obj, model, name, value, record, references)

    def _set(self, obj, model, name, value, record, references):
        field = _field(model, name, record)
        where = f"field {name!r}"
        if field.one_to_many and hasattr(field, "related_model"):
            if references:
                # A page placed in this run has an id, and no stored rows to read.
                stored = obj.pk is not None and not self.new_pages.placed(obj)
                existing = list(getattr(obj, name).all()) if stored else []
                children = [
                    self._child(field.related_model, item, record, existing) for item in value or []
                ]
                setattr(obj, name, children)
            return
        if isinstance(field, ParentalManyToManyField):
            if references:
                setattr(obj, name, [self._resolve(k, record, where) for k in value or []])
            return
        if name in translatable_fields(model):
            if not isinstance(value, dict) or not set(value) <= set(LANGUAGES):
                raise ContentError(
                    record.origin, f"{where} is translated: give it as {{en: …, ar: …}}"
                )
            for lang, lang_value in value.items():
                if refers_to_others(field) and not references:
                    continue
                converted = self._convert(field, lang_value, record, f"{where} ({lang})")
                setattr(obj, f"{name}_{lang}", converted)
            if refers_to_others(field) and not references:
                return
            default = value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), None)
            if default is not None and not refers_to_others(field):
                # Keep the untranslated column (what modeltranslation falls back on) in step.
                obj.__dict__[field.attname] = self._convert(field, default, record, where)
            return
        if refers_to_others(field) and not references:
            return
        if isinstance(field, models.FileField):
            if not references:
                self._set_file(obj, value, record)
            return
        setattr(obj, field.attname if field.is_relation else name,
                self._convert(field, value, record, where))  # fmt: skip

    def _child(self, model, data, record, existing=()):
        if not isinstance(data, dict):
            raise ContentError(record.origin, f"each {model._meta.verbose_name} is a mapping")
        child = model()
        for name, value in data.items():
            self._set(child, model, name, value, record, references=True)
        self._keep_other_languages(child, data, existing)
        # Its parent is set when it is saved; other foreign keys were found by their
        # content key (and may be written later in the run).
        keys = [f.name for f in model._meta.fields if isinstance(f, models.ForeignKey)]
        self._full_clean(child, record, exclude=keys)
        return child

    @staticmethod
    def _keep_other_languages(child, data, existing):
        """A child given in one language (an imported News Tracker entry) keeps the
        other language from the stored child it matches, instead of losing it."""
        translated = translatable_fields(type(child))
        partial = {
            name: value
            for name, value in data.items()
            if name in translated and isinstance(value, dict) and set(value) < set(LANGUAGES)
        }
        if not partial:
            return
        for old in existing:
            if all(
                getattr(old, f"{name}_{lang}") == getattr(child, f"{name}_{lang}")
                for name, value in partial.items()
                for lang in value
            ):
                for name, value in partial.items():
                    for lang in set(LANGUAGES) - set(value):
                        setattr(child, f"{name}_{lang}", getattr(old, f"{name}_{lang}"))
                return

    def _convert(self, field, value, record, where):
        if value is None:
            return None
        if isinstance(field, StreamField):
            return self._stream(field.stream_block, value, record, where)
        if isinstance(field, RichTextField):
            return self._rich_text(value, record, where)
        if isinstance(field, models.ForeignKey):
            return self._resolve_id(value, record, where)
        if isinstance(field, models.DateField):
            try:
                return datetime.date.fromisoformat(str(value))
            except ValueError:
                raise ContentError(record.origin, f"{where}: {value!r} is not a date") from None
        if isinstance(field, models.CharField | models.TextField):
            text = str(value)
            targets = [t for t in links_in(text) if t]
            if targets:
                raise ContentError(
                    record.origin,
                    f"{where} is plain text: a link to {targets[0]!r} cannot go there",
                )
            text = strip_links(text)
            if isinstance(field, models.CharField):
                # One-line texts (titles, slugs, names, credits) never keep bidi
                # embedding/override controls; text areas and rich text are left as written.
                text = strip_bidi_controls(text)
            return text
        return value

    def _rich_text(self, markup, record, where):
        def page_id(key):
            return self._resolve_id(key, record, where)

        try:
            return markup_to_html(str(markup), page_id)
        except ValueError as exc:
            raise ContentError(record.origin, f"{where}: {exc}") from None

    def _stream(self, stream_block, blocks, record, where):
        if not isinstance(blocks, list):
            raise ContentError(record.origin, f"{where} must be a list of blocks")
        raw = []
        for position, item in enumerate(blocks, start=1):
            if not isinstance(item, dict) or len(item) != 1:
                raise ContentError(
                    record.origin, f"{where}, block {position}: write each block as {{type: value}}"
                )
            ((block_type, value),) = item.items()
            block = stream_block.child_blocks.get(block_type)
            if block is None:
                known = ", ".join(stream_block.child_blocks)
                raise ContentError(
                    record.origin,
                    f"{where}, block {position}: unknown block {block_type!r} (known: {known})",
                )
            block_where = f"{where}, block {position} ({block_type})"
            raw.append(
                {"type": block_type, "value": self._block_raw(block, value, record, block_where)}
            )
        return HeldStreamValue(stream_block, raw, self._block_value)

    def _block_value(self, block, raw):
        """``block.to_python(raw)``, with the objects its choosers name taken from those
        the run holds (:class:`HeldStreamValue`)."""
        if isinstance(block, StructBlock):
            return block._to_struct_value(
                [
                    (name, self._block_value(child, raw[name]) if name in raw
                     else child.get_default())
                    for name, child in block.child_blocks.items()
                ]
            )  # fmt: skip
        if isinstance(block, CHOOSER_BLOCKS) and raw is not None:
            held = self.keys.held(block.model_class, raw)
            if held is not None:
                return held
        return block.to_python(raw)

    def _block_raw(self, block, value, record, where):
        if isinstance(block, StructBlock):
            if not isinstance(value, dict):
                raise ContentError(record.origin, f"{where}: expected a mapping")
            unknown = set(value) - set(block.child_blocks)
            if unknown:
                raise ContentError(record.origin, f"{where}: unknown part {sorted(unknown)[0]!r}")
            return {
                name: self._block_raw(child, value.get(name), record, f"{where}.{name}")
                for name, child in block.child_blocks.items()
                if name in value
            }
        if isinstance(block, RichTextBlock):
            return self._rich_text(value or "", record, where)
        if isinstance(block, CHOOSER_BLOCKS):
            return self._resolve_id(value, record, where) if value else None
        return value

    def _resolve_id(self, key, record, where):
        """The id of the object with the content key ``key``, without reading it (a
        story's News Tracker names stories imported long before)."""
        pk = self.keys.id_of(key)
        if pk is None:
            raise ContentError(record.origin, f"{where}: nothing has the key {key!r}")
        return pk

    def _resolve(self, key, record, where):
        obj = self.keys.get(key)
        if obj is None:
            raise ContentError(record.origin, f"{where}: nothing has the key {key!r}")
        return obj

    def _set_file(self, obj, path, record):
        if self.files_root is None:
            raise ContentError(record.origin, "image files can only be loaded from a folder")
        source = (self.files_root / path).resolve()
        if not source.is_relative_to(self.files_root.resolve()) or not source.is_file():
            raise ContentError(record.origin, f"image file {path!r} not found")
        data = source.read_bytes()
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash
        if obj.pk and obj.file_hash == digest:
            return
        obj.file = ImageFile(io.BytesIO(data), name=source.name)
        obj._set_image_file_metadata()
        obj.file_hash = digest
