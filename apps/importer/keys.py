"""Content keys ↔ stored objects, shared by the loader and the exporter.

Fixtures and exports name every page, person and image by its content key
(:class:`apps.core.models.ContentKeyMixin`), never by its database id: a reference to
another object, in a field, a StreamField block or rich text, is that object's key.
"""

from wagtail.blocks import PageChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from apps.core.models import ContentKeyMixin

# StreamField blocks whose value is another object: written as that object's key.
CHOOSER_BLOCKS = (PageChooserBlock, SnippetChooserBlock, ImageChooserBlock)


class KeyIndex:
    """Content key ↔ object, across every keyed model (pages, people, images)."""

    def __init__(self):
        self.by_key = {}
        for model in ContentKeyMixin.keyed_models():
            for obj in model._default_manager.exclude(content_key=None):
                self.by_key[obj.content_key] = obj
        self.page_keys = {obj.pk: k for k, obj in self.by_key.items() if isinstance(obj, Page)}

    def get(self, key):
        return self.by_key.get(key)

    def add(self, obj):
        self.by_key[obj.content_key] = obj
        if isinstance(obj, Page):
            self.page_keys[obj.pk] = obj.content_key

    def key_for(self, obj):
        if obj is None:
            return None
        if isinstance(obj, Page):
            return self.page_keys.get(obj.pk) or obj.specific.content_key
        return getattr(obj, "content_key", None)

    def page_key(self, page_id):
        if page_id not in self.page_keys:
            page = Page.objects.filter(pk=page_id).specific().first()
            if page is not None and getattr(page, "content_key", None):
                self.page_keys[page_id] = page.content_key
        return self.page_keys.get(page_id)
