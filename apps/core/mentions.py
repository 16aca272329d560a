"""Links from mentions in running text to the pages they name.

"Article 99" / "المادة 99" → that Charter provision; a document symbol
("S/2015/730") → its report; a resolution ("resolution 65/283", "قرار … 2171 (2014)")
→ the report it mandated. Works on HTML that the site produced (escaped text
or Wagtail rich text): only text outside links is touched, and every inserted
piece is escaped.
"""

import re
from html import escape
from html.parser import HTMLParser

from django.core.cache import cache
from django.utils import translation

from .visibility import public_pages

ARTICLE = re.compile(
    r"(?P<word>\bArticles?|المادتين|المادتان|المادة|والمادة)\s+"
    r"(?P<first>[0-9٠-٩]{1,3})(?:\s*(?:and|و|،|,)\s*(?P<second>[0-9٠-٩]{1,3}))?"
)
SYMBOL = re.compile(r"\b(?:A|S|E)/(?:RES/|PRST/)?\d+(?:/\d+)+\b")
RESOLUTION = re.compile(r"\b(?P<number>\d{2,3}/\d{1,4}|\d{3,4}\s*\(\d{4}\))")
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
CACHE_KEY = "mentions:{language}"


def targets(language):
    """``{"articles": {99: url}, "symbols": {...}, "resolutions": {...}}`` for a language."""
    key = CACHE_KEY.format(language=language)
    found = cache.get(key)
    if found is None:
        from apps.charter.models import CharterProvisionPage
        from apps.reports.models import ReportPage

        with translation.override(language):
            provisions = public_pages(CharterProvisionPage.objects.all())
            articles = {p.article: p.url for p in provisions}
            symbols, resolutions = {}, {}
            reports = public_pages(ReportPage.objects.prefetch_related("mandates"))
            for report in reports:
                if report.symbol:
                    symbols[report.symbol] = report.url
                for mandate in report.mandates.all():
                    resolutions.setdefault(mandate.number.replace(" ", ""), report.url)
        found = {"articles": articles, "symbols": symbols, "resolutions": resolutions}
        cache.set(key, found, 60 * 60)
    return found


def forget():
    """Called when pages are published, unpublished or moved, and when a view
    restriction is added, changed or removed (``apps.core.signals``)."""
    from django.conf import settings

    cache.delete_many([CACHE_KEY.format(language=code) for code, _ in settings.LANGUAGES])


def _link(text, url):
    return f'<a class="mention" href="{escape(url)}">{text}</a>' if url else text


def link_text(text, language):
    """Escaped HTML for plain ``text`` with its mentions linked."""
    found = targets(language)
    spans = []
    for match in ARTICLE.finditer(text):
        numbers = [match.group("first"), match.group("second")]
        for group, number in zip(("first", "second"), numbers, strict=True):
            if number and int(number.translate(ARABIC_DIGITS)) in found["articles"]:
                start, end = match.span(group)
                if group == "first":
                    start = match.start()
                url = found["articles"][int(number.translate(ARABIC_DIGITS))]
                spans.append((start, end, url))
    for match in SYMBOL.finditer(text):
        if match.group(0) in found["symbols"]:
            spans.append((*match.span(), found["symbols"][match.group(0)]))
    for match in RESOLUTION.finditer(text):
        number = match.group("number").replace(" ", "")
        if number in found["resolutions"]:
            spans.append((*match.span(), found["resolutions"][number]))
    out, position = [], 0
    for start, end, url in sorted(spans):
        if start < position:
            continue  # overlapping mention: the first one wins
        out.append(escape(text[position:start], quote=False))
        out.append(_link(escape(text[start:end], quote=False), url))
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


class _Linker(HTMLParser):
    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language, self.out, self.in_link = language, [], 0

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
            escape(data, quote=False) if self.in_link else link_text(data, self.language)
        )


def link_mentions(html, language=None):
    """The same HTML with mentions outside existing links turned into links."""
    linker = _Linker(language or translation.get_language())
    linker.feed(str(html))
    linker.close()
    return "".join(linker.out)
