"""Parsed raw documents → content records for the loader.

The parser (:mod:`apps.importer.parsers`) knows the shape of the text; this
module knows the site: which section a story or a topic goes under, that a photo
credit stays a credit line (the document has no photograph), which Charter provisions
exist. It also tells the loader how to recognise a page that an earlier import or the
fixtures already created (:func:`match_existing`), so that importing a document again
updates that page instead of adding a second one.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from apps.core.models import ContentKeyMixin
from apps.core.pages import SourceMixin
from apps.core.rules.arabic import normalise
from apps.core.rules.charter import SIC, quotes_faithfully, sic_note
from apps.core.text import strip_bidi_controls
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

from .content import ContentRecord
from .markup import escape_text
from .records import (
    CharterQuotation,
    ImageCredit,
    Link,
    Paragraph,
    ParsedDocument,
    Quote,
    ReportSummary,
)

NEWS_INDEX, REPORT_INDEX, HOME = "news", "reports", "home"
SLUG_LENGTH = 80
QUOTATION_MARKS = {"ar": ("«", "»"), "en": ("“", "”")}


def _digest(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - a name, not security


def key_for(prefix, text, fallback):
    slug = slugify(text or "")[:SLUG_LENGTH].strip("-")
    return f"{prefix}/{slug or fallback}"


def page_slug(text):
    return slugify(text or "", allow_unicode=True)[:SLUG_LENGTH].strip("-") or None


def source_document_name(name):
    """How a page records its source: relative to ``fixtures/`` when the file is there."""
    path = Path(name).resolve()
    fixtures = (Path(settings.BASE_DIR) / "fixtures").resolve()
    return str(path.relative_to(fixtures)) if path.is_relative_to(fixtures) else path.name


def segments_to_markup(segments):
    parts = []
    for segment in segments:
        if isinstance(segment, Link):
            text = segment.text.replace("[", "(").replace("]", ")")
            parts.append(f"[{text}]({segment.target})" if segment.target else escape_text(text))
        else:
            parts.append(escape_text(segment))
    return "".join(parts)


class DocumentRecords:
    """Builds the records for one parsed document.

    ``exists(key)`` says whether a key is already in the site (Charter provisions
    are linked only when they exist).
    """

    def __init__(self, doc: ParsedDocument, exists, official_text=None):
        self.doc = doc
        self.lang = doc.language
        self.exists = exists
        self.official_text = official_text
        self.source_document = source_document_name(doc.name)
        self.extra: list[ContentRecord] = []

    def t(self, value):
        """A value in the document's language only: the other is left for translators."""
        return {self.lang: value}

    def records(self) -> list[ContentRecord]:
        page = self.story() if self.doc.kind == "news" else self.topic()
        return [*self.extra, page]

    # News ------------------------------------------------------------------------------

    def story(self):
        doc = self.doc
        key = key_for(NEWS_INDEX, doc.title, f"{doc.date.isoformat()}-{_digest(doc.title)}")
        fields = {
            "title": self.t(doc.title),
            "date": doc.date.isoformat(),
            "lead": self.t(segments_to_markup(doc.lead.segments) if doc.lead else ""),
            "body": self.t([self.block(item) for item in doc.body]),
            "related_stories": [
                {"title": self.t(item.title), "url": item.target or ""} for item in doc.related
            ],
            "people": sorted({self.person(q.speaker) for q in doc.body if self._speaker(q)}),
            "charter_provisions": self.provisions(doc.charter_articles),
        }
        if doc.source:
            fields["source"] = self.t(doc.source)
        return ContentRecord(
            key=key,
            type=NewsStoryPage._meta.label,
            parent=NEWS_INDEX,
            fields=fields,
            initial={"slug": self.t(page_slug(doc.title))},
            source_language=self.lang,
            source_document=self.source_document,
            origin=doc.name,
            imported=True,
        )

    @staticmethod
    def _speaker(item):
        return isinstance(item, Quote) and item.speaker

    def person(self, name):
        key = key_for("people", name, _digest(name))
        self.extra.append(
            ContentRecord(
                key=key,
                type=Person._meta.label,
                initial={"name": self.t(name)},
                origin=self.doc.name,
                imported=True,
            )
        )
        return key

    def provisions(self, articles):
        keys = [f"charter/article-{n}" for n in articles]
        return [k for k in keys if self.exists(k)]

    # Topic -----------------------------------------------------------------------------

    def topic(self):
        doc = self.doc
        items = list(doc.body)
        first = next((i for i in items if isinstance(i, Paragraph)), None)
        intro = first.text if first else ""
        if first is not None:
            items.remove(first)
        title = doc.title or self.title_from(intro)
        reports = [self.report(summary) for summary in doc.reports]
        fields = {
            "intro": self.t(intro),
            "body": self.t([self.block(item) for item in items]),
            "related_reports": [{"report": key} for key in reports],
        }
        initial = {"title": self.t(title), "slug": self.t(page_slug(title))}
        if doc.title:
            fields["title"] = initial.pop("title")
        return ContentRecord(
            key=key_for("topics", doc.title, _digest(self.source_document)),
            type=TopicPage._meta.label,
            parent=HOME,
            fields=fields,
            initial=initial,
            source_language=self.lang,
            source_document=self.source_document,
            origin=doc.name,
            imported=True,
        )

    @staticmethod
    def title_from(text, words=8):
        """A provisional title from the first words, for a document that has none."""
        head = text.split()
        return " ".join(head[:words]) + ("…" if len(head) > words else "")

    def report(self, summary: ReportSummary):
        symbol = summary.symbols[0] if summary.symbols else None
        key = key_for(REPORT_INDEX, symbol, f"summary-{_digest(summary.text)}")
        title = symbol or self.title_from(summary.text)
        fields = {"summary": self.t(summary.text)}
        mandates = [
            {"body": "GA" if r.body == "General Assembly" else "SC", "number": r.number}
            for r in summary.resolutions
            if r.body
        ]
        # A summary that names no resolution says nothing of the report's mandate: the
        # mandates an editor or the fixtures recorded stay.
        if mandates:
            fields["mandates"] = mandates
        if symbol:
            fields["symbol"] = symbol
        self.extra.append(
            ContentRecord(
                key=key,
                type=ReportPage._meta.label,
                parent=REPORT_INDEX,
                fields=fields,
                initial={"title": self.t(title), "slug": self.t(page_slug(title))},
                source_language=self.lang,
                source_document=self.source_document,
                origin=self.doc.name,
                imported=True,
            )
        )
        return key

    # Blocks ----------------------------------------------------------------------------

    def block(self, item):
        if isinstance(item, Paragraph):
            return {"paragraph": segments_to_markup(item.segments)}
        if isinstance(item, Quote) and self.doc.kind != "news":
            # Topic pages have no quote block: the quotation stays a paragraph, in the
            # quotation marks of its language.
            opening, closing = QUOTATION_MARKS[self.lang]
            quoted = f"{opening}{item.text}{closing} {item.attribution}".strip()
            return {"paragraph": escape_text(quoted)}
        if isinstance(item, Quote):
            value = {"text": item.text, "attribution": item.attribution}
            if item.speaker:
                value["speaker"] = self.person(item.speaker)
            return {"quote": value}
        if isinstance(item, ImageCredit):
            # The document gives the credit line, not the photograph: the block keeps
            # the credit and shows nothing until an editor attaches the real image.
            return {"image": {"credit": item.credit}}
        if isinstance(item, CharterQuotation):
            provision = f"charter/article-{item.article}"
            # A story's body has no Charter quotation block, and a provision the site
            # lacks cannot be chosen: the quotation stays a paragraph, verbatim.
            if self.doc.kind == "news" or not self.exists(provision):
                opening, closing = QUOTATION_MARKS[self.lang]
                quoted = f"{item.intro} {opening}{item.text}{closing}".strip()
                return {"paragraph": escape_text(quoted)}
            value = {"provision": provision, "intro": item.intro, "text": item.text}
            official = self.official_text(provision, self.lang) if self.official_text else None
            if official and not quotes_faithfully(item.text, official):
                # The source misquotes the Charter: its words are kept, marked [sic], and
                # a note gives the article's text.
                value["text"] = f"{item.text} {SIC[self.lang]}"
                value["note"] = sic_note(item.article, official, self.lang)
            return {"charter_quotation": value}
        raise TypeError(f"no block for {type(item).__name__}")


def records_for(doc: ParsedDocument, exists, official_text=None) -> list[ContentRecord]:
    """The records of one parsed document. ``exists(key)`` says whether a key is in the
    site; ``official_text(key, language)`` gives a Charter provision's text, against which
    the document's Charter quotations are checked."""
    return DocumentRecords(doc, exists, official_text).records()


_QUOTES = re.compile(r"[\"'“”„‘’‚«»‹›]")


def title_key(text):
    """A story's title as a News Tracker item is matched against it: letter case,
    spacing, quotation marks, Arabic letter forms, diacritics and tatweel aside (the
    folding of search, :func:`apps.core.rules.arabic.normalise`, which leaves ASCII
    text as it is)."""
    text = text or ""
    return " ".join(_QUOTES.sub("", text if text.isascii() else normalise(text)).casefold().split())


def stored_story_titles():
    """``{title_key: content key}`` of the stories on the site, both languages (one
    query). A title given in both languages alike (an Arabic story's borrowed English
    title) is folded once."""
    titles = {}
    rows = NewsStoryPage.objects.values_list("content_key", "title_en", "title_ar")
    for key, title_en, title_ar in rows.order_by("-date", "path"):
        for text in (title_en, title_ar) if title_ar != title_en else (title_en,):
            if text:
                titles.setdefault(title_key(text), key)
    return titles


def link_tracker_titles(records, stored):
    """Point the News Tracker items that name a story of the site by its title, in
    either language, at that story (``story``: its key), keeping their own title and
    address. ``stored`` is :func:`stored_story_titles`; the stories of ``records``
    themselves count too, and win, and are added to it (an import read in batches keeps
    one such map for the run). An item that names its own story stays as it is."""
    story_type = NewsStoryPage._meta.label
    stories = [record for record in records if record.type == story_type]
    titles = stored
    for record in stories:
        title = record.fields.get("title") or record.initial.get("title") or {}
        titles.update((title_key(text), record.key) for text in title.values() if text)
    for record in stories:
        for item in record.fields.get("related_stories") or ():
            if item.get("story"):
                continue
            named = (titles.get(title_key(text)) for text in item.get("title", {}).values())
            key = next((key for key in named if key), None)
            if key is not None and key != record.key:
                item["story"] = key


class StoredFiles:
    """The stored pages of each source file name, read once (on first use) for a whole
    run: a file is matched wherever it was imported from (``source/x.txt`` or ``x.txt``),
    which no index can answer page by page (``LIKE '%/x.txt'`` reads every row)."""

    def __init__(self):
        self.ids = None

    def pages(self, model, file):
        if self.ids is None:
            self.ids = defaultdict(list)
            for keyed in ContentKeyMixin.keyed_models():
                if issubclass(keyed, SourceMixin):
                    stored = keyed._default_manager.exclude(source_document="")
                    for pk, name in stored.values_list("pk", "source_document"):
                        self.ids[(keyed, file_name(name))].append(pk)
        return self.ids.get((model, file), [])


def file_name(name):
    """``Path(name).name``, without making a path of a bare file name (a path object
    for each of an archive's 50,000 names was a tenth of what a run reads first)."""
    return name if "/" not in name and name not in (".", "..") else Path(name).name


def match_existing(record: ContentRecord, files: StoredFiles | None = None):
    """The object an imported record stands for, when its key is new to the site: found
    by the ``natural_key_fields`` its model declares (a story or topic by the file it
    was imported from, a report by its symbol or summary, a person by name), in the
    language the record is written in. ``files`` answers for source files: one for a
    whole run reads the stored file names once; without it, this call reads them."""
    lang = record.source_language or next(
        (next(iter(v)) for v in (*record.fields.values(), *record.initial.values())
         if isinstance(v, dict) and v), "en"
    )  # fmt: skip
    return record.model.for_natural_key(
        natural_key_conditions(record, lang, files or StoredFiles())
    )


def natural_key_conditions(record: ContentRecord, lang, files):
    """A query per field of the record's natural key, for the value the loader would
    store: the source document by its file name, wherever the file was imported from;
    a translated field in ``lang``; one-line texts without bidi controls."""
    model = record.model
    conditions = {}
    for name in model.natural_key_fields:
        if name == "source_document":
            if record.source_document:
                ids = files.pages(model, Path(record.source_document).name)
                conditions[name] = Q(pk__in=ids) if ids else None
            continue
        value = record.fields.get(name, record.initial.get(name))
        column = name
        if isinstance(value, dict):
            value, column = value.get(lang), f"{name}_{lang}"
        if value in (None, ""):
            continue
        if isinstance(model._meta.get_field(name), models.CharField):
            value = strip_bidi_controls(value)  # as the loader stores one-line texts
        conditions[name] = Q(**{column: value})
    return conditions
