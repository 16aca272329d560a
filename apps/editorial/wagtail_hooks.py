from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from apps.core.permissions import is_translator_only

from .views import TranslationStatusView, TranslationSummaryPanel


@hooks.register("register_admin_urls")
def register_translation_status_url():
    return [
        path(
            "translations/",
            TranslationStatusView.as_view(),
            name="editorial_translation_status",
        )
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


@hooks.register("before_delete_page")
def translators_cannot_delete(request, page):
    if is_translator_only(request.user):
        raise PermissionDenied


@hooks.register("insert_editor_js")
def translation_editor_js():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<script src="{}"></script>', static("js/admin-translation.js"))
