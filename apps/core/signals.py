"""Forget what is cached about pages when what the public may see of them changes.

Publishing and unpublishing change it, and so does a view restriction (password,
sign-in, groups) added, changed or removed in the admin's privacy dialogue, or a page
moved into or out of a restricted section: the cached mention links
(``apps.core.mentions``) are dropped, and when ``wagtail.contrib.frontend_cache`` is
installed the affected pages are purged from the CDN in both languages. Wagtail
purges a page on publish and unpublish itself; a restriction or a move affects the
page, its descendants, its ancestors (their listings show it) and the pages that
refer to any of them (a topic listing a report, a story's topics or News Tracker).
"""

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from wagtail.models import Page, PageViewRestriction, ReferenceIndex, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .mentions import forget


@receiver(page_published)
@receiver(page_unpublished)
def forget_mention_targets(sender, **kwargs):
    forget()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    forget()
    page_ids = [instance.page_id]
    transaction.on_commit(lambda: purge(page_ids))


@receiver(post_page_move)
def page_moved(sender, instance, parent_page_before=None, **kwargs):
    forget()
    page_ids = [instance.pk]
    # The section it left, and the pages above, list it no more.
    listing_ids = [parent_page_before.pk] if parent_page_before else []
    transaction.on_commit(lambda: purge(page_ids, listing_ids))


def frontend_cache_installed():
    return apps.is_installed("wagtail.contrib.frontend_cache")


def affected_pages(page):
    """Live pages whose public HTML may show ``page`` or one of its descendants."""
    subtree = list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    ids = set(subtree) | set(page.get_ancestors().filter(depth__gt=1).values_list("pk", flat=True))
    # Links in child relations, StreamFields and rich text are in Wagtail's reference
    # index, with the page that holds them as the base object...
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.objects.filter(
        to_content_type=page_type,
        to_object_id__in=[str(pk) for pk in subtree],
        base_content_type=page_type,
    )
    ids |= {int(pk) for pk in references.values_list("object_id", flat=True)}
    # ...many-to-many relations (a story's topics and Charter provisions) are not.
    for model in get_page_models():
        for field in model._meta.local_many_to_many:
            if issubclass(field.related_model, Page):
                holders = model.objects.filter(**{f"{field.name}__in": subtree})
                ids |= set(holders.values_list("pk", flat=True))
    return Page.objects.filter(pk__in=ids).live().specific()


def purge(page_ids, listing_ids=()):
    """Purge from the frontend cache, in every language (translated slugs: each
    language has its own addresses), the ``affected_pages`` of ``page_ids`` and the
    pages of ``listing_ids`` with their ancestors."""
    if not frontend_cache_installed():
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_urls_from_cache

    pages = {}
    for page in Page.objects.filter(pk__in=page_ids):  # a deleted page is gone already
        pages.update((affected.pk, affected) for affected in affected_pages(page))
    for page in Page.objects.filter(pk__in=listing_ids):
        listing = page.get_ancestors(inclusive=True).filter(depth__gt=1).live().specific()
        pages.update((affected.pk, affected) for affected in listing)
    urls = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            batch = PurgeBatch()
            batch.add_pages(pages.values())
            urls |= batch.urls
    purge_urls_from_cache(urls)
