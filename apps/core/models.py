"""What every page type shares, and the site's image model."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.search import index

from .forms import TranslationAwarePageForm

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


def translated(*names, languages=None):
    """``translated("title", "body")`` → ``["title_en", "title_ar", "body_en", "body_ar"]``."""
    languages = languages or [code for code, _name in settings.LANGUAGES]
    return [f"{name}_{code}" for name in names for code in languages]


def translated_api_fields(*names):
    return [APIField(name) for name in translated(*names)]


def translated_search_fields(*names, boost=None):
    kwargs = {"boost": boost} if boost else {}
    return [index.SearchField(name, **kwargs) for name in translated(*names)]


class ContentKeyMixin(models.Model):
    """A stable key (``news/some-story``) that fixtures, import and export match on.

    Records loaded from ``fixtures/content/`` carry their key; anything created in
    the admin is given one from its English slug or name when first saved.
    """

    content_key = models.CharField(
        _("content key"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Stable identifier used by fixtures, import and export."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.content_key:
            base = self.default_content_key()
            key, n = base, 2
            while type(self)._default_manager.filter(content_key=key).exclude(pk=self.pk).exists():
                key, n = f"{base}-{n}", n + 1
            self.content_key = key
        super().save(*args, **kwargs)

    def default_content_key(self):
        raise NotImplementedError


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

    provenance_panels = [
        MultiFieldPanel(
            [
                FieldPanel("source_language"),
                FieldPanel("source_document", read_only=True),
                FieldPanel("imported_at", read_only=True),
            ],
            heading=_("Provenance"),
        )
    ]
    exclude_fields_in_copy = ["content_key", "source_document", "imported_at"]
    # Translators may only change translated fields (see apps.editorial.forms).
    base_form_class = TranslationAwarePageForm
    provenance_api_fields = [
        *[APIField(name) for name in translated("title", "slug")],
        APIField("content_key"),
        APIField("source_language"),
        APIField("source_document"),
        APIField("imported_at"),
    ]

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


class CustomImage(ContentKeyMixin, AbstractImage):
    """An image with a translated caption and photo credit (e.g. "UN Photo/Duncan Moore")."""

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)

    admin_form_fields = (
        *translated("title"),
        "file",
        *translated("description", "caption", "credit"),
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )
    search_fields = [
        *AbstractImage.search_fields,
        *translated_search_fields("title", "caption", "credit"),
    ]
    api_fields = [
        APIField(name) for name in translated("title", "caption", "credit", "description")
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.title

    def default_content_key(self):
        return f"images/{slugify(getattr(self, 'title_en', None) or self.title) or 'image'}"


class Rendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
