"""Translation records follow every saved page revision (see :mod:`apps.editorial.records`)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Revision

from apps.core.events import pages_created
from apps.core.pages import SourceMixin

from .records import record_new_pages, record_revision


@receiver(post_save, sender=Revision)
def record_translations(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "content" not in update_fields):
        return
    model = instance.content_type.model_class()
    if model is None or not issubclass(model, SourceMixin):
        return
    record_revision(instance)


@receiver(pages_created)
def record_translations_of_new_pages(sender, revisions, **kwargs):
    record_new_pages(revisions)
