"""Forget what is cached about pages when what the public may see of them changes.

Publishing, unpublishing, moving or deleting a page changes it; so does a view
restriction (password, sign-in, groups) added, changed or removed in the admin's
privacy dialogue, and an edit to a snippet (a person) or an image that pages show.
Each of these:

- purges the whole-page cache (``apps.core.page_cache``) and what is remembered until
  a change (the mention links of ``apps.core.mentions``, a listing's years, the
  sites) by replacing its generation token, at once (so the rest of the same
  transaction reads fresh pages) and again when the transaction commits (so no page
  rendered from the old rows outlives it);
- when ``wagtail.contrib.frontend_cache`` is installed, purges the CDN once the
  transaction commits, in a background task (``purge_later``: with
  ``TASKS_BACKEND=database`` the worker finds the addresses, so that an editor's
  publish request does not wait for the sitemap's files to be listed), in both
  languages (translated slugs: each language has its own addresses): the pages
  affected — the page, its descendants, its ancestors (their listings show it, up to
  home) and the pages that refer to any of them (a topic listing a report, a story's
  topics, people or News Tracker), the pages they name in many-to-many relations (a
  story's topics and Charter provisions, whose hub and "cited by" listings show it) —
  and the feeds and the sitemap, its index and every section file
  (``register_listing_urls``). "More on this topic" on other pages that share a topic
  expires at the CDN with its ``s-maxage``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation

from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_urls_from_cache
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from django_tasks import task

from .page_cache import bump_generation

# Addresses that list every public page, in each language unless marked.
FEED_URL_NAMES = ("feed-news-rss", "feed-news-atom", "feed-reports-rss", "feed-reports-atom")
SITEMAP_URL_NAME = "sitemap"
# Functions giving further absolute addresses that list public pages (the sitemap's
# section files, which depend on the pages there are), registered by the apps that
# serve them (register_listing_urls).
_listing_url_sources = []
# Image fields that Wagtail fills in by itself (on first use), not an editor's change.
IMAGE_BOOKKEEPING_FIELDS = frozenset({"file_hash", "file_size"})


_gathering = ContextVar("gathering", default=None)


@contextmanager
def changes_gathered():
    """Within, what :func:`changed` is told is gathered and acted on once, at the end:
    an import that publishes thousands of pages forgets the cached pages and purges
    the CDN once, not once a page. Nothing is done if the block raises (its transaction
    is rolled back: nothing changed)."""
    if _gathering.get() is not None:
        yield
        return
    gathered = (set(), set(), set())
    token = _gathering.set(gathered)
    try:
        yield
    finally:
        _gathering.reset(token)
    if any(gathered):
        changed(*gathered)


def changed(page_ids=(), listing_ids=(), urls=()):
    """Something the public sees changed: forget the cached pages now and once the
    transaction commits, and purge the CDN then."""
    gathered = _gathering.get()
    if gathered is not None:
        for into, values in zip(gathered, (page_ids, listing_ids, urls), strict=True):
            into.update(values)
        return
    bump_generation()
    # Task arguments are JSON: lists, in a steady order.
    page_ids, listing_ids, urls = sorted(page_ids), sorted(listing_ids), sorted(urls)

    def on_commit():
        bump_generation()
        if frontend_cache_installed():
            purge_later.enqueue(page_ids, listing_ids, urls)

    transaction.on_commit(on_commit)


@receiver(page_published)
@receiver(page_unpublished)
def page_published_or_unpublished(sender, instance, **kwargs):
    changed([instance.pk], [instance.pk])


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    """A site's address or root page is in every URL it serves (the remembered sites
    and root paths, and every cached page, are of the old one)."""
    changed([instance.root_page_id], [instance.root_page_id])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    changed([instance.page_id])


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, PageViewRestriction):
        changed([instance.page_id])


@receiver(post_page_move)
def page_moved(sender, instance, parent_page_before=None, **kwargs):
    # The section it left, and the pages above, list it no more.
    changed([instance.pk], [parent_page_before.pk] if parent_page_before else [])


@receiver(pre_delete)
def page_deleted(sender, instance, **kwargs):
    """A live page about to be deleted: its own addresses are computed now, while it
    exists; the section above it lists it no more. (Deleting a specific page deletes
    its ``Page`` row too: that one is handled, once.)"""
    if type(instance) is not Page or not instance.live:
        return
    urls = page_urls([instance]) | listed_in([instance]) if frontend_cache_installed() else []
    changed(listing_ids=[instance.get_parent().pk], urls=urls)


@receiver(post_save)
def shown_object_saved(sender, instance, update_fields=None, **kwargs):
    if not is_shown_object(instance):
        return
    if update_fields and set(update_fields) <= IMAGE_BOOKKEEPING_FIELDS:
        return
    changed(pages_showing(instance) if frontend_cache_installed() else [])


@receiver(pre_delete)
def shown_object_deleted(sender, instance, **kwargs):
    if is_shown_object(instance):
        # Which pages show it is known only while it and its relations exist.
        changed(pages_showing(instance) if frontend_cache_installed() else [])


def is_shown_object(instance):
    """A snippet (such as a person) or an image, which pages show."""
    return isinstance(instance, (get_image_model(), *get_snippet_models()))


def frontend_cache_installed():
    return apps.is_installed("wagtail.contrib.frontend_cache")


def pages_referring_to(model, ids):
    """Ids of the pages that refer to objects of ``model`` with ``ids``."""
    ids = list(ids)
    # Links in child relations, StreamFields and rich text are in Wagtail's reference
    # index, with the page that holds them as the base object...
    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id__in=[str(pk) for pk in ids],
        base_content_type=ContentType.objects.get_for_model(Page),
    )
    found = {int(pk) for pk in references.values_list("object_id", flat=True)}
    # ...many-to-many relations (a story's people, topics and Charter provisions) are not.
    for page_model in get_page_models():
        for field in page_model._meta.local_many_to_many:
            if issubclass(field.related_model, model):
                holders = page_model.objects.filter(**{f"{field.name}__in": ids})
                found |= set(holders.values_list("pk", flat=True))
    return found


def pages_named_by(ids):
    """Ids of the pages that the pages ``ids`` name in a many-to-many relation (a
    story's topics and Charter provisions): their listings (a topic's hub, "Pages that
    cite this article") show the pages that name them."""
    found = set()
    for page_model in get_page_models():
        for field in page_model._meta.local_many_to_many:
            if issubclass(field.related_model, Page):
                named = page_model.objects.filter(pk__in=ids).values_list(field.name, flat=True)
                found |= {pk for pk in named if pk is not None}
    return found


def pages_showing(instance):
    """Ids of the pages that show a snippet or an image."""
    return pages_referring_to(instance._meta.concrete_model, [instance.pk])


def affected_pages(page):
    """Live pages whose public HTML may show ``page`` or one of its descendants."""
    subtree = list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    ids = set(subtree) | set(page.get_ancestors().filter(depth__gt=1).values_list("pk", flat=True))
    ids |= pages_referring_to(Page, subtree)
    ids |= pages_named_by(subtree)
    return Page.objects.filter(pk__in=ids).live().specific()


def page_urls(pages):
    """The pages' full addresses in every language."""
    urls = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            batch = PurgeBatch()
            batch.add_pages(pages)
            urls |= batch.urls
    return urls


def register_listing_urls(source):
    """Have the addresses ``source`` gives purged from the CDN with the feeds and the
    sitemap: ``source()`` gives every such address there is now, ``source(pages)``
    those that listed ``pages`` (a file the change may have emptied, which the first
    no longer names)."""
    if source not in _listing_url_sources:
        _listing_url_sources.append(source)


def listing_urls():
    """The feeds in every language, the sitemap and what the registered sources give
    (its section files): they list every public page."""
    urls = {settings.SITE_URL + reverse(SITEMAP_URL_NAME)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls |= {settings.SITE_URL + reverse(name) for name in FEED_URL_NAMES}
    for source in _listing_url_sources:
        urls |= set(source())
    return urls


def listed_in(pages):
    """The addresses of the registered sources that listed ``pages``."""
    urls = set()
    for source in _listing_url_sources:
        urls |= set(source(pages))
    return urls


@task()
def purge_later(page_ids, listing_ids, urls):
    """:func:`purge`, as a background task enqueued once a change commits: finding the
    addresses reads the affected pages and lists the sitemap's files (about 190 ms
    at 50,000 stories), work for the worker rather than the editor's request. The
    pages are read as the database holds them when it runs, which is how ``purge`` read
    them in the request too, after the commit; a deleted page's addresses come in
    ``urls``, found before it went."""
    purge(page_ids, listing_ids, urls)


def purge(page_ids, listing_ids=(), urls=()):
    """Purge from the frontend cache the ``affected_pages`` of ``page_ids``, the pages
    of ``listing_ids`` with their ancestors, ``urls``, the feeds and the sitemap."""
    if not frontend_cache_installed():
        return
    pages = {}
    for page in Page.objects.filter(pk__in=page_ids):  # a deleted page is gone already
        pages.update((affected.pk, affected) for affected in affected_pages(page))
    for page in Page.objects.filter(pk__in=listing_ids):
        listing = page.get_ancestors(inclusive=True).filter(depth__gt=1).live().specific()
        pages.update((affected.pk, affected) for affected in listing)
    listed = listed_in(pages.values())
    purge_urls_from_cache(page_urls(pages.values()) | set(urls) | listing_urls() | listed)
