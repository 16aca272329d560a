"""The translation view of a page: the source beside its translation, unit by unit.

Each translated field, StreamField block and inline row of the page's latest revision
is a row: the source language's text (read-only), what changed in it since the
translation was made (a word-level diff), and the translation's inputs. Saving writes
the texts that changed into the page's translation-language columns and saves a new
revision, as the page editor does (same permissions, lock and workflow); "Submit for
moderation" then starts or resumes the page's workflow. Nothing is stored besides the
page's revisions and the translation records that every revision updates.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Page, WorkflowState

from apps.core.permissions import translation_languages

from .forms import TranslationForm, direction
from .records import changed_units, mark_still_correct, records_of, target_languages, units_for
from .units import apply_translations, save_snippets

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def translation_url(page, language=None):
    url = reverse("editorial_translate", args=[page.pk])
    return f"{url}?language={language}" if language else url


def languages_for(page, user):
    """The languages ``user`` may translate ``page`` into from this view."""
    allowed = translation_languages(user, page)
    return [code for code in target_languages(page) if allowed is None or code in allowed]


class TranslationView(WagtailAdminTemplateMixin, FormView):
    template_name = "editorial/translate.html"
    header_icon = "globe"
    page_title = gettext_lazy("Translate")

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not hasattr(self.page, "source_language"):
            raise PermissionDenied
        self.permissions = self.page.permissions_for_user(request.user)
        if not self.permissions.can_edit():
            raise PermissionDenied
        languages = languages_for(self.page, request.user)
        if not languages:
            raise PermissionDenied
        asked = request.POST.get("language") or request.GET.get("language")
        self.language = asked if asked in languages else languages[0]
        self.languages = languages
        self.draft = self.page.get_latest_revision_as_object()
        self.records = records_of(self.page.pk, self.language)
        self.units = units_for(self.draft, self.language, self.records)
        self.changes = {c.unit.key: c for c in changed_units(self.units, self.records)}
        self.snippet_keys = {u.key for u in self.units if u.is_snippet}
        lock = self.page.get_lock()
        self.lock_message = lock.get_message(request.user) if lock else None
        self.locked = bool(lock and lock.for_user(request.user))
        return super().dispatch(request, page_id)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("editorial_translation_status"), "label": _("Translations")},
            {"url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]), "label": str(self)},
            {"url": "", "label": _("Translate")},
        ]

    def __str__(self):
        return self.page.get_admin_display_title()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": self.units, "language": self.language}

    def get_form(self, form_class=None):
        return TranslationForm(
            **self.get_form_kwargs(), changed=set(self.changes), may_change=self.may_change
        )

    def may_change(self, unit):
        if not unit.is_snippet:
            return True
        opts = unit.snippet._meta
        return self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        rows = []
        for row in form.rows():
            row["change"] = self.changes.get(row["unit"].key)
            rows.append(row)
        workflow_state = self.page.current_workflow_state
        context.update(
            page=self.page,
            rows=rows,
            language=self.language,
            language_name=LANGUAGE_NAMES[self.language],
            languages=[(code, LANGUAGE_NAMES[code]) for code in self.languages],
            source=self.page.source_language,
            source_name=LANGUAGE_NAMES[self.page.source_language],
            source_direction=direction(self.page.source_language),
            direction=direction(self.language),
            changed_count=len(self.changes),
            media=form.media,
            action_url=translation_url(self.page, self.language),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            locked=self.locked,
            lock_message=self.lock_message,
            can_submit=self.can_submit(),
            in_moderation=bool(workflow_state and workflow_state.is_active),
            preview_url=self.preview_url(),
        )
        return context

    def preview_url(self):
        if not self.page.is_previewable():
            return None
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[self.page.pk])
        return f"{url}?mode={self.language}"

    def can_submit(self):
        workflow_state = self.page.current_workflow_state
        if workflow_state and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return False  # already waiting for a moderator, who reviews the latest revision
        return self.page.get_workflow() is not None and (
            self.permissions.can_submit_for_moderation()
        )

    def form_valid(self, form):
        if self.locked:
            raise PermissionDenied
        values = form.changed_translations()
        confirmed = form.still_correct() - set(values)
        revision = None
        try:
            with transaction.atomic():
                page_values = {k: v for k, v in values.items() if k not in self.snippet_keys}
                if page_values:
                    apply_translations(self.draft, self.language, self.units, page_values)
                    if not self.page.live:
                        # As Wagtail's editor does: a page never published is its draft.
                        self.draft.save()
                    revision = self.draft.save_revision(
                        user=self.request.user, log_action=True, clean=True
                    )
                for snippet in save_snippets(self.language, self.units, values):
                    log(instance=snippet, action="wagtail.edit", user=self.request.user)
                if confirmed:
                    latest = Page.objects.get(pk=self.page.pk).specific
                    mark_still_correct(
                        latest.get_latest_revision_as_object(),
                        self.language,
                        confirmed,
                        user=self.request.user,
                        revision=revision or latest.latest_revision,
                    )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(None, f"{name}: {' '.join(errors)}")
            return self.form_invalid(form)
        title = self.page.get_admin_display_title()
        if "action-submit" in self.request.POST and self.can_submit():
            self.submit(revision)
            messages.success(
                self.request,
                _("The translation of '%(title)s' has been submitted for moderation.")
                % {"title": title},
            )
            return redirect("editorial_translation_status")
        if values or confirmed:
            messages.success(
                self.request, _("The translation of '%(title)s' has been saved.") % {"title": title}
            )
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect(translation_url(self.page, self.language))

    def submit(self, revision):
        page = Page.objects.get(pk=self.page.pk).specific
        workflow_state = page.current_workflow_state
        if workflow_state and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            workflow_state.resume(self.request.user)
        else:
            page.get_workflow().start(page, self.request.user)
