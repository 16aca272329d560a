"""API fields that embed other pages only when the public may see them.

Wagtail's API serves only public pages at ``/api/v2/pages/``, but a field that embeds
a related page (a story's topics, a topic's documents, a News Tracker entry's story)
would otherwise show the related page's id and title whatever its state. These
fields are given to ``APIField(name, serializer=...)`` with ``source`` naming a model
method or property that applies ``apps.core.visibility``; each item is serialised by
the nested serializer Wagtail built for the field (so ``?fields=topics(title_ar)``
still works), and the output has Wagtail's usual shape.
"""

from rest_framework.fields import Field


class _Embedded(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def nested_serializer(self):
        serializer_class = self.parent.child_serializer_classes[self.field_name]
        return serializer_class(context=self.context)


class PublicRelationField(_Embedded):
    """A many-to-many or child relation: the list that ``source`` returns."""

    def to_representation(self, items):
        serializer = self.nested_serializer()
        return [serializer.to_representation(item) for item in items]


class PublicPageField(_Embedded):
    """A foreign key to a page: ``source`` returns the page, or ``None`` (``null``)."""

    def to_representation(self, page):
        return self.nested_serializer().to_representation(page)
