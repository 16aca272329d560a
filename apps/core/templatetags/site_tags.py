"""Template tags shared by every public page: language alternates and direction."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()

RTL_LANGUAGES = {"ar"}


def language_direction(code):
    return "rtl" if code in RTL_LANGUAGES else "ltr"


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every site language: ``[{code, name, url, dir, current}]``.

    A Wagtail page gives its own translated URL (translated slugs); any other
    view is translated through Django's URL resolver.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if page is not None and getattr(page, "pk", None):
                url = page.get_url(request=request)
            elif request is not None:
                url = translate_url(request.get_full_path(), code)
                if code != current and url == request.get_full_path():
                    url = f"/{code}/"  # a path with no equivalent: the language's home
            else:
                url = f"/{code}/"
            name = translation.get_language_info(code)["name_local"]
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "dir": language_direction(code),
                "current": code == current,
            }
        )
    return alternates


@register.simple_tag
def text_direction(code=None):
    return language_direction(code or translation.get_language())


@register.simple_tag(takes_context=True)
def site_root(context):
    """The root page of the site serving this request (the home page)."""
    from wagtail.models import Site

    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.specific if site else None
