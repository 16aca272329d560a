from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .models import SearchDocument
from .tasks import refresh_search_documents as refresh_task


@receiver(page_published)
@receiver(page_unpublished)
def refresh_search_documents(sender, instance, **kwargs):
    """Queued with the publication, in its transaction: a worker sees the task only
    once the page it names is committed, and never for a rolled-back publication."""
    refresh_task.enqueue(instance.pk)


@receiver(post_delete, sender=Page)
def forget_search_documents(sender, instance, **kwargs):
    SearchDocument.objects.filter(page_id=instance.pk).delete()
