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
    """Content key ↔ object, across every keyed model (pages, people, images).

    It reads every key with its model and id at the start (a few columns a row, so an
    archive of 50,000 pages costs a few megabytes) and an object only when it is asked
    for (:meth:`get`), or for many keys at once (:meth:`load`).
    """

    def __init__(self):
        self.by_key = {}  # key → object, as loaded or added
        self.by_id = {}  # (model, id) → the same objects
        self.stored = {}  # key → (model, id) of every stored object
        self.page_keys = {}  # page id → key
        for model in ContentKeyMixin.keyed_models():
            rows = model._default_manager.exclude(content_key=None).values_list("content_key", "pk")
            for key, pk in rows:
                self.stored[key] = (model, pk)
                if issubclass(model, Page):
                    self.page_keys[pk] = key

    def __contains__(self, key):
        return key in self.by_key or key in self.stored

    def get(self, key):
        if key not in self.by_key and key in self.stored:
            self.load([key])
        return self.by_key.get(key)

    def id_of(self, key):
        """The id of the object with ``key`` (None if there is none), without reading it."""
        if key in self.by_key:
            return self.by_key[key].pk
        stored = self.stored.get(key)
        return stored[1] if stored else None

    def held(self, model, pk):
        """The object of ``model`` (exactly) with id ``pk`` if it is held (read or
        added), without a query; else None."""
        return self.by_id.get((model, pk))

    def load(self, keys):
        """Read the stored objects of ``keys`` (those not read yet): a query per model."""
        wanted = {}
        for key in keys:
            if key not in self.by_key and key in self.stored:
                model, pk = self.stored[key]
                wanted.setdefault(model, []).append(pk)
        for model, pks in wanted.items():
            for start in range(0, len(pks), 1000):
                for obj in model._default_manager.filter(pk__in=pks[start : start + 1000]):
                    self.by_key[obj.content_key] = obj
                    self.by_id[model, obj.pk] = obj

    def let_go(self):
        """Forget the objects read or added (keeping their model and id), to read them
        again if they are asked for."""
        for key, obj in self.by_key.items():
            if obj.pk is not None:
                self.stored[key] = (type(obj), obj.pk)
        self.by_key, self.by_id = {}, {}

    def add(self, obj):
        self.by_key[obj.content_key] = obj
        self.by_id[type(obj), obj.pk] = obj
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
