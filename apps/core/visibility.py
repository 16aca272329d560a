"""May the public see this page? One answer for every list, link, feed and API field.

A page is public when it is live (published, not expired) and outside every
restricted subtree: no ``PageViewRestriction`` (password, sign-in, groups) on it or
on any of its ancestors. That is what Wagtail checks before serving a page and what
``PageQuerySet.public()`` filters on; everything that shows one page from another
(index listings, a story's topics, a topic's documents, the News Tracker, filters,
feeds, the sitemap, the API's embedded pages, mention links) asks here, so that a
draft or a private page never lends its title, summary or address to a public one.

- ``public_pages(queryset)``: the rule as a queryset filter. The same pages as
  Wagtail's ``.live().public()``, but the restricted subtrees are a subquery of the
  same SQL statement rather than a query of their own each time it is called.
- ``public_only(pages)``: the rule over a relation's pages, in their order, as a
  list. A relation of a page being previewed is a modelcluster ``FakeQuerySet`` (a
  list in memory, with no ``.live()``), so relation accessors used by templates go
  through this: a real queryset is filtered in its own SQL statement, anything else
  in Python after one query for the restricted paths, whatever the number of pages.
- ``with_public_flag(items, "story")``: the items of a child relation (News Tracker
  entries, a topic's documents), each told whether the page its foreign key points
  at is public (``item.story_is_public``), again without a query per item.
- ``is_public(page, restricted)``: one page, given ``restricted_paths()`` loaded
  once beforehand (without it, each call costs a query).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length, Substr

from wagtail.models import PageViewRestriction


def in_restricted_subtree(path="path"):
    """SQL: a restriction exists on the page or an ancestor (a prefix of its path).

    ``path`` names the page's path from the model queried: ``"story__path"`` for the
    page a foreign key points at."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef(path), 1, Length("page__path"))
        )
    )


def public_pages(queryset):
    """Live pages outside every restricted subtree (a ``PageQuerySet``)."""
    return queryset.live().filter(~in_restricted_subtree())


def restricted_paths(request=None):
    """The tree paths of restricted pages: each roots a subtree the public may not see.

    With a ``request``, loaded once for the whole request (blocks of a page body and
    API fields of one response share it)."""
    if request is not None:
        paths = getattr(request, "_restricted_paths", None)
        if paths is None:
            paths = request._restricted_paths = restricted_paths()
        return paths
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def is_public(page, restricted=None):
    """Whether the public may see ``page``; ``None`` (a missing target) is not public."""
    if page is None or not page.live:
        return False
    if restricted is None:
        restricted = restricted_paths()
    return not page.path.startswith(restricted)


def public_only(pages, restricted=None):
    """The pages of ``pages`` (queryset, ``FakeQuerySet`` or list) the public may see."""
    if isinstance(pages, QuerySet) and restricted is None:
        return list(public_pages(pages))
    pages = list(pages)
    if not pages:
        return []
    if restricted is None:
        restricted = restricted_paths()
    return [page for page in pages if is_public(page, restricted)]


def with_public_flag(items, relation):
    """``items`` (a child relation: queryset or ``FakeQuerySet``) as a list, each with
    ``<relation>_is_public`` set: whether the public may see the page its foreign key
    ``relation`` points at (``False`` when it points nowhere)."""
    flag = f"{relation}_is_public"
    if isinstance(items, QuerySet):
        return flag_public(list(with_restriction(items, relation)), relation)
    items = list(items)
    restricted = restricted_paths()
    for item in items:
        setattr(item, flag, is_public(getattr(item, relation), restricted))
    return items


def with_restriction(queryset, relation):
    """``queryset`` with the page its foreign key ``relation`` points at, and whether
    that page is in a restricted subtree (``_<relation>_restricted``), for
    :func:`flag_public`."""
    return queryset.select_related(relation).annotate(
        **{f"_{relation}_restricted": in_restricted_subtree(f"{relation}__path")}
    )


def flag_public(items, relation):
    """Set ``<relation>_is_public`` on each of ``items``, read by :func:`with_restriction`;
    return ``items``."""
    for item in items:
        page = getattr(item, relation)
        restricted = getattr(item, f"_{relation}_restricted")
        setattr(item, f"{relation}_is_public", page is not None and page.live and not restricted)
    return items
