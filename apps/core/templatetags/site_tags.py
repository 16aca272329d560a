"""Template tags shared by every public page: language alternates and direction."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import uri_to_iri
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst

from wagtail.fields import RichTextField
from wagtail.models import Site
from wagtail.templatetags.wagtailcore_tags import richtext

from apps.core import mentions, structured_data
from apps.core.sites import absolute
from apps.core.text import html_to_text, normalise_space
from apps.core.translation_fields import is_filled

register = template.Library()

RTL_LANGUAGES = {"ar"}


def language_direction(code):
    return "rtl" if code in RTL_LANGUAGES else "ltr"


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every site language:
    ``[{code, name, url, absolute_url, dir, attrs, current}]`` (``attrs``: ``lang`` and
    ``dir`` for an element in that language).

    ``url`` is the link for the language switcher (a path); ``absolute_url`` the
    address for canonical, hreflang and Open Graph links. A Wagtail page gives its
    own translated URL (translated slugs) and its full URL from the Site record; any
    other view is reversed by Django's URL resolver in each language and put under
    SITE_URL. Neither ever comes from the request's path or Host header, which the
    client chooses (``GET //evil.example/`` has the path ``//evil.example/``).
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            url = full_url = None
            if page is not None and getattr(page, "pk", None):
                url = page.get_url(request=request)
                full_url = page.get_full_url(request=request)
            if url is None or full_url is None:
                url = _resolved_path(request, code, current)
                full_url = absolute(url)
                query = request.GET.urlencode() if request is not None else ""
                if query and url != f"/{code}/":
                    url = f"{url}?{query}"  # the switcher keeps a search's query
            name = translation.get_language_info(code)["name_local"]
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": full_url,
                "dir": language_direction(code),
                "attrs": format_html(' lang="{}" dir="{}"', code, language_direction(code)),
                "current": code == current,
            }
        )
    return alternates


def _resolved_path(request, code, current):
    """The path of the view answering ``request``, reversed in language ``code``; the
    language's home page when the view has no name or no equivalent in that language."""
    match = getattr(request, "resolver_match", None)
    home = f"/{code}/"
    if match is None or not match.url_name:
        return home
    try:
        path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return home
    if code != current:
        with translation.override(current):
            if path == reverse(match.view_name, args=match.args, kwargs=match.kwargs):
                return home  # the same path in both languages: not a translation
    return path


@register.simple_tag
def canonical_url(alternates):
    """The absolute address of the current language's version (see language_alternates)."""
    for alternate in alternates or ():
        if alternate["current"]:
            return alternate["absolute_url"]
    return absolute(f"/{translation.get_language() or settings.LANGUAGE_CODE}/")


@register.simple_tag
def text_direction(code=None):
    return language_direction(code or translation.get_language())


@register.simple_tag(takes_context=True)
def site_root(context):
    """The root page of the site serving this request (the home page)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site.root_page.specific if site else None


class TranslatedValue:
    """A field's value in the reader's language, or in the other language when missing.

    ``fallback`` says the value is not in the reader's language; templates then show
    a notice and put ``lang``/``dir`` on the text so screen readers switch voice.
    """

    def __init__(self, value, lang, fallback):
        self.value, self.lang, self.fallback = value, lang, fallback
        self.dir = language_direction(lang)

    def __bool__(self):
        return is_filled(self.value)

    def __str__(self):
        return str(self.value or "")

    @property
    def attrs(self):
        if not self.fallback:
            return ""
        return format_html(' lang="{}" dir="{}"', self.lang, self.dir)


@register.simple_tag
def in_language(obj, field_name):
    """``{% in_language page "lead" as lead %}``: the reader's language, else a marked fallback."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    order = [current] + [code for code, _name in settings.LANGUAGES if code != current]
    for code in order:
        value = getattr(obj, f"{field_name}_{code}", None)
        if is_filled(value):
            return TranslatedValue(value, code, fallback=code != current)
    return TranslatedValue(None, current, fallback=False)


@register.inclusion_tag("components/fallback_notice.html")
def fallback_notice(translated, page=None, field_name=None):
    """A visible note, in the reader's language, that the text below is in another
    language, or (given the ``page`` and ``field_name`` it comes from) that it is this
    site's own translation of a text whose original is in the page's source language."""
    language_name = translation.get_language_info(translated.lang)["name_translated"]
    site_translation = (
        not translated.fallback
        and field_name is not None
        and bool(translated)
        and getattr(page, "is_site_translation", None) is not None
        and page.is_site_translation(field_name, translated.lang)
    )
    original = None
    if site_translation:
        # The original of a translation is in another language than the translation:
        # the page's source language, unless the translation is in that language (a
        # page imported from Arabic whose Arabic title the site translated from the
        # official English one).
        source = getattr(page, "source_language", None)
        original = source if source and source != translated.lang else None
        original = original or next(
            code for code, _name in settings.LANGUAGES if code != translated.lang
        )
    return {
        "translated": translated,
        "language_name": language_name,
        "site_translation": site_translation,
        "original_name": (
            translation.get_language_info(original)["name_translated"] if original else ""
        ),
    }


SEPARATORS = {"ar": "، "}


@register.simple_tag
def list_separator():
    """The comma between two items of a caption or a list, in the reader's language:
    «، » in Arabic, ", " otherwise."""
    return SEPARATORS.get(translation.get_language(), ", ")


@register.inclusion_tag("components/card.html", takes_context=True)
def card(context, page, level=2, summary=True, note=None, kind=False):
    """``{% card item level=3 note="source" %}``: a page in a list of cards.

    The card shows what the page's model offers (``card_label``, ``card_date``,
    ``card_summary_field``: see ``apps.core.pages.BasePage``), then the field named by
    ``note`` in the reader's language; ``summary=False`` leaves the summary out;
    ``kind=True`` names the page's type first (in a list of several types).
    """
    summary_field = getattr(page, "card_summary_field", None) if summary else None
    meta = [
        ("text", capfirst(page._meta.verbose_name) if kind else None),
        ("label", getattr(page, "card_label", None)),
        ("date", getattr(page, "card_date", None)),
        ("text", in_language(page, note).value if note else None),
    ]
    return {
        "request": context.get("request"),
        "page": page,
        "level": level,
        "title": in_language(page, "title"),
        "meta": [(kind, value) for kind, value in meta if value],
        "summary": in_language(page, summary_field) if summary_field else None,
    }


@register.simple_tag(takes_context=True)
def link_mentions(context, html):
    """``{% link_mentions value|richtext %}``: site HTML with the Charter articles,
    document symbols and resolutions it mentions linked (their addresses read once
    per request), except mentions of the page being shown: a page never links to
    itself."""
    page = context.get("page")
    here = page.url if getattr(page, "pk", None) else None
    linked = mentions.link_mentions(html, request=context.get("request"), current_url=here)
    return mark_safe(linked)  # noqa: S308 - the linker escapes every text node it emits


@register.simple_tag(takes_context=True)
def translated(context, obj, field_name, element="div", classes="", text_format=None):
    """``{% translated page "lead" classes="lead prose" text_format="richtext" %}``: a
    field in the reader's language (see ``in_language``) in an ``element``, nothing when
    it is empty in both languages. A value borrowed from the other language follows a
    notice that says so, in ``<div class="fallback">``.

    ``text_format``: ``richtext`` (stored rich text) and ``linebreaks`` (plain text made
    paragraphs) have their mentions linked; ``stream`` renders each block of a
    StreamField with this template's context; otherwise the value is escaped text.
    """
    value = in_language(obj, field_name)
    if not value:
        return ""
    class_attr = format_html(' class="{}"', classes) if classes else ""
    content = _formatted(context, value.value, text_format)
    html = format_html("<{}{}{}>{}</{}>", element, class_attr, value.attrs, content, element)
    notice = fallback_notice(value, obj, field_name)
    if value.fallback or notice["site_translation"]:
        wrapper = "fallback" if value.fallback else "site-translation"
        notice = render_to_string("components/fallback_notice.html", notice)
        html = format_html('<div class="{}">{}{}</div>', wrapper, notice, html)
    return html


def _formatted(context, value, text_format):
    if text_format == "richtext":
        return link_mentions(context, richtext(value))
    if text_format == "linebreaks":
        return link_mentions(context, linebreaks_filter(value, autoescape=True))
    if text_format == "stream":
        blocks = [(block.render_as_block(context=context.flatten()),) for block in value]
        return format_html_join("", "{}", blocks)
    return conditional_escape(value)


DESCRIPTION_FIELDS = ("search_description", "intro", "lead", "summary", "text", "commentary")


def field_text(obj, field_name):
    """A field in the reader's language (or the other when missing) as plain text.

    Rich text is stored HTML and becomes the text a reader sees (tags removed,
    entities decoded: :func:`apps.core.text.html_to_text`); a plain text field is
    already text and only has its whitespace collapsed. Either way the result is
    unescaped text, for the template or the feed to escape once.
    """
    value = in_language(obj, field_name).value
    if not is_filled(value):
        return ""
    if isinstance(obj._meta.get_field(field_name), RichTextField):
        return html_to_text(value)
    return normalise_space(value)


@register.simple_tag
def page_description(page, length=160):
    """Plain text for ``<meta name="description">``: the SEO description, else the page's
    own opening text, in the reader's language (or the other when missing). Escaped
    once, by the template."""
    if page is None:
        return ""
    for name in DESCRIPTION_FIELDS:
        if hasattr(page, f"{name}_en"):
            text = field_text(page, name)
            if text:
                return Truncator(text).chars(length)
    return ""


@register.simple_tag
def page_link(query, number):
    """``?<query>&page=<number>``: page ``number`` of a listing filtered by ``query``."""
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.simple_tag
def absolute_url(path):
    """SITE_URL + a path of this site (``{% absolute_url "/en/" %}``)."""
    return absolute(path)


def _crumbs(context, current=None, address=True):
    """The breadcrumb trail of the page in ``context`` (see
    ``apps.core.structured_data.page_crumbs``), or, on a view that is not a page, home
    then ``current`` (at the view's address, unless ``address`` is False: a page not
    found has none); worked out once per request and language."""
    request = context.get("request")
    language = translation.get_language() or settings.LANGUAGE_CODE
    cached = request.__dict__.setdefault("_breadcrumbs", {}) if request is not None else {}
    if language in cached:
        return cached[language]
    page = context.get("page")
    if page is not None and getattr(page, "pk", None) and getattr(page, "depth", None):
        crumbs = structured_data.page_crumbs(page, request, lambda step: in_language(step, "title"))
    else:
        home = f"/{language}/"
        crumbs = [structured_data.Crumb(translation.gettext("Home"), home)]
        if current:
            path = _resolved_path(request, language, language) if request and address else home
            crumbs.append(structured_data.Crumb(current, None if path == home else path))
    cached[language] = crumbs
    return crumbs


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, current=None, address=True):
    """``{% breadcrumbs %}``: where the page sits, from the home page; a view that is
    not a page names itself: ``{% breadcrumbs here %}`` (``address=False``: it has no
    address of its own)."""
    return {"crumbs": _crumbs(context, current, address)}


@register.simple_tag(takes_context=True)
def structured_data_script(context, current=None):
    """``{% structured_data_script %}``: the page's schema.org graph as JSON-LD (see
    ``apps.core.structured_data``): the site with its search, the breadcrumbs and the
    page as its type describes itself (``schema_org``)."""
    page = context.get("page")
    request = context.get("request")
    item = None
    describe = getattr(page, "schema_org", None)
    if describe is not None and getattr(page, "pk", None):
        item = describe(request)
        if item:
            address = page.get_full_url(request=request)
            website_id = f"{structured_data.home_url()}#website"
            item = structured_data.clean(
                {
                    "@id": f"{address}#main" if address else None,
                    "url": address,
                    "inLanguage": translation.get_language(),
                    "isPartOf": {"@id": website_id},
                    **item,
                }
            )
    return structured_data.json_ld(
        structured_data.graph(
            structured_data.website(),
            structured_data.publisher(),
            structured_data.breadcrumb_list(_crumbs(context, current)),
            item,
        )
    )


@register.simple_tag(takes_context=True)
def first_image(context):
    """True the first time a page asks (its first image, likely above the fold: loaded
    at once, with high priority), False after (loaded lazily)."""
    request = context.get("request")
    if request is None:
        return False
    first = not getattr(request, "_image_shown", False)
    request._image_shown = True
    return first


# Where a reader can share a page: plain links to each service's own share address,
# so that no script, image or request of theirs is part of the page.
SHARE_SERVICES = (
    ("email", "mailto:?{}", lambda title, url: {"subject": title, "body": url}),
    ("x", "https://x.com/intent/tweet?{}", lambda title, url: {"text": title, "url": url}),
    ("facebook", "https://www.facebook.com/sharer/sharer.php?{}", lambda title, url: {"u": url}),
    (
        "linkedin",
        "https://www.linkedin.com/sharing/share-offsite/?{}",
        lambda title, url: {"url": url},
    ),
    ("whatsapp", "https://wa.me/?{}", lambda title, url: {"text": f"{title} {url}"}),
)


@register.inclusion_tag("components/share.html", takes_context=True)
def share_links(context):
    """``{% share_links %}``: the current page shared by e-mail, X, Facebook, LinkedIn
    and WhatsApp, and its address to copy, in the reader's language."""
    page = context.get("page")
    request = context.get("request")
    address = page.get_full_url(request=request) if page is not None else None
    if not address:
        return {"links": []}
    title = str(in_language(page, "title"))
    names = {
        "email": translation.gettext("E-mail"),
        "x": "X",
        "facebook": "Facebook",
        "linkedin": "LinkedIn",
        "whatsapp": "WhatsApp",
    }
    links = []
    for service, pattern, params in SHARE_SERVICES:
        query = urlencode(params(title, address))
        if service == "email":
            query = query.replace("+", "%20")  # mail clients read "+" as itself
        links.append({"service": service, "name": names[service], "url": pattern.format(query)})
    # Shown as written (an IRI: Arabic slugs as letters, not percent escapes).
    return {"links": links, "address": uri_to_iri(address)}
