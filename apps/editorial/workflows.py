"""The "Moderation" workflow and the sections it covers."""

from wagtail.models import Workflow, WorkflowPage

MODERATION = "Moderation"


def moderated_sections():
    from apps.news.models import NewsIndexPage
    from apps.reports.models import ReportIndexPage

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
