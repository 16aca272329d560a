from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .status import page_types, translation_status


class TranslationStatusView(WagtailAdminTemplateMixin, TemplateView):
    """The translation dashboard: pages whose translations are missing or out of date."""

    template_name = "editorial/translation_status.html"
    page_title = _("Translations")
    header_icon = "globe"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": _("Home")},
        {"url": "", "label": _("Translations")},
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        languages = dict(settings.LANGUAGES)
        language = self.request.GET.get("language")
        language = language if language in languages else None
        types = page_types()
        page_type = self.request.GET.get("type")
        page_type = page_type if page_type in {label for label, _name in types} else None
        statuses = translation_status(language=language, page_type=page_type)
        context.update(
            statuses=statuses,
            languages=settings.LANGUAGES,
            selected_language=language,
            types=types,
            selected_type=page_type,
            counts={code: sum(1 for s in statuses if s.language == code) for code in languages},
        )
        return context


class TranslationSummaryPanel(Component):
    """On the admin home: how many pages need translating, per language, and the pages
    whose source changed since their translation, each with its translation view."""

    name = "translation_summary"
    template_name = "editorial/translation_summary_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        statuses = translation_status()
        return {
            "rows": [
                {
                    "code": code,
                    "name": name,
                    "missing": sum(1 for s in statuses if s.language == code and s.missing),
                    "outdated": sum(1 for s in statuses if s.language == code and s.outdated),
                }
                for code, name in settings.LANGUAGES
            ],
            "url": reverse_lazy("editorial_translation_status"),
            "changed": [s for s in statuses if s.changed][: self.listed],
        }

    listed = 10
