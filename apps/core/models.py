"""Translated-field helpers, the content key of stored objects, and the site's image model."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.api import APIField
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.search import index


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

    # Fields that identify a stored object apart from its key, tried in order when a record
    # with a key new to the site is imported: ``("symbol", "summary")`` finds a report by
    # its document symbol, else by its summary.
    natural_key_fields = ()

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

    @classmethod
    def keyed_models(cls):
        """Every concrete model with a content key: what fixtures and exports hold."""
        return [m for m in apps.get_models() if issubclass(m, cls) and not m._meta.abstract]

    @classmethod
    def model_for(cls, label):
        """The keyed model called ``label`` ("news.NewsStoryPage"), or LookupError."""
        for model in cls.keyed_models():
            if model._meta.label == label:
                return model
        raise LookupError(f"{label!r} is not a model with a content key")

    @classmethod
    def for_key(cls, key):
        """The stored object of this model with the content key ``key``, or None."""
        return cls._default_manager.filter(content_key=key).first()

    @classmethod
    def for_natural_key(cls, conditions):
        """The first stored object that meets the condition (a ``Q``) given for one of
        ``natural_key_fields``, tried in their order; fields without one are skipped."""
        for name in cls.natural_key_fields:
            if conditions.get(name) is not None:
                found = cls._default_manager.filter(conditions[name]).first()
                if found is not None:
                    return found
        return None

    def default_content_key(self):
        raise NotImplementedError


class CustomImage(ContentKeyMixin, AbstractImage):
    """An image with a translated caption and photo credit (e.g. "UN Photo/Duncan Moore")."""

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)

    natural_key_fields = ("credit",)

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
