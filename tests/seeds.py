"""Rows that tests share: the seeds written once per test session, and the rows that
migrations create, put back after a transactional test's flush."""

import importlib
from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from wagtail.models import Collection, Locale, Page, Site

from apps.core.sites import configure_site

create_groups = importlib.import_module(
    "apps.editorial.migrations.0002_groups_and_moderation_workflow"
).create_groups


class Seed:
    """Rows that many tests read, written once rather than for each test.

    They are written in a transaction that stays open while the tests using them
    run: each test's own transaction (pytest-django's ``db``) is then a savepoint
    inside it, and rolling the test back returns to the seeded rows. Before a test
    that does not ask for the seed, the seed's transaction is rolled back, so that
    test sees the database as migrations left it. The tests that ask for one seed
    run one after the other (``pytest_collection_modifyitems``), so it is written
    once; if they did not, it would be written again, never shared by mistake.
    """

    current = None  # the seed whose transaction is open

    def __init__(self, build, django_db_blocker):
        self.build = build
        self.blocker = django_db_blocker
        self.atomic = None
        self.value = None

    def open(self):
        if Seed.current is self:
            return
        if Seed.current is not None:
            Seed.current.close()
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            # As Django's TestCase marks its own: durable blocks may nest in it.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            try:
                self.value = self.build()
            except BaseException as error:
                self.atomic.__exit__(type(error), error, error.__traceback__)
                raise
        Seed.current = self

    def close(self):
        if Seed.current is not self:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        Seed.current = None
        cache.clear()  # mention links and site root paths of the rolled-back rows


def load_content():
    call_command("load_content", stdout=StringIO())


def restore_initial_rows():
    """Put back what migrations create and a transactional test's flush removes: the
    default locale, the root collection, the root page, the default site on a welcome
    page, and the editorial groups and workflow. Idempotent."""
    ContentType.objects.clear_cache()  # a flush re-creates content types under new ids
    Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", title_en="Root", slug="root", slug_en="root")
    )
    if not Site.objects.exists():
        welcome = root.add_child(
            instance=Page(title="Welcome", title_en="Welcome", slug="welcome", slug_en="welcome")
        )
        configure_site(Site(root_page=welcome, is_default_site=True)).save()
    if not Group.objects.filter(name="Translators").exists():
        create_groups(apps, None)


def restore_migrated_state():
    """The database as migrations leave it, from one that a run stopped during a
    transactional test left with that test's rows, or whose last transactional test
    flushed the initial rows (``--reuse-db`` keeps the database between runs)."""
    if Page.objects.filter(depth__gt=2).exists() or get_user_model().objects.exists():
        call_command("flush", interactive=False, verbosity=0)
    restore_initial_rows()


class Snapshot:
    """Every table's rows, as PostgreSQL's COPY writes them, to be written back in one
    statement per table: a transactional test whose rows were committed once (the
    browser tests' ``live_site``) gets them again in a fraction of the time that
    building them takes. Foreign keys are deferred to the end of the transaction
    (Django creates them DEFERRABLE INITIALLY DEFERRED), so tables load in any order."""

    def __init__(self):
        self.rows = None  # table -> bytes, once taken

    @staticmethod
    def supported():
        return connection.vendor == "postgresql"

    def take(self):
        self.rows = {}
        with connection.cursor() as cursor:
            for table in self._tables():
                data = bytearray()
                with cursor.cursor.copy(
                    f"COPY {connection.ops.quote_name(table)} TO STDOUT"
                ) as copy:
                    for chunk in copy:
                        data += chunk
                if data:
                    self.rows[table] = bytes(data)

    def restore(self):
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in emptying_sql(self._tables()):
                cursor.execute(sql)
            for table, data in self.rows.items():
                with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(data)
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        # Cached rows of the tables just rewritten (content types get their old ids back).
        ContentType.objects.clear_cache()
        cache.clear()

    @staticmethod
    def _tables():
        return sorted(connection.introspection.django_table_names(only_existing=True))


def emptying_sql(tables):
    """Statements that empty ``tables`` on PostgreSQL, in one transaction: ``DELETE``,
    not ``TRUNCATE``. A TRUNCATE gives every table and index a new file, about 2 s for
    the project's tables on a busy server where deleting their few rows takes 0.15 s;
    foreign keys, deferred to the end of the transaction, allow any order."""
    quote = connection.ops.quote_name
    # Table names from Django's introspection, quoted.
    deletes = (f"DELETE FROM {quote(table)}" for table in tables)  # noqa: S608
    return ["SET CONSTRAINTS ALL DEFERRED", *deletes]


def flush_by_deleting(operations):
    """Makes ``operations`` (PostgreSQL's DatabaseOperations) empty the tables with
    ``emptying_sql`` in the flush ending each transactional test; a flush that resets
    sequences still truncates. Returns the original ``sql_flush``, to put back."""
    truncating = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncating(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return emptying_sql(tables)

    operations.sql_flush = sql_flush
    return truncating
