from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from .mentions import forget


@receiver(page_published)
@receiver(page_unpublished)
def forget_mention_targets(sender, **kwargs):
    forget()
