from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .documents import update_documents
from .models import SearchDocument


@receiver(page_published)
@receiver(page_unpublished)
def refresh_search_documents(sender, instance, **kwargs):
    update_documents(instance)


@receiver(post_delete, sender=Page)
def forget_search_documents(sender, instance, **kwargs):
    SearchDocument.objects.filter(page_id=instance.pk).delete()
