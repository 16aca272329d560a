"""A run's new pages are written together (apps.importer.bulk) and come out as Wagtail
would have made them one by one: a sound tree, a published revision, log entries,
search documents, references and purges; bad pages are named and nothing is written."""

import datetime
import uuid
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

import pytest

from apps.core import signals
from apps.importer import search_index
from apps.importer.bulk import copy_rows
from apps.importer.content import ContentError, ContentRecord
from apps.importer.loader import Loader
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage
from apps.search.models import SearchDocument
from tests.importer.test_generate_archive import generate


def story(key, title, slug=None, **fields):
    return ContentRecord(
        key=key,
        type="news.NewsStoryPage",
        parent="news",
        fields={"title": {"en": title}, "date": "2020-01-02", **fields},
        initial={"slug": {"en": slug or key.split("/")[-1]}},
        source_language="en",
        origin=f"{key}.txt",
    )


@pytest.fixture
def imported(site, tmp_path):
    generate(tmp_path, "--stories", 12, "--reports", 4)
    news = NewsIndexPage.objects.get()
    before = set(news.get_children().values_list("pk", flat=True))
    call_command("import_documents", str(tmp_path), stdout=StringIO())
    stories = NewsStoryPage.objects.exclude(pk__in=before).filter(
        source_document__startswith="generated-"
    )
    assert stories.count() == 12
    return stories


def test_new_pages_make_a_sound_tree_and_more_can_be_added_after_them(imported):
    assert Page.find_problems() == ([], [], [], [], [])
    news = NewsIndexPage.objects.get()
    assert news.numchild == news.get_children().count()
    for page in imported:
        parent = page.get_parent()
        assert page.depth == parent.depth + 1 and page.path.startswith(parent.path)
        for language in ("en", "ar"):
            slug = getattr(page, f"slug_{language}") or page.slug_en
            assert getattr(page, f"url_path_{language}") == (
                getattr(parent, f"url_path_{language}") + slug + "/"
            )
    # Wagtail's own add_child finds the next free place after them.
    by_hand = NewsStoryPage(title="By hand", slug="by-hand", date=datetime.date(2020, 1, 1))
    added = news.add_child(instance=by_hand)
    assert added.path > max(imported.values_list("path", flat=True))
    assert Page.find_problems() == ([], [], [], [], [])


def test_each_new_page_is_published_from_one_revision_and_logged(imported):
    for page in imported:
        assert page.live and not page.has_unpublished_changes and page.first_published_at
        revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page")
        assert list(revisions) == [page.latest_revision] == [page.live_revision]
        restored = page.live_revision.as_object()
        assert (restored.title, restored.lead_en, list(restored.body_en.raw_data)) == (
            page.title, page.lead_en, list(page.body_en.raw_data),
        )  # fmt: skip
        actions = PageLogEntry.objects.filter(page=page).order_by("pk")
        assert [e.action for e in actions] == ["wagtail.create", "wagtail.publish"]
        assert actions[1].revision == page.live_revision


def test_new_pages_are_served_searchable_and_indexed(imported, client):
    page = imported.filter(source_language="en", people__isnull=False).first()
    assert client.get(page.url).status_code == 200
    assert page.title in client.get("/en/search/", {"q": page.title}).content.decode()
    assert SearchDocument.objects.filter(page=page, language="en").exists()
    references = ReferenceIndex.get_references_for_object(page)
    assert {r.to_object_id for r in references} >= {str(p.pk) for p in page.people.all()}
    # Their inline rows and chosen people were written, in order.
    assert page.related_stories.exists() or page.people.exists()
    with translation.override("en"):
        stored = NewsStoryPage.objects.get(pk=page.pk)
    assert [r.sort_order for r in stored.related_stories.all()] == list(
        range(stored.related_stories.count())
    )


def test_new_pages_references_are_those_wagtail_writes(imported):
    """The references written for a batch in one statement are the rows Wagtail's own
    ``create_or_update_for_object`` writes for each page. (Those of inline rows are left
    out: the run finds them before the rows have ids, so their content path names no
    row, where Wagtail, reading the page back, names each row's id.)"""
    columns = ("content_type", "base_content_type", "object_id", "to_content_type",
               "to_object_id", "model_path", "content_path", "content_path_hash")  # fmt: skip
    pages = list(imported.filter(people__isnull=False).distinct()[:4])
    assert pages
    for page in pages:
        written = ReferenceIndex.get_references_for_object(page)
        ours = sorted(
            written.exclude(model_path__startswith="related_stories.").values_list(*columns)
        )
        assert any(row[5].startswith("body") for row in ours)  # a quotation's speaker
        written.delete()
        ReferenceIndex.create_or_update_for_object(page)
        wagtails = ReferenceIndex.get_references_for_object(page).exclude(
            model_path__startswith="related_stories."
        )
        assert sorted(wagtails.values_list(*columns)) == ours


def test_new_pages_search_index_entries_are_those_the_backend_writes(imported, monkeypatch):
    """Wagtail's index entries of a batch, written with SQL compiled once per shape
    (``apps.importer.search_index``), are the rows the backend's own ``add_bulk``
    writes; elsewhere than PostgreSQL's database backend, the backend writes them."""
    backend = get_search_backend()
    pages = list(imported) + list(Person.objects.all())
    by_model = {}
    for obj in pages:
        by_model.setdefault(type(obj), []).append(obj)
    if connection.vendor != "postgresql":
        calls = []
        monkeypatch.setattr(type(backend), "add_bulk", lambda self, m, o: calls.append(m))
        for model, objects in by_model.items():
            search_index.add_bulk(backend, model, objects)
        assert calls == list(by_model)
        return
    columns = ("content_type", "object_id", "title", "autocomplete", "body", "title_text",
               "body_text")  # fmt: skip

    wanted = {(ContentType.objects.get_for_model(o).pk, str(o.pk)) for o in pages}

    def entries():
        return sorted(row for row in IndexEntry.objects.values_list(*columns) if row[:2] in wanted)

    ours = entries()
    assert len(ours) == len(pages) and any(row[4] for row in ours)  # people have a body
    IndexEntry.objects.all().delete()
    for model, objects in by_model.items():
        backend.add_bulk(model, objects)
    assert entries() == ours


def test_the_cache_is_purged_once_for_the_whole_run(site, tmp_path, monkeypatch):
    generate(tmp_path, "--stories", 6)
    calls = []
    monkeypatch.setattr(signals, "bump_generation", lambda: calls.append("bump"))
    call_command("import_documents", str(tmp_path), stdout=StringIO())
    # Once for the run (again when its transaction commits, which a test's does not).
    assert calls == ["bump"]


def test_two_new_pages_with_one_slug_are_named_and_nothing_is_written(site):
    before = Page.objects.count()
    records = [story("news/one", "One", slug="same"), story("news/two", "Two", slug="same")]
    with pytest.raises(ContentError) as error:
        Loader().load(records)
    assert error.value.origin == "news/two.txt"
    assert "slug_en" in error.value.message and "'same' is already in use" in error.value.message
    assert Page.objects.count() == before


def test_values_passed_as_they_are_are_those_the_fields_would_prepare(imported, monkeypatch):
    """Text, numbers and None skip their fields' preparation only where it would give
    them back unchanged: every column of imported pages and their revisions and log
    entries is what Django's own preparation makes of it."""
    from apps.importer import bulk

    stories = list(imported[:5])
    revisions = list(Revision.objects.filter(object_id__in=[str(s.pk) for s in stories]))
    entries = list(PageLogEntry.objects.filter(page__in=stories))
    samples = [(type(stories[0]), stories), (Page, stories), (Revision, revisions),
               (PageLogEntry, entries), (Person, list(Person.objects.all()[:5]))]  # fmt: skip
    passed = {bulk._prepared_as(type(f)) for model, _o in samples for f in model._meta.fields}
    assert {models.CharField, models.TextField, models.BooleanField} <= passed

    def rows():
        # PostgreSQL's JSON values come wrapped for psycopg (``Jsonb``), equal by their ``obj``.
        return [
            (columns, [[(type(v), getattr(v, "obj", v)) for v in row] for row in rows])
            for columns, rows in (bulk.prepared_rows(model, objects) for model, objects in samples)
        ]

    fast = rows()
    monkeypatch.setattr(bulk, "PASSED_AS_IS", {})
    assert fast == rows()


def test_a_run_collects_garbage_less_often_and_puts_the_collector_back(site):
    import gc

    from apps.importer.loader import RUN_GC_THRESHOLD

    before = gc.get_threshold()
    loader = Loader()
    with pytest.raises(ContentError), loader.run():
        assert gc.get_threshold() == (RUN_GC_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
        loader.load_batch([story("news/a", "A", slug="same"), story("news/b", "B", slug="same")])
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_page_taking_the_slug_of_one_an_earlier_batch_wrote_is_named(site):
    """Batches of one run: the second sees the pages the first wrote as siblings."""
    before = Page.objects.count()
    loader = Loader()
    with pytest.raises(ContentError) as error, loader.run():
        loader.load_batch([story("news/first", "First", slug="same")])
        loader.load_batch([story("news/second", "Second", slug="same")])
    assert error.value.origin == "news/second.txt"
    assert "slug_en" in error.value.message and "'same' is already in use" in error.value.message
    assert Page.objects.count() == before


def test_a_new_page_taking_a_stored_siblings_slug_is_named(site):
    stored = NewsStoryPage.objects.first()
    with pytest.raises(ContentError) as error:
        Loader().load([story("news/copy", "Copy", slug=stored.slug_en)])
    assert error.value.origin == "news/copy.txt" and "already in use" in error.value.message
    assert not NewsStoryPage.objects.filter(content_key="news/copy").exists()


def test_a_unique_field_repeated_by_new_pages_is_named(site):
    def report(key):
        return ContentRecord(
            key=key,
            type="reports.ReportPage",
            parent="reports",
            fields={"title": {"en": key}, "symbol": "A/99/999", "summary": {"en": "Text."}},
            initial={"slug": {"en": key.split("/")[-1]}},
            origin=f"{key}.yaml",
        )

    with pytest.raises(ContentError) as error:
        Loader().load([report("reports/first"), report("reports/second")])
    assert error.value.origin == "reports/second.yaml" and "A/99/999" in error.value.message
    assert not ReportPage.objects.filter(symbol="A/99/999").exists()


def test_a_bad_field_of_a_new_page_is_named_before_anything_is_written(site):
    before = Page.objects.count()
    with pytest.raises(ContentError) as error:
        Loader().load([story("news/long", "x" * 300)])
    assert error.value.origin == "news/long.txt" and "title" in error.value.message
    assert Page.objects.count() == before


def test_new_people_and_pages_do_not_mix_their_ids(site):
    """A new person and a new page may be given the same id: each stays what it is."""
    person = ContentRecord(
        key="people/new-speaker", type="people.Person", initial={"name": {"en": "New Speaker"}},
        origin="p.yaml",
    )  # fmt: skip
    Loader().load([person, story("news/quoted", "Quoted", people=["people/new-speaker"])])
    page = NewsStoryPage.objects.get(content_key="news/quoted")
    assert list(page.people.all()) == [Person.objects.get(content_key="people/new-speaker")]


def test_an_archive_read_in_batches_is_imported_all_or_nothing(site, tmp_path):
    generate(tmp_path, "--stories", 12)
    pages, people = Page.objects.count(), Person.objects.count()
    bad = tmp_path / "zz-bad.txt"
    bad.write_bytes(b"")  # read in the third batch, after two were written
    with pytest.raises(CommandError, match="zz-bad.txt"):
        call_command("import_documents", str(tmp_path), "--batch-size", "5", stdout=StringIO())
    assert (Page.objects.count(), Person.objects.count()) == (pages, people)
    bad.unlink()
    out = StringIO()
    call_command("import_documents", str(tmp_path), "--batch-size", "5", stdout=out)
    assert "from 12 document(s)" in out.getvalue()
    stories = NewsStoryPage.objects.filter(source_document__startswith="generated-")
    assert stories.count() == 12 and Page.objects.count() == pages + 12
    assert Page.find_problems() == ([], [], [], [], [])
    names = Person.objects.values_list("name_en", "name_ar")
    assert len(names) == len(set(names)) > people  # a person quoted in two batches is one
    again = StringIO()
    call_command("import_documents", str(tmp_path), stdout=again)
    assert again.getvalue().startswith("0 created, 0 updated, ")


@pytest.mark.parametrize("size", ["0", "-3", "ten"])
def test_a_batch_size_that_is_not_a_positive_number_is_refused(tmp_path, size):
    with pytest.raises(CommandError, match=rf"--batch-size: must be a whole number .*{size}"):
        call_command("import_documents", str(tmp_path), "--batch-size", size)


def test_a_large_import_brings_the_planners_statistics_up_to_date(site, monkeypatch):
    from apps.importer import loader

    monkeypatch.setattr(loader, "ANALYZE_AFTER", 2)
    records = [story(f"news/s{n}", f"Story {n}") for n in range(3)]
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        Loader().load(records)
    assert statements[-1] == "ANALYZE"
    statements.clear()
    with connection.execute_wrapper(record):
        Loader().load(records)  # nothing created: no ANALYZE
    assert "ANALYZE" not in statements


def test_statistics_are_left_to_autovacuum_when_a_run_adds_little_to_many_pages(site, monkeypatch):
    """A run that adds a few pages to a large site leaves the statistics as they are,
    as autovacuum would (an ANALYZE of the whole database costs more than the run's
    pages); one that adds a tenth or more of the pages they count gathers them."""
    from apps.importer import loader

    monkeypatch.setattr(loader, "ANALYZE_AFTER", 2)
    assert loader.statistics_outdated(1) is False  # too few, whatever the site
    if connection.vendor != "postgresql":
        assert loader.statistics_outdated(3) is True
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Page._meta.db_table}")
    assert loader.statistics_outdated(3) is True  # 3 new pages to the fixtures' 16
    # As if the statistics counted many more pages than 3 new ones could matter to.
    monkeypatch.setattr(loader, "ANALYZE_SHARE", 1000)
    assert loader.statistics_outdated(3) is False
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        Loader().load([story(f"news/s{n}", f"Story {n}") for n in range(3)])
    assert NewsStoryPage.objects.filter(content_key__startswith="news/s").count() == 3
    assert "ANALYZE" not in statements


def test_a_new_page_without_a_slug_is_given_one_from_its_title(site):
    record = story("news/no-slug", "Talks resume")
    record.initial = {}
    Loader().load([record])
    assert NewsStoryPage.objects.get(content_key="news/no-slug").slug_en == "talks-resume"


def test_naming_stored_stories_costs_no_query_per_story(site):
    """A News Tracker naming stories imported earlier refers to them by id: the query
    count of a new story does not grow with the number of stories it names."""
    Loader().load([story(f"news/earlier-{n}", f"Earlier {n}") for n in range(10)])

    def queries_naming(count, key):
        items = [{"title": {"en": f"E{n}"}, "story": f"news/earlier-{n}"} for n in range(count)]
        with CaptureQueriesContext(connection) as queries:
            Loader().load([story(key, key, related_stories=items)])
        return len(queries)

    assert queries_naming(10, "news/names-ten") == queries_naming(1, "news/names-one")
    named = NewsStoryPage.objects.get(content_key="news/names-ten").related_stories.all()
    assert [item.story.content_key for item in named] == [f"news/earlier-{n}" for n in range(10)]


def test_new_stories_with_news_tracker_items_cost_the_queries_of_one(site):
    """A page placed in the run has an id but no stored rows: its News Tracker items are
    not read back, story by story."""
    items = [{"title": {"en": "Earlier talks"}, "url": "https://example.org/earlier"}]

    def queries_for(count, name):
        records = [
            story(f"news/{name}-{n}", f"{name} {n}", related_stories=items) for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            Loader().load(records)
        return len(queries)

    assert queries_for(4, "four") == queries_for(1, "one")
    assert NewsStoryPage.objects.get(content_key="news/four-3").related_stories.count() == 1


def test_rows_are_copied_in_one_statement_with_their_values_as_given(site):
    """``copy_rows`` (COPY on PostgreSQL) writes text with tabs, newlines, backslashes
    and quotes, JSON, nulls and UUIDs as they are, and is one statement to the execute
    wrappers and the query log."""
    page = Page.objects.filter(depth__gt=1).first()
    texts = ["tab\there", "line\nbreak \\ back\\slash", "«quoted» 'single' \"double\"", ""]
    rows = [
        (page.pk, "wagtail.edit", text, {"k": text, "n": [1, None]}, None,
         uuid.uuid5(uuid.NAMESPACE_URL, text or "empty"))
        for text in texts
    ]  # fmt: skip
    field = PageLogEntry._meta.get_field
    now = timezone.now()
    rows = [
        (pk, action, label, field("data").get_db_prep_save(data, connection), user,
         field("uuid").get_db_prep_save(uid, connection),
         field("timestamp").get_db_prep_save(now, connection), False, False)
        for pk, action, label, data, user, uid in rows
    ]  # fmt: skip
    wrapped = []

    def count(execute, sql, params, many, context):
        wrapped.append((sql, many))
        return execute(sql, params, many, context)

    columns = ["page_id", "action", "label", "data", "user_id", "uuid", "timestamp",
               "content_changed", "deleted"]  # fmt: skip
    before = set(PageLogEntry.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as logged, connection.execute_wrapper(count):
        copy_rows(PageLogEntry._meta.db_table, columns, rows)
    assert len(wrapped) == len(logged.captured_queries) == 1 and wrapped[0][1] is True
    written = PageLogEntry.objects.exclude(pk__in=before).order_by("pk")
    assert [(e.label, e.data, e.user_id, e.uuid) for e in written] == [
        (text, {"k": text, "n": [1, None]}, None, uuid.uuid5(uuid.NAMESPACE_URL, text or "empty"))
        for text in texts
    ]
