"""Raw source documents → :class:`~apps.importer.records.ParsedDocument`.

Plain functions over text, no Django and no database: the loader
(:mod:`apps.importer.documents`) turns the records into pages. One module per concern:

- :mod:`.decoding`: bytes or text → the document's text, or a :class:`ParseError`;
- :mod:`.lines`: recognisers for single lines (masthead, headings, photo credits);
- :mod:`.dates`: datelines;
- :mod:`.quotes`: quotations, verbs of saying, Charter quotations;
- :mod:`.names`: the name recogniser (who "he said" is);
- :mod:`.sections`: the News Tracker list;
- :mod:`.blocking`: lines → paragraph-sized blocks;
- :mod:`.document`: the state machine that reads one document (and its shape).
"""

from .blocking import Block, blocks_of
from .dates import Dateline, dateline
from .decoding import ParseError, read_text
from .document import parse_document
from .lines import credit, heading, masthead_line, source_name
from .names import People
from .quotes import charter_quotation, quoted_spans, speech_verb, split_quote
from .sections import tracker_items

__all__ = [
    "Block",
    "Dateline",
    "ParseError",
    "People",
    "blocks_of",
    "charter_quotation",
    "credit",
    "dateline",
    "heading",
    "masthead_line",
    "parse_document",
    "quoted_spans",
    "read_text",
    "source_name",
    "speech_verb",
    "split_quote",
    "tracker_items",
]
