"""The "Moderation" workflow and the sections it covers, and its name in the admin's
language."""

from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.functional import Promise

from wagtail.models import Task, Workflow, WorkflowPage

from apps.core.events import content_loaded
from apps.news.models import NewsIndexPage
from apps.reports.models import ReportIndexPage

from .admin_strings import WORKFLOW_NAMES
from .models import ModerationTask

MODERATION = "Moderation"
NAMED_MODELS = (Workflow, Task, ModerationTask)


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


# The names of the editorial workflow and task are shown in the admin's language: an
# instance read with a name of WORKFLOW_NAMES holds its lazy translation, and is saved
# with the stored name again (also when a form sends the name as it was shown).


def show_translated_name(sender, instance, **kwargs):
    name = instance.__dict__.get("name")
    if isinstance(name, str) and name in WORKFLOW_NAMES:
        instance.name = WORKFLOW_NAMES[name]


def store_original_name(sender, instance, **kwargs):
    name = instance.__dict__.get("name")
    for original, lazy in WORKFLOW_NAMES.items():
        if name is lazy or (isinstance(name, Promise) and str(name) == str(lazy)):
            instance.name = original
            return
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                if isinstance(name, str) and name == str(lazy) and name != original:
                    instance.name = original
                    return


for model in NAMED_MODELS:
    post_init.connect(show_translated_name, sender=model, dispatch_uid=f"name-{model.__name__}")
    pre_save.connect(store_original_name, sender=model, dispatch_uid=f"store-{model.__name__}")
