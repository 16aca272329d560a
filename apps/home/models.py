from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from apps.core.models import translated_api_fields, translated_search_fields
from apps.core.pages import SourceMixin
from apps.core.visibility import public_pages


class HomePage(SourceMixin, Page):
    """The site root: an introduction and the doors into news, reports and the Charter."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *SourceMixin.provenance_api_fields]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from apps.charter.models import CharterProvisionPage
        from apps.news.models import NewsStoryPage
        from apps.reports.models import ReportPage
        from apps.topics.models import TopicPage

        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = public_pages(NewsStoryPage.objects.order_by("-date"))[:3]
        context["featured_reports"] = public_pages(
            ReportPage.objects.order_by("-date", "-first_published_at")
        )[:3]
        context["provisions"] = public_pages(CharterProvisionPage.objects.order_by("article"))
        context["topics"] = public_pages(TopicPage.objects.order_by("path"))
        return context

    def menu_pages(self):
        """The sections in the site's navigation: children shown in menus, public only."""
        return public_pages(self.get_children().in_menu())
