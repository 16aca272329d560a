from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.search import index

from apps.core.forms import OneLineTextForm
from apps.core.models import ContentKeyMixin, translated, translated_search_fields


class Person(ContentKeyMixin, index.Indexed, models.Model):
    """Someone quoted or mentioned: the Secretary-General, a President of the General Assembly."""

    natural_key_fields = ("name",)

    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]
    base_form_class = OneLineTextForm  # names and roles lose bidi override controls
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        *translated_search_fields("name", "role"),
    ]
    api_fields = [APIField(name) for name in translated("name", "role")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def default_content_key(self):
        return f"people/{slugify(getattr(self, 'name_en', None) or self.name) or 'person'}"
