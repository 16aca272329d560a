"""What every page type shares: provenance, the source language, previews in both
languages, the settings and API fields that show them (``BasePage``), and what every
index adds (``IndexPageMixin``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from modeltranslation.utils import build_localized_fieldname, resolution_order
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page, PageBase, PageViewRestriction

from .forms import TranslationAwarePageForm
from .models import ContentKeyMixin, translated_api_fields
from .prepared import Prepared
from .translation_fields import LANGUAGES, translatable_fields
from .visibility import in_restricted_subtree

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class SourceMixin(ContentKeyMixin):
    """Provenance shared by every page: the language first written in, and the source."""

    source_language = models.CharField(
        _("source language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language this content was first written in; the other is a translation."),
    )
    source_document = models.CharField(
        _("source document"),
        max_length=255,
        blank=True,
        help_text=_("The raw document this page was imported from, if any."),
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    exclude_fields_in_copy = ["content_key", "source_document", "imported_at"]
    # Translators may only change translated fields (see apps.core.forms).
    base_form_class = TranslationAwarePageForm

    class Meta:
        abstract = True

    # Fields that must be filled in the source language; the translation may follow later.
    required_in_source_language = []

    def clean(self):
        super().clean()
        missing = {
            f"{name}_{self.source_language}": _("This field is required in the source language.")
            for name in self.required_in_source_language
            if not (getattr(self, f"{name}_{self.source_language}", None) or "").strip()
        }
        if missing:
            raise ValidationError(missing)

    @property
    def preview_modes(self):
        """One preview per language, so editors see the draft in English and in Arabic."""
        return [(code, name) for code, name in settings.LANGUAGES]

    def serve_preview(self, request, mode_name):
        language = mode_name if mode_name in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()  # while the preview's language is active
        return response

    def get_admin_display_title(self):
        """The title in the admin's language (explorer, choosers, breadcrumbs, headers).

        In the default language, Wagtail's draft title; in another, the page's title in
        that language or, while it has none, the default language's title followed by
        the name of its language, so that a missing translation shows."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
            return super().get_admin_display_title()
        own = getattr(self, f"title_{language}", None)
        default = getattr(self, f"title_{settings.LANGUAGE_CODE}", None)
        if own and (own != default or self.source_language == language):
            return own
        fallback = super().get_admin_display_title()
        return _("%(title)s [%(language)s]") % {
            "title": fallback,
            "language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE],
        }

    def default_content_key(self):
        slug = getattr(self, "slug_en", None) or self.slug or slugify(self.title) or "page"
        return f"{self._meta.app_label}/{slugify(slug) or 'page'}"


def slug_in_language(slug, language):
    """SQL: the page's slug in ``language`` is ``slug``, falling back as the ``slug``
    attribute does (django-modeltranslation: an empty slug borrows the next language's)."""
    condition, earlier_empty = Q(), Q()
    for code in resolution_order(language):
        field = build_localized_fieldname("slug", code)
        condition |= earlier_empty & Q(**{field: slug})
        earlier_empty &= Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return condition


def shown_slugs(value):
    """The slug a page shows in each language: its own, else the fallback language's
    (as django-modeltranslation reads ``slug``); ``value(column)`` reads a slug column."""
    shown = {}
    for language in LANGUAGES:
        slugs = (value(build_localized_fieldname("slug", c)) for c in resolution_order(language))
        shown[language] = next((slug for slug in slugs if slug), None)
    return shown


def translated_slug_errors(page):
    """The slug-uniqueness check of wagtail-modeltranslation, asked in SQL.

    Replaces ``wagtail_modeltranslation.patch_wagtailadmin._validate_slugs``, which the
    ``clean`` it gives every translated page model calls on each validation (twice for
    our page types: once for the type, once for ``Page``). That version loads every
    sibling and compares slugs in Python: ~50 ms per call under a section of 350
    stories, growing with the archive, paid by every save in the admin and the loader.
    The rule is the same: in no language may the slug the page shows (its own, else
    the fallback language's) be one a sibling shows. One query, whatever the siblings.
    A page whose ``slug_checked_in_batch`` is set had its slug checked together with
    the other new pages of an import (:mod:`apps.importer.bulk`).
    """
    if getattr(page, "slug_checked_in_batch", False) or page.get_parent() is None:
        return {}  # checked with its batch; the root page's slug can be whatever it likes
    shown = shown_slugs(lambda column: getattr(page, column))
    taken = page.get_siblings(inclusive=False).aggregate(
        **{
            language: Count("pk", filter=slug_in_language(slug, language))
            for language, slug in shown.items()
            if slug
        }
    )
    return {
        build_localized_fieldname("slug", language): _("This slug is already in use")
        for language, count in taken.items()
        if count
    }


def specific_of_joined(page, joins):
    """The specific page of ``page``, a ``Page`` read with ``select_related(*joins)``
    (the model names of page types): no query when its type was joined."""
    name = page.specific_class._meta.model_name if page.specific_class else None
    specific = getattr(page, name, None) if name in joins else None
    return page.specific if specific is None else specific


def routed_joins(page_type):
    """The page types a child of ``page_type`` may be, as the names that join them."""
    models = page_type.allowed_subpage_models()
    return [model._meta.model_name for model in models if Page in model._meta.parents]


# Routing's query for each page type: built and compiled once (apps/core/prepared.py).
CHILDREN_QUERIES = {}


def children_query(parent):
    """``(query, joins)``: ``query(first, last, depth, slug)`` gives the children of a
    page of ``parent``'s type
    (their tree paths from ``first`` to ``last`` at ``depth``: treebeard's paths, the
    parent's and one step more) that have ``slug`` in the active language or that its
    ``routing_companions()`` name, each as its own type, with ``_route_match`` and
    ``_route_restricted``, in tree order; ``joins`` names the page types joined."""
    page_type = type(parent)
    found = CHILDREN_QUERIES.get(page_type)
    if found is None:
        joins, companions = routed_joins(page_type), parent.routing_companions()

        def children(first, last, depth, slug):
            match = slug_in_language(slug, translation.get_language())
            return (
                Page.objects.filter(path__gte=first, path__lte=last, depth=depth)
                .filter(match if companions is None else match | companions)
                .annotate(
                    _route_restricted=in_restricted_subtree(),
                    _route_match=ExpressionWrapper(match, output_field=BooleanField()),
                )
                .select_related(*joins)
                .order_by("path")
            )

        query = Prepared(children, kinds=(str, str, int, str))
        found = CHILDREN_QUERIES[page_type] = (query, joins)
    return found


class RoutedPageBase(PageBase):
    """Keeps ``BasePage.route`` on every page type.

    wagtail-modeltranslation assigns its own ``route`` to each translated page model
    when it registers it (``WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS``); that one loads
    every child of a page and compares translated slugs in Python, so routing to a
    story instantiated the whole archive. This metaclass refuses that assignment."""

    def __setattr__(cls, name, value):
        library = getattr(value, "__module__", "").startswith("wagtail_modeltranslation")
        if name == "route" and library:
            return
        super().__setattr__(name, value)


class BasePage(SourceMixin, Page, metaclass=RoutedPageBase):
    """A page of the site. Each page type extends the lists it adds to, e.g.
    ``api_fields = [APIField("date"), *BasePage.api_fields]``, and declares its
    ``parent_page_types`` and ``subpage_types``.

    A page's card in listings shows its ``card_label`` (a reference such as a document
    symbol, written left to right), its ``card_date`` and, unless the listing leaves it
    out, the field named by ``card_summary_field``; the defaults show none of them.
    """

    site_translations = models.JSONField(
        _("the site's own translations"),
        default=list,
        blank=True,
        help_text=_(
            "The translated fields, by column (e.g. summary_en), whose text is this "
            "site's translation because no official text exists in that language. The "
            "page says so beside them."
        ),
    )

    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("source_language"),
                FieldPanel("source_document", read_only=True),
                FieldPanel("imported_at", read_only=True),
                FieldPanel("site_translations"),
            ],
            heading=_("Provenance"),
        ),
    ]
    api_fields = [
        *translated_api_fields("title", "slug"),
        APIField("content_key"),
        APIField("source_language"),
        APIField("source_document"),
        APIField("imported_at"),
        APIField("site_translations"),
    ]
    # Wagtail's own index of a page holds its titles (``title``, and ``title_en`` and
    # ``title_ar``, which wagtail-modeltranslation adds), which is all that the admin's
    # page search, its listings' search and the page chooser match (``autocomplete`` on
    # ``title``); page types add filters, never their text. The text is searched through
    # the site's per-language documents (``apps.search``): indexing every translated
    # field again here was a fifth of an imported page's CPU.
    search_fields = [*Page.search_fields]

    card_label = None
    card_date = None
    card_summary_field = None

    # The schema.org type of the page (``apps.core.structured_data``).
    schema_org_type = "WebPage"

    class Meta:
        abstract = True

    def _check_slug_is_unique(self):
        # Wagtail's own check, one query a page; an import checks its batch at once.
        if not getattr(self, "slug_checked_in_batch", False):
            super()._check_slug_is_unique()

    def schema_org(self, request):
        """The page as a schema.org item for its JSON-LD: a dict with its ``@type``; the
        address, language and site are added by the ``structured_data_script`` tag.
        Types that are documents (stories, reports, Charter articles) say more."""
        return {"@type": self.schema_org_type, "name": self.title}

    def clean(self):
        super().clean()
        columns = {
            f"{name}_{code}" for name in translatable_fields(type(self)) for code in LANGUAGES
        }
        given = self.site_translations
        if not isinstance(given, list) or not all(isinstance(c, str) for c in given):
            raise ValidationError({"site_translations": _("Give a list of column names.")})
        unknown = sorted(set(given) - columns)
        if unknown:
            raise ValidationError(
                {
                    "site_translations": _("%(column)s is not a translated field of this page.")
                    % {"column": unknown[0]}
                }
            )

    def is_site_translation(self, field_name, language):
        """Whether ``field_name`` in ``language`` is this site's own translation."""
        return f"{field_name}_{language}" in (self.site_translations or ())

    # Routing. Replaces wagtail-modeltranslation's ``route`` (see RoutedPageBase),
    # which read every sibling to compare ``slug`` in the active language in Python:
    # here the child is found by ``slug_<language>`` in SQL, one query per level
    # whatever the number of siblings, and comes back as its specific page type
    # (its table joined in the same query). The rest is Wagtail's own ``route``: an
    # unknown slug or a page that is not live answers 404, and view restrictions are
    # checked afterwards by Wagtail's ``check_view_restrictions`` hook.

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        child = self.child_by_slug(path_components[0])
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # treebeard's get_parent() asks no query
        return child.route(request, path_components[1:])

    def child_by_slug(self, slug):
        """The child page whose slug in the active language is ``slug`` (the first in
        tree order), as its specific type, or ``None``.

        The children that ``routing_companions()`` names come in the same query and
        stay in ``routed_children`` (each with ``_route_restricted``). The query is
        built once per page type and language (:func:`children_query`)."""
        query, joins = children_query(self)
        first, last = Page.alphabet[0], Page.alphabet[-1]
        self.routed_children = query(
            self.path + first * self.steplen, self.path + last * self.steplen, self.depth + 1, slug
        )
        child = next((row for row in self.routed_children if row._route_match), None)
        if child is None:
            return None
        specific = specific_of_joined(child, joins)
        specific._route_restricted = child._route_restricted
        return specific

    def routing_companions(self):
        """A ``Q`` of other children to read with the routed one (``None``: none)."""
        return None

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page: none, without a query, when routing
        found that no restriction sits on it or an ancestor (``_route_restricted``);
        otherwise one query instead of Wagtail's two."""
        if getattr(self, "_route_restricted", None) is False and self.alias_of_id is None:
            return PageViewRestriction.objects.none()
        # Wagtail's own rule in one query: restrictions on this page and its ancestors,
        # or on the pages that those of them that are aliases stand for.
        steps = range(self.steplen, len(self.path) + 1, self.steplen)
        paths = [self.path[:end] for end in steps]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False)
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__in=sources.values("alias_of"))
        )


class AttributionMixin(models.Model):
    """A page that reproduces another site's text names and links it (translated: the
    other site's page in each language)."""

    source_name = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("The site whose text this page reproduces, e.g. UN Peacemaker."),
    )
    source_url = models.URLField(
        _("source address"), max_length=500, blank=True, help_text=_("Its page's address.")
    )

    attribution_panels = [FieldPanel("source_name"), FieldPanel("source_url")]
    attribution_api_fields = translated_api_fields("source_name", "source_url")

    class Meta:
        abstract = True


class IndexPageMixin(models.Model):
    """An index (or the home page): one of its kind, an introduction above what it lists.

    Mixed in before ``BasePage``: ``class NewsIndexPage(IndexPageMixin, BasePage)``.
    """

    intro = models.TextField(_("introduction"), blank=True)
    schema_org_type = "CollectionPage"

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [*translated_api_fields("intro"), *BasePage.api_fields]
    max_count = 1

    class Meta:
        abstract = True
