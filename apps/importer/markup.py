"""The fixtures' inline markup and Wagtail rich text, each into the other.

Markup is plain text with links written ``[text](target)`` (the one link grammar,
:mod:`apps.core.rules.links`); paragraphs are separated by a blank line. A target is
``http(s)://…``, a site path ``/…``, or ``page:KEY`` for a page of this site. An empty
or ``#`` target keeps the text without a link. Any other target (``javascript:``,
``data:``…) is refused (:func:`markup_to_html` raises ValueError naming it); text is
always escaped, so markup in the source is shown as text and never interpreted.
"""

import re
from html import escape
from html.parser import HTMLParser

from apps.core.rules.links import escape_text, link_texts, safe_target, split_links

PAGE_TARGET = re.compile(r"^page:(?P<key>[a-z0-9][a-z0-9/_\-]*)$")


def paragraphs(markup):
    return [p.strip() for p in re.split(r"\n\s*\n", markup or "") if p.strip()]


def iter_segments(paragraph):
    """Yield ``(text, target)`` pairs; ``target`` is None for plain text and for a link
    whose target is empty or ``#``."""
    for text, target in split_links(paragraph):
        target = (target or "").strip()
        yield text, (target if target not in ("", "#") else None)


def strip_links(markup):
    """Markup with every link replaced by its text (for plain-text fields)."""
    return link_texts(markup)


def links_in(markup):
    return [target for _text, target in iter_segments(markup or "") if target]


def markup_to_html(markup, resolve_page):
    """Rich text HTML (Wagtail's storage format) from markup.

    ``resolve_page(key)`` returns the page id for a ``page:KEY`` target.
    Raises ValueError naming an unsafe target.
    """
    html = []
    for paragraph in paragraphs(markup):
        parts = []
        for text, target in iter_segments(paragraph):
            text_html = escape(text, quote=False).replace("\n", "<br/>")
            if target is None:
                parts.append(text_html)
            elif page := PAGE_TARGET.match(target):
                page_id = resolve_page(page.group("key"))
                parts.append(f'<a linktype="page" id="{page_id}">{text_html}</a>')
            elif safe_target(target):
                parts.append(f'<a href="{escape(target)}">{text_html}</a>')
            else:
                raise ValueError(f"link target {target!r} is not a web address or a site path")
        html.append("<p>" + "".join(parts) + "</p>")
    return "".join(html)


class _RichTextReader(HTMLParser):
    def __init__(self, page_key):
        super().__init__(convert_charrefs=True)
        self.page_key = page_key
        self.paragraphs = []
        self.current = []
        self.link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            if attrs.get("linktype") == "page" and attrs.get("id"):
                key = self.page_key(int(attrs["id"]))
                self.link = (f"page:{key}" if key else "", [])
            else:
                self.link = (attrs.get("href") or "", [])
        elif tag == "br":
            self._text("\n")

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None:
            target, texts = self.link
            self.link = None
            text = "".join(texts)
            self.current.append(f"[{text}]({target})" if target else text)
        elif tag in {"p", "h2", "h3", "h4", "li", "blockquote"}:
            self._close()

    def handle_data(self, data):
        self._text(escape_text(data) if self.link is None else data)

    def _text(self, data):
        (self.link[1] if self.link is not None else self.current).append(data)

    def _close(self):
        text = "".join(self.current).strip()
        if text:
            self.paragraphs.append(text)
        self.current = []

    def result(self):
        self._close()
        return "\n\n".join(self.paragraphs)


def html_to_markup(html, page_key):
    """Markup from rich text HTML; ``page_key(id)`` gives a page's content key."""
    reader = _RichTextReader(page_key)
    reader.feed(html or "")
    reader.close()
    return reader.result()
