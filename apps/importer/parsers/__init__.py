"""Raw source documents → :class:`~apps.importer.records.ParsedDocument`."""

from .document import (
    ParseError,
    blocks_of,
    continues_summary,
    credit,
    dateline,
    parse_document,
    split_quote,
)

__all__ = [
    "ParseError",
    "blocks_of",
    "continues_summary",
    "credit",
    "dateline",
    "parse_document",
    "split_quote",
]
