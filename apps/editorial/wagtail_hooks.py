import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from apps.core.permissions import is_translator_only

from .admin_strings import COPY_CONTENT_FROM
from .moderation import moderation_preview_buttons, page_viewsets
from .translation_view import TranslationView, languages_for, translation_url
from .views import TranslationStatusView, TranslationSummaryPanel


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path(
            "translations/",
            TranslationStatusView.as_view(),
            name="editorial_translation_status",
        ),
        path(
            "translations/page/<int:page_id>/",
            TranslationView.as_view(),
            name="editorial_translate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_translation_status_menu_item():
    return MenuItem(
        _("Translations"),
        reverse("editorial_translation_status"),
        icon_name="globe",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_translation_summary_panel(request, panels):
    panels.append(TranslationSummaryPanel())


class TranslateButton(PageMenuItem):
    """ "Translate side by side": the page's translation view."""

    label = _("Translate side by side")
    icon_name = "globe"

    @property
    def url(self):
        return translation_url(self.page)

    def is_shown(self, user):
        return (
            hasattr(self.page.specific_class, "source_language")
            and self.page.permissions_for_user(user).can_edit()
            and bool(languages_for(self.page.specific_deferred, user))
        )


@hooks.register("register_page_header_buttons")
def translate_header_button(page, user, view_name, next_url=None):
    yield TranslateButton(page=page, priority=12)
    if view_name == "edit":
        yield from moderation_preview_buttons(page, user, settings.LANGUAGES)


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    # The moderation preview in both languages, for every page type (moderation.py).
    return page_viewsets()


@hooks.register("register_page_listing_more_buttons")
def translate_listing_button(page, user, next_url=None):
    yield TranslateButton(page=page, priority=3)


@hooks.register("before_delete_page")
def translators_cannot_delete(request, page):
    if is_translator_only(request.user):
        raise PermissionDenied


@hooks.register("insert_global_admin_js")
def translation_admin_js():
    """Direction by language everywhere in the admin (static/js/admin-translation.js),
    with the translations it puts in place of wagtail-modeltranslation's English."""
    names = {code: str(name) for code, name in settings.LANGUAGES}
    return format_html(
        '<script src="{}" data-copy-label="{}" data-language-names="{}"></script>',
        static("js/admin-translation.js"),
        COPY_CONTENT_FROM,
        json.dumps(names, ensure_ascii=False),
    )


@hooks.register("insert_global_admin_css")
def translation_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-translation.css"))
