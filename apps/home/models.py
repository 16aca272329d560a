from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from apps.core.models import SourceMixin, translated_api_fields, translated_search_fields


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
        context["latest_news"] = NewsStoryPage.objects.live().public().order_by("-date")[:3]
        context["featured_reports"] = (
            ReportPage.objects.live().public().order_by("-date", "-first_published_at")[:3]
        )
        context["provisions"] = CharterProvisionPage.objects.live().public().order_by("article")
        context["topics"] = TopicPage.objects.live().public().order_by("path")
        return context
