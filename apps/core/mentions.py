"""Links from mentions in running text to the pages they name.

The linker knows three kinds of mention, each found by its rule in
:mod:`apps.core.rules`: a Charter article ("Article 99", "المادتين 98 و99"), a document
symbol ("S/2015/730") and a resolution ("resolution 65/283", "قرار … 2171 (2014)",
"A/RES/65/283"). The apps that publish the pages register, per kind,
the page type and the field that holds the key of a mention (:func:`register`, from
their ``AppConfig.ready()``): the article number, the symbol, the number of a
resolution that asked for a report, which a function may turn into the key
(:func:`apps.core.rules.symbols.resolution_number`). The public pages of every kind and
their addresses in the active language are read in one query, and remembered until
the next change the public can see (:func:`apps.core.page_cache.remembered`). A kind
nobody registered links nothing.

A symbol, or a resolution whose symbol its number tells
(:func:`apps.core.rules.symbols.resolution_symbol`), that names no page of the site
links to the official document itself, in the Official Document System in the text's
language (:func:`apps.core.rules.symbols.official_document_url`).

Works on HTML that the site produced (escaped text or Wagtail rich text): only text
outside links is touched, and every inserted piece is escaped.
"""

from html import escape
from html.parser import HTMLParser

from django.db.models import F, Q
from django.utils import translation

from wagtail.models import Page

from .page_cache import remembered
from .rules.charter import article_spans
from .rules.symbols import (
    official_document_url,
    resolution_mentions,
    resolution_symbol,
    symbol_mentions,
)
from .visibility import public_pages

ARTICLE, SYMBOL, RESOLUTION = "articles", "symbols", "resolutions"
# Each kind's mentions in a text: (start, end, key of the page, symbol of the official
# document or None).
KINDS = {
    ARTICLE: lambda text: [(a.start, a.end, a.article, None) for a in article_spans(text)],
    SYMBOL: lambda text: [(m.start, m.end, m.symbol, m.symbol) for m in symbol_mentions(text)],
    RESOLUTION: lambda text: [
        (m.start, m.end, m.number, resolution_symbol(m.body, m.number))
        for m in resolution_mentions(text)
    ],
}
CACHE_NAME = "mentions"

_lookups = {}


def register(kind, model, field, key=None):
    """Have mentions of ``kind`` (ARTICLE, SYMBOL, RESOLUTION) linked to the public pages
    of ``model`` whose ``field`` (a lookup from the model: ``"article"``,
    ``"mandates__number"``) holds their key, or what ``key(value)`` makes of it."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of mention {kind!r}: one of {', '.join(KINDS)}")
    if not issubclass(model, Page) or model is Page:
        raise ValueError(f"mentions of {kind} must name a page type, not {model!r}")
    ancestors = [parent for parent in model._meta.get_parent_list() if issubclass(parent, Page)]
    route = [parent._meta.model_name for parent in reversed(ancestors) if parent is not Page]
    _lookups[kind] = ("__".join([*route, model._meta.model_name, field]), key)


def lookup_targets():
    """``{kind: {key: url}}`` of the public pages, in the active language, from one
    query: one row per page and value of each kind's field (a report asked for by two
    resolutions comes twice), in the tree's order, so that the first page with a key
    wins (the first report for a resolution that asked for several)."""
    found = {kind: {} for kind in KINDS}
    if not _lookups:
        return found
    fields = {f"_mention_{kind}": path for kind, (path, _key) in _lookups.items()}
    wanted = Q()
    for path in fields.values():
        wanted |= Q(**{f"{path}__isnull": False})
    pages = public_pages(Page.objects.filter(wanted)).annotate(
        **{name: F(path) for name, path in fields.items()}
    )
    urls = {}
    for page in pages.order_by("path"):
        if page.pk not in urls:
            urls[page.pk] = page.url
        for kind, (_path, key) in _lookups.items():
            value = getattr(page, f"_mention_{kind}")
            if value is not None and value != "":
                found[kind].setdefault(key(value) if key else value, urls[page.pk])
    return found


def targets(language):
    """``{"articles": {99: url}, "symbols": {...}, "resolutions": {...}}`` for a language,
    read once until the next change the public can see (publishing, unpublishing,
    moving, a restriction: ``apps.core.signals``)."""

    def lookup():
        with translation.override(language):
            return lookup_targets()

    return remembered(f"{CACHE_NAME}:{language}", lookup)


def targets_for_request(language, request):
    """``targets(language)`` read once for the whole ``request`` (one cache read per
    page rather than one per text node); without a request, read each time."""
    if request is None:
        return targets(language)
    found = request.__dict__.setdefault("_mention_targets", {})
    if language not in found:
        found[language] = targets(language)
    return found[language]


def _link(text, url, official):
    """A mention's link (none without ``url``); ``official``: the language of the
    official document it leads to."""
    if not url:
        return text
    if official:
        attrs = f'class="mention mention--official" hreflang="{official}"'
        return f'<a {attrs} href="{escape(url)}">{text}</a>'
    return f'<a class="mention" href="{escape(url)}">{text}</a>'


def link_text(text, language, found=None, current_url=None):
    """Escaped HTML for plain ``text`` with its mentions linked (``found``: the
    ``targets`` of the language, when the caller has them): to the page of the site
    that a mention names, else to the official document it names. A mention of the
    page at ``current_url`` stays text, so that a page never links to itself."""
    found = targets(language) if found is None else found
    spans = []
    for kind, mentions in KINDS.items():
        urls = found[kind]
        for start, end, key, symbol in mentions(text):
            if key in urls:
                spans.append((start, end, urls[key], None))
            elif symbol:
                spans.append((start, end, official_document_url(symbol, language), language))
    if current_url:
        spans = [span if span[2] != current_url else (*span[:2], None, None) for span in spans]
    out, position = [], 0
    # Overlapping mentions: the first one wins, and at the same place a page of the
    # site wins over the official document ("A/RES/65/283" is a symbol and a resolution).
    for start, end, url, official in sorted(spans, key=lambda span: (span[0], bool(span[3]))):
        if start < position:
            continue
        out.append(escape(text[position:start], quote=False))
        out.append(_link(escape(text[start:end], quote=False), url, official))
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


class _Linker(HTMLParser):
    def __init__(self, language, found, current_url=None):
        super().__init__(convert_charrefs=True)
        self.language, self.found, self.out, self.in_link = language, found, [], 0
        self.current_url = current_url

    def handle_starttag(self, tag, attrs):
        self.in_link += tag == "a"
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.in_link -= tag == "a" and self.in_link > 0
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(
            escape(data, quote=False)
            if self.in_link
            else link_text(data, self.language, self.found, self.current_url)
        )


def link_mentions(html, language=None, request=None, current_url=None):
    """The same HTML with mentions outside existing links turned into links; the
    targets are read once per call, or once per ``request`` when given. Mentions of
    the page at ``current_url`` (the page being shown) are left as text."""
    language = language or translation.get_language()
    linker = _Linker(language, targets_for_request(language, request), current_url)
    linker.feed(str(html))
    linker.close()
    return "".join(linker.out)
