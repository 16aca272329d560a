"""Building the per-language search documents of pages.

``update_documents_for(pages)`` is the one writer. On PostgreSQL with the database
backend (``stores_vectors``) each document's ``vector`` and ``rank_vector`` are
computed by the database in the statement that writes it (:data:`UPSERT_WITH_VECTORS`);
otherwise the documents are added to the search backends' indexes (FTS5 on SQLite, an
external index).
"""

from html import unescape

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.html import strip_tags

from wagtail.blocks import StreamValue
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from apps.core.translation_fields import LANGUAGES

from .models import SearchDocument, stores_vectors
from .normalise import normalise_for_search

TEXT_FIELDS = ("title", "intro", "lead", "summary", "text", "commentary", "chapter", "source")
# The text configuration of PostgreSQL's full-text search: the database backend's
# (English stemming; Arabic is normalised beforehand, in normalise.py).
SEARCH_CONFIG = settings.WAGTAILSEARCH_BACKENDS["default"].get("SEARCH_CONFIG", "english")


def _stream_text(value):
    parts = []
    for block in value or []:
        raw = block.value
        if isinstance(raw, StreamValue):
            parts.append(_stream_text(raw))
        elif hasattr(raw, "source"):  # rich text
            parts.append(unescape(strip_tags(raw.source)))
        elif isinstance(raw, dict) or hasattr(raw, "items"):
            parts += [
                unescape(strip_tags(getattr(v, "source", v)))
                for k, v in raw.items()
                if isinstance(v, str) or hasattr(v, "source")
            ]
        elif isinstance(raw, str):
            parts.append(raw)
    return " ".join(parts)


def page_text(page, language, title=True):
    """The page's own text in ``language`` (never the other language's fallback);
    without its ``title`` for the text that result snippets show, since the result
    shows the title above them."""
    parts = [field_text(page, name, language) for name in TEXT_FIELDS[0 if title else 1 :]]
    body = getattr(page, f"body_{language}", None)
    if body:
        parts.append(_stream_text(body))
    if getattr(page, "symbol", None):
        parts.append(page.symbol)
    if hasattr(page, "mandates"):
        parts += [mandate.number for mandate in page.mandates.all()]
    if hasattr(page, "annexes"):
        parts += [getattr(a, f"title_{language}") or "" for a in page.annexes.all()]
    return " ".join(" ".join(filter(None, parts)).split())


def page_texts(page, language):
    """``page_text`` with and without the title, from one reading of the page (its
    StreamField walked once): the same words, the title's first."""
    plain = page_text(page, language, title=False)
    return " ".join(f"{field_text(page, 'title', language)} {plain}".split()), plain


def field_text(page, name, language):
    value = getattr(page, f"{name}_{language}", None)
    return unescape(strip_tags(str(value))) if value else ""


def page_lead(page, language):
    """The page's first text after its title: a story's lead, a report's summary, a
    topic's introduction, a Charter article's text. With the title, what ranks."""
    return next(filter(None, (field_text(page, name, language) for name in TEXT_FIELDS[1:5])), "")


# The documents with their vectors, one statement for any number of them (executed
# for each row, in a pipeline): PostgreSQL computes ``vector`` from the text and
# ``rank_vector`` from the title (weight A) and the lead (weight B), as the ORM's
# ``SearchVector`` writes them. Written out once rather than compiled by the ORM for
# each document, which cost more than building the document (an import writes two a
# page).
UPSERT_WITH_VECTORS = f"""
    INSERT INTO {SearchDocument._meta.db_table}
        (page_id, language, page_type, year, date, title, text, plain_text, vector, rank_vector)
    SELECT d.page_id, d.language, d.page_type, d.year, d.date, d.title, d.text, d.plain_text,
        to_tsvector(d.config, COALESCE(d.text, '')),
        setweight(to_tsvector(d.config, COALESCE(d.title, '')), 'A')
            || setweight(to_tsvector(d.config, COALESCE(d.lead, '')), 'B')
    FROM (VALUES (%s::integer, %s::varchar, %s::varchar, %s::smallint, %s::date, %s::text,
                  %s::text, %s::text, %s::text, %s::regconfig))
        AS d (page_id, language, page_type, year, date, title, text, plain_text, lead, config)
    ON CONFLICT (page_id, language) DO UPDATE SET
        page_type = EXCLUDED.page_type, year = EXCLUDED.year, date = EXCLUDED.date,
        title = EXCLUDED.title, text = EXCLUDED.text, plain_text = EXCLUDED.plain_text,
        vector = EXCLUDED.vector, rank_vector = EXCLUDED.rank_vector
"""  # noqa: S608 - no value in it


def page_date(page):
    """The content's date (a story's, a report's), or None."""
    return getattr(page, "date", None)


def page_year(page):
    """The year of the content (a story's or a report's date), for the year filter.

    Not the publication date on this site: the Charter articles were not written in
    the year the fixtures were loaded. Pages without a date have no year, so choosing
    a year leaves them out, as the news and report indexes do.
    """
    date = page_date(page)
    return date.year if date else None


def update_documents(page):
    """(Re)build a page's documents: a live page's text, none for a page not live."""
    update_documents_for([page])


def update_documents_for(pages):
    """(Re)build the documents of many pages at once: which are live is asked once, the
    documents are written with one statement (an upsert on page and language), with
    their vectors on PostgreSQL or added to the search index together otherwise, and
    those of pages not live, or of a language in which a page has no text, are
    removed."""
    pages = [page.specific for page in pages]
    own_vectors = stores_vectors()
    live = set(
        Page.objects.filter(pk__in=[p.pk for p in pages], live=True).values_list("pk", flat=True)
    )
    documents, leads = [], []
    gone = {language: [] for language in LANGUAGES}  # pages without text in a language
    for page in pages:
        if page.pk not in live:
            continue
        for language in LANGUAGES:
            text, plain_text = page_texts(page, language)
            if not text:
                gone[language].append(page.pk)
                continue
            documents.append(
                SearchDocument(
                    page_id=page.pk,
                    language=language,
                    page_type=page._meta.label_lower,
                    year=page_year(page),
                    date=page_date(page),
                    title=normalise_for_search(field_text(page, "title", language), language),
                    text=normalise_for_search(text, language),
                    plain_text=plain_text,
                )
            )
            if own_vectors:
                leads.append(normalise_for_search(page_lead(page, language), language))
    removed = Q(page__in=[p.pk for p in pages if p.pk not in live])
    for language, ids in gone.items():
        removed |= Q(language=language, page__in=ids)
    for document in SearchDocument.objects.filter(removed):
        document.delete()  # one by one: each leaves the search index too
    if own_vectors:
        rows = [
            (d.page_id, d.language, d.page_type, d.year, d.date, d.title, d.text, d.plain_text,
             lead, SEARCH_CONFIG)
            for d, lead in zip(documents, leads, strict=True)
        ]  # fmt: skip
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(UPSERT_WITH_VECTORS, rows)
        return
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["page", "language"],
        update_fields=["page_type", "year", "date", "title", "text", "plain_text"],
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(SearchDocument, documents)
