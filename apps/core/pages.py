"""What every page type shares: provenance, the source language, previews in both
languages, the settings and API fields that show them (``BasePage``), and what every
index adds (``IndexPageMixin``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from .forms import TranslationAwarePageForm
from .models import ContentKeyMixin, translated_api_fields, translated_search_fields

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

    def default_content_key(self):
        slug = getattr(self, "slug_en", None) or self.slug or slugify(self.title) or "page"
        return f"{self._meta.app_label}/{slugify(slug) or 'page'}"

    @property
    def translation_language(self):
        """The language this page's source was *not* written in."""
        return next(code for code, _name in settings.LANGUAGES if code != self.source_language)


class BasePage(SourceMixin, Page):
    """A page of the site. Each page type extends the lists it adds to, e.g.
    ``api_fields = [APIField("date"), *BasePage.api_fields]``, and declares its
    ``parent_page_types`` and ``subpage_types``.

    A page's card in listings shows its ``card_label`` (a reference such as a document
    symbol, written left to right), its ``card_date`` and, unless the listing leaves it
    out, the field named by ``card_summary_field``; the defaults show none of them.
    """

    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [
                FieldPanel("source_language"),
                FieldPanel("source_document", read_only=True),
                FieldPanel("imported_at", read_only=True),
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
    ]

    card_label = None
    card_date = None
    card_summary_field = None

    class Meta:
        abstract = True


class IndexPageMixin(models.Model):
    """An index (or the home page): one of its kind, an introduction above what it lists.

    Mixed in before ``BasePage``: ``class NewsIndexPage(IndexPageMixin, BasePage)``.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *BasePage.api_fields]
    max_count = 1

    class Meta:
        abstract = True
