"""Real-browser tests: Debian's Chromium driven by Playwright's Python package.

No browser is downloaded: the tests use the system's Chromium (``CHROMIUM`` or
``/usr/bin/chromium``). Outside CI they are skipped, with the reason shown, when
no Chromium is installed; in CI (``CI=true``) a missing Chromium is an error.
"""

import os
import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation

from wagtail.models import Page

import pytest
from factories import HomePageFactory, NewsIndexFactory
from seeds import Snapshot, load_content

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


@pytest.fixture
def news_section(initial_rows):
    """A bare committed site: a home page as the default site's root, an empty news
    index under it (returned)."""
    return NewsIndexFactory(parent=HomePageFactory.as_site_root())


SITE_ROWS = Snapshot()


@pytest.fixture
def live_site(initial_rows, live_server):
    """The site of fixtures/content/, committed for the live server; its address. On
    PostgreSQL the rows the first load wrote are copied back for the next tests."""
    if SITE_ROWS.rows is not None:
        SITE_ROWS.restore()
    else:
        load_content()
        if Snapshot.supported():
            SITE_ROWS.take()
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


def user(name, group):
    """A committed account in ``group`` whose password is ``pw-<name>``. No first or
    last name: the account page must still save the language."""
    account = get_user_model().objects.create_user(name, f"{name}@example.org", "pw-" + name)
    account.groups.add(Group.objects.get(name=group))
    return account


def sign_in(browser, live_site, name):
    """A page of a new browser context, signed in to the admin as ``name``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", "pw-" + name)
    page.click("button[type=submit]")
    page.wait_for_url(live_site + "/admin/")
    return page
