"""Moderation in both languages: the moderator's preview of a page awaiting review.

Wagtail's moderation preview (``workflow_preview``: the "Preview" of the dashboard's
"Awaiting your review" and of the notification e-mails) shows the revision that was
submitted, in the page type's first preview mode. Here it takes ``?mode=en`` or
``?mode=ar`` like the editor's preview (without one, the admin's language), and shows
the page's latest revision, which is what approving publishes (translators may add
the translation while the page waits; see :class:`apps.editorial.models.ModerationTask`).
Every page type with a source language gets this view through a page viewset.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.pages.workflow import PreviewRevisionForTaskView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import get_page_models

from apps.core.pages import SourceMixin


class ModerationPreviewView(PreviewRevisionForTaskView):
    def get(self, request, *args, **kwargs):
        if not self.task_state:
            self.add_error_message()
            return redirect("wagtailadmin_home")
        if not self.task.get_actions(self.object, request.user):
            raise PermissionDenied
        revision = self.object.get_latest_revision()
        page = revision.as_object()
        modes = dict(page.preview_modes)
        mode = request.GET.get("mode")
        if mode not in modes:  # the admin's language, else the page type's first mode
            language = translation.get_language()
            mode = language if language in modes else page.default_preview_mode
        return page.make_preview_request(
            request, mode, extra_request_attrs={"revision_id": revision.id}
        )


class TranslatedPageViewSet(PageViewSet):
    workflow_preview_view_class = ModerationPreviewView


def page_viewsets():
    return [
        TranslatedPageViewSet(name=f"moderation_{model._meta.label_lower}", model=model)
        for model in get_page_models()
        if issubclass(model, SourceMixin)
    ]


def task_awaiting(page, user):
    """The task a moderator may act on for ``page`` now, or None."""
    state = page.current_workflow_task_state
    if state is None:
        return None
    task = state.task.specific
    return task if task.get_actions(page, user) else None


class ModerationPreviewButton(PageMenuItem):
    """ "Preview for review (English / Arabic)" in the page header, while a moderator
    may approve the page."""

    icon_name = "view"

    def __init__(self, *, page, language, name, task, priority):
        super().__init__(
            label=_("Preview for review (%(language)s)") % {"language": name},
            page=page,
            priority=priority,
        )
        self.language = language
        self.task = task

    @property
    def url(self):
        url = reverse("wagtailadmin_pages:workflow_preview", args=[self.page.pk, self.task.pk])
        return f"{url}?mode={self.language}"

    def is_shown(self, user):
        return True


def moderation_preview_buttons(page, user, languages):
    task = task_awaiting(page, user)
    if task is None:
        return []
    return [
        ModerationPreviewButton(page=page, language=code, name=name, task=task, priority=13 + index)
        for index, (code, name) in enumerate(languages)
    ]
