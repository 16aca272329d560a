"""The "Moderation" workflow and the sections it covers."""

from django.dispatch import receiver

from wagtail.models import Workflow, WorkflowPage

from apps.core.events import content_loaded
from apps.news.models import NewsIndexPage
from apps.reports.models import ReportIndexPage

MODERATION = "Moderation"


def moderated_sections():
    return [*NewsIndexPage.objects.all(), *ReportIndexPage.objects.all()]


def attach_moderation_workflow():
    """Cover the news and report sections (and so every story and report) with Moderation.

    Returns the sections newly attached. A section that an administrator gave
    another workflow keeps it.
    """
    workflow = Workflow.objects.filter(name=MODERATION, active=True).first()
    if workflow is None:
        return []
    attached = []
    for section in moderated_sections():
        _link, created = WorkflowPage.objects.get_or_create(
            page=section.page_ptr, defaults={"workflow": workflow}
        )
        if created:
            attached.append(section)
    return attached


@receiver(content_loaded)
def moderate_loaded_sections(sender, **kwargs):
    """After ``load_content``: the sections it created are covered by Moderation."""
    return [f"The Moderation workflow now covers {s.title}." for s in attach_moderation_workflow()]
