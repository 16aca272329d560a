"""The fixtures that the tests share.

- ``home_page``: a bilingual home page as the default site's root, nothing under it.
- ``small_site``: the hand-built site of ``site_tree.build_site`` (every page type,
  a few pages each), as a namespace of its pages.
- ``site``: the site of ``fixtures/content/`` as ``load_content`` loads it.
- ``worker``: background tasks queued in the database, as production runs them;
  ``worker()`` runs them.
- ``initial_rows``: for transactional tests, the rows migrations create (a flush at
  the end of the previous transactional test removed them).

The rows of ``site`` and ``small_site`` are each written once per test session (per
worker under pytest-xdist), not once per test: see ``seeds.Seed``. The browser tests,
whose live server sees only committed rows, load the fixtures in ``live_site``
(tests/browser/conftest.py).
"""

from io import StringIO

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation

import pytest
import site_tree
from django_tasks_db.management.commands import db_worker
from factories import HomePageFactory
from frontend_cache import RecordingBackend, purged_paths
from pytest_django.plugin import blocking_manager_key
from seeds import (
    Seed,
    Snapshot,
    flush_by_deleting,
    load_content,
    restore_initial_rows,
    restore_migrated_state,
)
from xdist.scheduler import LoadScopeScheduling

from apps.core import signals
from mediation_site.settings.base import tasks_setting

SEEDS = {}  # fixture name -> Seed, once the fixture has run
SEED_FIXTURES = ("loaded_content", "small_tree")


def seed_fixture(name, build):
    """A session fixture that writes ``build()``'s rows once and returns its Seed."""

    @pytest.fixture(scope="session", name=name)
    def fixture(django_db_setup, django_db_blocker):
        seed = SEEDS[name] = Seed(build, django_db_blocker)
        seed.open()
        yield seed
        seed.close()

    return fixture


def build_small_site():
    return site_tree.build_site(HomePageFactory.as_site_root())


loaded_content = seed_fixture("loaded_content", load_content)
small_tree = seed_fixture("small_tree", build_small_site)


def wanted_seed(item):
    return next((name for name in SEED_FIXTURES if name in item.fixturenames), None)


# Modules whose tests share an expensive module fixture (gunicorn serving the test
# database, with static files collected): each runs whole on one xdist worker.
ONE_WORKER_MODULES = {"tests/test_outages.py"}


class OneWorkerModules(LoadScopeScheduling):
    """xdist's default distribution (tests handed out one by one, in order), except
    that the tests of each of ONE_WORKER_MODULES go to one worker, first."""

    def _split_scope(self, nodeid):
        module = nodeid.split("::", 1)[0]
        return module if module in ONE_WORKER_MODULES else nodeid


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "load":
        return OneWorkerModules(config, log)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The tests of each seed together, first (pytest-django then puts the tests that
    use the database before the transactional ones, keeping this order within each)."""
    order = {name: index for index, name in enumerate(SEED_FIXTURES)}
    items.sort(key=lambda item: order.get(wanted_seed(item), len(order)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Open the seed the test asks for (closing any other), or close the open one."""
    name = wanted_seed(item)
    if name in SEEDS:
        SEEDS[name].open()
    elif Seed.current is not None:
        Seed.current.close()


@pytest.fixture
def site(loaded_content, db):
    """The site of fixtures/content/: every page type in both languages, people and
    images, the Moderation workflow on the news and report sections."""


@pytest.fixture
def small_site(small_tree, db):
    """``site_tree.build_site``'s pages by name (home, news, story, report, topic…)."""
    return site_tree.refetch(small_tree.value)


@pytest.fixture
def home_page(db):
    """A bilingual home page as the root of the default site (replacing Wagtail's welcome page)."""
    return HomePageFactory.as_site_root()


# The rows migrations write (Wagtail's groups and their collection permissions, the
# root page and collection, the site, the editorial groups and workflow), copied once
# per session on PostgreSQL (seeds.Snapshot).
MIGRATED_ROWS = Snapshot()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, as migrations leave it also when ``--reuse-db`` kept it; and
    left so at the end, for the next run to find it so (a transactional test's flush
    empties every table)."""
    with django_db_blocker.unblock():
        restore_migrated_state()
        if Snapshot.supported():
            MIGRATED_ROWS.take()
    if connection.vendor == "postgresql":
        operations = type(connection.ops)
        truncating = flush_by_deleting(operations)
    yield
    if MIGRATED_ROWS.rows is not None:
        with django_db_blocker.unblock():
            MIGRATED_ROWS.restore()
    if connection.vendor == "postgresql":
        operations.sql_flush = truncating


@pytest.fixture
def initial_rows(transactional_db):
    """What migrations wrote, which the flush ending the previous transactional test
    removed: copied back on PostgreSQL, rebuilt (the rows the tests need) elsewhere."""
    if MIGRATED_ROWS.rows is not None:
        MIGRATED_ROWS.restore()
    else:
        restore_initial_rows()


@pytest.fixture(autouse=True)
def _fresh_state():
    """Each test starts with an empty cache (the rows cached values came from are gone)
    and in the default language (a request to /ar/ leaves Arabic active in the thread)."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """After a test that used the database, the content types are cached again: the
    flush ending a transactional test clears the cache, and tests without the database
    construct pages, which ask for their content type."""
    result = yield
    if item.get_closest_marker("django_db") or {"db", "transactional_db"} & {*item.fixturenames}:
        with item.config.stash[blocking_manager_key].unblock():
            ContentType.objects.get_for_models(*apps.get_models())
    return result


@pytest.fixture
def purged_by(settings, monkeypatch, django_capture_on_commit_callbacks):
    """``purged_by(action)``: the paths a configured CDN is asked to purge when
    ``action()`` runs and its transaction commits."""
    settings.WAGTAILFRONTENDCACHE = {
        "default": {"BACKEND": f"{RecordingBackend.__module__}.RecordingBackend"}
    }
    monkeypatch.setattr(signals, "frontend_cache_installed", lambda: True)

    def purged(action):
        RecordingBackend.purged = []
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return purged_paths()

    return purged


@pytest.fixture
def worker(settings, monkeypatch):
    """Tasks queued in the database, as production runs them (TASKS_BACKEND=database);
    ``worker()`` runs the worker (``db_worker``) over the queue. The
    worker runs in the test's transaction: like Django's test client, which disconnects
    it from the request signals, it must not close that transaction's connection
    between tasks."""
    settings.TASKS = tasks_setting("database")
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run_worker():
        call_command(
            "db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO()
        )

    return run_worker
