"""A run's new pages, written together.

Wagtail creates a page in three saves: ``add_child`` (the tree path, and a save that
checks the slug against the siblings), ``save_revision`` (a revision, a second save)
and the publication (a third save, a log entry, the ``page_published`` signal). At
about 65 queries a page, an archive of 50,000 stories would take hours. The loader
instead gives each new page its id and tree path when it meets it
(:meth:`NewPages.place`) and, once every field of the run is set, writes the new pages
together (:meth:`NewPages.write`): a few statements per table for the whole batch, and
the same rows Wagtail would have written:

- the page's rows (``wagtailcore_page`` and its type's table), live, with the path,
  depth and URL paths of each language that ``add_child`` gives, and the parents'
  ``numchild`` counted up;
- its inline rows (News Tracker items, mandates…) and many-to-many rows;
- one revision, its ``latest_revision`` and ``live_revision``;
- the "created" and "published" log entries;
- the ``pages_created`` signal for the batch (:mod:`apps.core.events`: translation
  records, instead of the ``post_save`` of each revision) and the ``page_published``
  signal of each page (cache purges, which the loader gathers into one).

Validation is Wagtail's and the models' own (``clean_fields`` and ``clean``), with one
difference: the slug (and any other unique field) is checked for the whole batch in a
query per parent, not in two queries per page. Fields are validated before the rows
are written, so a bad value is reported with its file, not as a database error; the
StreamFields are validated once the rows are in, because their blocks may choose a page
of the same batch. Indexing follows at the end of the run, as for every other save
(:func:`apps.importer.loader.update_indexes`).
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.text import slugify

from modeltranslation.utils import build_localized_fieldname
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageLogEntry, Revision
from wagtail.signals import page_published

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations

from apps.core.events import pages_created
from apps.core.pages import shown_slugs
from apps.core.translation_fields import LANGUAGES

from .content import ContentError

# Unique columns that need no check: the id and path are given here, the translation
# key is a new UUID.
GIVEN_UNIQUE = {"id", "path", "translation_key"}


class Ids:
    """Primary keys handed out before the rows are written, so that the rest of the run
    can refer to a new page by its id: drawn from the table's sequence on PostgreSQL (a
    hundred at a time), counted on from the highest stored id elsewhere (SQLite, whose
    writers take turns)."""

    BLOCK = 100

    def __init__(self, model):
        self.model = model
        self.free = []

    def take(self):
        if not self.free:
            self.free = self._reserve()
        return self.free.pop(0)

    def _reserve(self):
        table = self.model._meta.db_table
        column = self.model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(table), column, self.BLOCK],
                )
                return [row[0] for row in cursor.fetchall()]
            if not hasattr(self, "last"):
                quoted = connection.ops.quote_name
                cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
                self.last = cursor.fetchone()[0] or 0
        first, self.last = self.last + 1, self.last + self.BLOCK
        return list(range(first, self.last + 1))


# The values a field's own preparation would give back unchanged, by the class whose
# methods prepare it: a text for a text column, True or False, None for any (preparing
# each value through the compiler was a tenth of writing a batch). Not numbers: on
# PostgreSQL Django gives an integer its column's type (``Int4``).
PASSED_AS_IS = {
    models.CharField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
}


def _prepared_as(field_class):
    """The class among ``PASSED_AS_IS`` whose preparation ``field_class`` keeps as it is
    (the same ``pre_save`` and ``get_*prep*`` methods), else None. Subclasses such as
    the translation fields, slugs or auto fields qualify; a date or a JSON field not."""
    for base in PASSED_AS_IS:
        if issubclass(field_class, base) and all(
            getattr(field_class, name) is getattr(base, name)
            for name in ("pre_save", "get_db_prep_save", "get_db_prep_value", "get_prep_value")
        ):
            return base
    return None


def insert(model, objects):
    """Insert ``objects`` as rows of ``model``'s own table (its local columns; the id too
    when given), with :func:`copy_rows`. (Django's ``bulk_create`` sends PostgreSQL one
    array per column instead, whose text psycopg escapes in Python: five times slower
    for the JSON of revisions and StreamFields.)"""
    if not objects:
        return
    columns, rows = prepared_rows(model, objects)
    copy_rows(model._meta.db_table, columns, rows)
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias


def prepared_rows(model, objects):
    """The columns of ``model``'s own table and each object's values for them, as
    Django's insert would send them."""
    fields = [
        f
        for f in model._meta.local_concrete_fields
        if not (f.primary_key and getattr(objects[0], f.attname) is None)
    ]
    query = InsertQuery(model)
    query.insert_values(fields, objects)
    compiler = query.get_compiler(connection=connection)
    plain = [(f, f.attname, PASSED_AS_IS.get(_prepared_as(type(f)))) for f in fields]
    rows = [
        [
            value
            if kinds and type(value := getattr(obj, attname)) in kinds
            else compiler.prepare_value(f, compiler.pre_save_val(f, obj))
            for f, attname, kinds in plain
        ]
        for obj in objects
    ]
    return [f.column for f in fields], rows


def copy_rows(table, columns, rows):
    """Write ``rows`` (values in the order of ``columns``) into ``table``: on PostgreSQL
    with ``COPY … FROM STDIN``, which has no statement to parse and plan for each row
    (an imported page has about 25 rows in ten tables: each its own ``INSERT`` cost
    PostgreSQL more CPU than storing it); elsewhere one ``INSERT … VALUES`` executed for
    every row. Either way one statement, as the connection's execute wrappers and its
    query log count it."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({values})", rows)  # noqa: S608
            return
        sql = f"COPY {quote(table)} ({names}) FROM STDIN"

        def copy(sql, rows, _many, _context):
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copying:
                for row in rows:
                    copying.write_row(row)

        logged = getattr(cursor, "debug_sql", None)  # the query log, when it is kept
        with logged(sql, rows, many=True) if logged else nullcontext():
            cursor._execute_with_wrappers(sql, rows, many=True, executor=copy)


class NewPages:
    """The pages a run creates, from their placing in the tree to their rows."""

    def __init__(self):
        self.entries = []  # (page, record, parent), parents before their children
        self.ids = Ids(Page)
        self.revision_ids = Ids(Revision)
        self.last_step = {}  # parent id → the position of its last child
        self.new_ids = set()  # placed in this run
        self.written = set()  # of those, written

    def __bool__(self):
        return bool(self.entries)

    def place(self, page, parent):
        """Give ``page`` its id and its place under ``parent`` (stored, or placed earlier
        in the run), as ``parent.add_child`` would, without writing anything."""
        if parent.pk not in self.last_step:
            new = parent.pk in self.new_ids
            self.last_step[parent.pk] = 0 if new else self._last_step(parent)
        self.last_step[parent.pk] += 1
        page.id = self.ids.take()
        for link in page._meta.parents.values():  # page_ptr_id, the page type's key
            setattr(page, link.attname, page.id)
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, self.last_step[parent.pk])
        page.numchild = 0
        page._cached_parent_obj = parent  # get_parent() without a query
        self.new_ids.add(page.id)

    @staticmethod
    def _last_step(parent):
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return Page._str2int(last[-Page.steplen :]) if last else 0

    def placed(self, obj):
        """Whether ``obj`` is a page placed by :meth:`place` and not yet written."""
        return isinstance(obj, Page) and obj.pk in self.new_ids and obj.pk not in self.written

    def add(self, page, record):
        """``page``, placed earlier and now with all its fields, is to be written."""
        self.entries.append((page, record, page._cached_parent_obj))

    # Writing -------------------------------------------------------------------------

    def write(self):
        """Validate and write every page added, then tell the rest of the site."""
        if not self.entries:
            return []
        now = timezone.now()
        locale = Locale.get_default()
        for page, _record, parent in self.entries:
            self._prepare(page, parent, locale, now)
        self._check_slugs()
        self._check_unique()
        for page, record, _parent in self.entries:
            self._validate(page, record, exclude_streams=True)
        self._count_children()
        self._insert_rows()
        for page, record, _parent in self.entries:
            self._validate(page, record, exclude_streams=False)
        self._insert_relations()
        revisions = self._insert_revisions(now)
        self._insert_log_entries(revisions, now)
        self._send_signals(revisions)
        pages = [page for page, _record, _parent in self.entries]
        self.written.update(page.pk for page in pages)
        self.entries = []
        return pages

    @staticmethod
    def _prepare(page, parent, locale, now):
        if not page.slug:  # as Wagtail makes one from the title, numbered if taken
            allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
            base = slugify(page.title, allow_unicode=allow_unicode) or "page"
            page.slug = page._get_autogenerated_slug(base)
        page.set_url_path(parent)
        page.locale = locale
        page.draft_title = page.title
        page.live, page.has_unpublished_changes, page.expired = True, False, False
        page.first_published_at = page.last_published_at = now
        page.latest_revision_created_at = now
        page.latest_revision_id = page.live_revision_id = None
        # Child relations and many-to-many relations the record left alone are empty:
        # said here, so that nothing (the revision's content first) asks the database.
        held = page.__dict__.setdefault("_cluster_related_objects", {})
        for relation in [*get_all_child_relations(page), *get_all_child_m2m_relations(page)]:
            name = (
                relation.get_accessor_name()
                if hasattr(relation, "get_accessor_name")
                else relation.name
            )
            if name not in held:
                setattr(page, name, [])

    def _fail(self, record, errors):
        raise ContentError.invalid(record.origin, ValidationError(errors))

    def _check_slugs(self):
        """No two children of a parent show the same slug in a language: neither a new
        page and a stored one (one query per parent) nor two new pages."""
        by_parent = defaultdict(list)
        for page, record, parent in self.entries:
            by_parent[parent.pk].append((page, record, parent))
        for entries in by_parent.values():
            parent = entries[0][2]
            shown = {
                id(page): shown_slugs(lambda column, page=page: getattr(page, column))
                for page, _record, _parent in entries
            }
            taken = {language: set() for language in LANGUAGES}
            if parent.pk not in self.new_ids or parent.pk in self.written:
                candidates = {s for slugs in shown.values() for s in slugs.values() if s}
                columns = [build_localized_fieldname("slug", language) for language in LANGUAGES]
                condition = models.Q()
                for column in columns:
                    condition |= models.Q(**{f"{column}__in": candidates})
                # The batch's own pages are not written yet; those of earlier batches of
                # the run are, and are siblings like any other.
                siblings = Page.objects.filter(
                    condition, path__startswith=parent.path, depth=parent.depth + 1
                )
                for row in siblings.values(*columns):
                    for language, slug in shown_slugs(row.get).items():
                        taken[language].add(slug)
            for page, record, _parent in entries:
                errors = {}
                for language, slug in shown[id(page)].items():
                    if slug and slug in taken[language]:
                        errors[build_localized_fieldname("slug", language)] = [
                            f"the slug {slug!r} is already in use under {parent.url_path!r}"
                        ]
                    taken[language].add(slug)
                if errors:
                    self._fail(record, errors)

    def _check_unique(self):
        """Other unique columns (a report's symbol, a Charter article's number, the
        content key): one query per column for the batch, and no repeat within it."""
        by_model = defaultdict(list)
        for page, record, _parent in self.entries:
            by_model[type(page)].append((page, record))
        for model, entries in by_model.items():
            for field in model._meta.concrete_fields:
                if not field.unique or field.name in GIVEN_UNIQUE or field.primary_key:
                    continue
                values = {}
                for page, record in entries:
                    value = getattr(page, field.attname)
                    if value in (None, ""):
                        continue
                    if value in values:
                        self._fail(record, {field.name: [f"{value!r} is also another page's"]})
                    values[value] = record
                stored = model._default_manager.filter(**{f"{field.attname}__in": list(values)})
                for value in stored.values_list(field.attname, flat=True)[:1]:
                    self._fail(values[value], {field.name: [f"{value!r} is already in use"]})

    def _validate(self, page, record, exclude_streams):
        """The fields and the model's ``clean`` (before the rows are written), or the
        StreamFields (after). Foreign keys are not looked up: the loader found each by its
        content key. The slug was checked with the batch."""
        fields = page._meta.concrete_fields
        streams = [f.name for f in fields if isinstance(f, StreamField)]
        keys = [f.name for f in fields if isinstance(f, models.ForeignKey)]
        try:
            if exclude_streams:
                page.clean_fields(exclude=[*streams, *keys])
                page.slug_checked_in_batch = True
                try:
                    page.clean()
                finally:
                    del page.slug_checked_in_batch
            else:
                page.clean_fields(exclude=[f.name for f in fields if f.name not in streams])
        except ValidationError as exc:
            raise ContentError.invalid(record.origin, exc) from exc

    def _insert_rows(self):
        """Each concrete model's own columns, parents' tables first (Page, then the
        page type's), in one batched INSERT per table."""
        pages = [page for page, _record, _parent in self.entries]
        by_model = defaultdict(list)
        for page in pages:
            page.latest_revision_id = page.live_revision_id = self.revision_ids.take()
            by_model[type(page)].append(page)
        tables = defaultdict(list)
        for model, group in by_model.items():
            for concrete in [*reversed(model._meta.get_parent_list()), model]:
                tables[concrete] += group
        for concrete in sorted(tables, key=lambda m: len(m._meta.get_parent_list())):
            insert(concrete, tables[concrete])

    def _insert_relations(self):
        """Inline rows (in their order) and many-to-many rows, a batch per table."""
        rows = defaultdict(list)
        for page, record, _parent in self.entries:
            model = type(page)
            for name in record.fields:
                field = model._meta.get_field(name)
                if field.one_to_many and hasattr(field, "related_model"):
                    key = next(
                        f for f in field.related_model._meta.fields if isinstance(f, ParentalKey)
                    )
                    for position, child in enumerate(getattr(page, name).all()):
                        setattr(child, key.attname, page.pk)
                        if hasattr(child, "sort_order"):
                            child.sort_order = position
                        rows[field.related_model].append(child)
                elif isinstance(field, ParentalManyToManyField):
                    through = field.remote_field.through
                    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
                    rows[through] += [
                        through(**{f"{own}_id": page.pk, f"{other}_id": chosen.pk})
                        for chosen in getattr(page, name).all()
                    ]
        for model, objects in rows.items():
            insert(model, objects)

    def _insert_revisions(self, now):
        page_type = ContentType.objects.get_for_model(Page)
        revisions = []
        for page, _record, _parent in self.entries:
            revision = Revision(
                id=page.latest_revision_id,
                content_type=ContentType.objects.get_for_model(page),
                base_content_type=page_type,
                object_id=str(page.pk),
                content=page.serializable_data(),
                object_str=str(page),
                created_at=now,
            )
            revision.content_object = page  # the revision's content is this page
            revisions.append(revision)
        insert(Revision, revisions)
        return revisions

    def _insert_log_entries(self, revisions, now):
        entries = []
        for (page, _record, _parent), revision in zip(self.entries, revisions, strict=True):
            common = {
                "page_id": page.pk,
                "content_type": revision.content_type,
                "label": page.get_admin_display_title(),
                "timestamp": now,
                "content_changed": True,
                "data": {},
            }
            entries.append(PageLogEntry(action="wagtail.create", **common))
            entries.append(PageLogEntry(action="wagtail.publish", revision=revision, **common))
        insert(PageLogEntry, entries)

    def _count_children(self):
        """The parents' ``numchild``: on the objects the run holds (a parent written in
        this batch is written with it) and, for stored parents, in the database."""
        added = defaultdict(int)
        parents = {}
        for _page, _record, parent in self.entries:
            added[parent.pk] += 1
            parents[parent.pk] = parent
        for pk, count in added.items():
            parents[pk].numchild += count
            if pk not in self.new_ids or pk in self.written:
                Page.objects.filter(pk=pk).update(numchild=models.F("numchild") + count)

    def _send_signals(self, revisions):
        pages_created.send(sender=NewPages, revisions=revisions)
        for (page, _record, _parent), revision in zip(self.entries, revisions, strict=True):
            page_published.send(sender=type(page), instance=page, revision=revision)
