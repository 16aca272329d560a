"""Real-browser tests: Debian's Chromium driven by Playwright's Python package.

No browser is downloaded: the tests use the system's Chromium (``CHROMIUM`` or
``/usr/bin/chromium``). Outside CI they are skipped, with the reason shown, when
no Chromium is installed; in CI (``CI=true``) a missing Chromium is an error.
"""

import os
import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

from wagtail.models import Page

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("no Chromium found (install Debian's chromium package to run browser tests)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls that the
    # tests make meanwhile are still synchronous and safe, so Django is told so.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    # bypass_csp lets the tests inject axe-core into pages whose CSP forbids inline scripts.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def restore_initial_rows():
    """Put back what migrations create and a transactional test's flush removes:
    the default locale, the root collection, the root page, and the editorial
    groups and workflow. (serialized_rollback cannot do it reliably here.)"""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Collection, Locale

    # The flush also re-creates content types under new ids: forget the cached ones.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", title_en="Root", slug="root", slug_en="root"))
    editorial = importlib.import_module(
        "apps.editorial.migrations.0002_groups_and_moderation_workflow"
    )
    editorial.create_groups(apps, None)


def news_section():
    """A bare site for a transactional test: the initial rows, a home page as the
    default site's root, and an empty news index under it (returned)."""
    from wagtail.models import Site

    from apps.core.sites import configure_site
    from apps.home.models import HomePage
    from apps.news.models import NewsIndexPage

    restore_initial_rows()
    home = HomePage(title_en="Peace mediation", title_ar="الوساطة", slug_en="home", slug_ar="home")
    Page.get_first_root_node().add_child(instance=home)
    # Migrations made the default site; an earlier transactional test's flush removed it.
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    configure_site(site).save()
    news = NewsIndexPage(title_en="News", title_ar="الأخبار", slug_en="news", slug_ar="akhbar")
    home.add_child(instance=news)
    return news


@pytest.fixture
def site(live_server):
    restore_initial_rows()
    call_command("load_content", stdout=StringIO())
    return live_server.url


def page_urls():
    """One page of each type, in each language: ``[(name, language, path)]``."""
    urls = []
    seen = set()
    for page in Page.objects.filter(depth__gt=1).specific().order_by("path"):
        kind = type(page).__name__
        if kind in seen:
            continue
        seen.add(kind)
        for language in ("en", "ar"):
            with translation.override(language):
                urls.append((kind, language, page.get_url()))
    return urls


@pytest.fixture
def axe():
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `make install` (npm ci)")
    return AXE
