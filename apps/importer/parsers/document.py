"""The document state machine: blocks of one raw document → a ParsedDocument.

A document is a news story (a UN News Centre masthead and/or a dateline such as
"9 November 2011 –") or a topic page (paragraphs, photo credits, Charter
quotations and a documents section of report summaries), in English or Arabic.
The shape it is read with:

- **Lines and paragraphs.** Each non-empty line is a paragraph, whether or not
  blank lines separate them (the Arabic seed separates some paragraphs by a
  single line break). Two lines are one paragraph only when the text is visibly
  hard-wrapped: the first does not end a sentence and either the second starts
  with a lower-case letter ("With breaking stories and / newswire products
  from"), or the whole file is wrapped (no line over 100 characters, several
  long lines ending mid-sentence) and the first line fills most of the width.
  Credit lines, datelines, headings and masthead lines always stand alone.
- **Masthead, title, dateline, lead** (news). The masthead lines come first;
  the title is the first line after them; the dateline follows it (a second
  line before the dateline is kept as the first body paragraph); text after
  the dateline's dash is the first paragraph. The first paragraph is the lead.
- **Title** (topic). A short line (≤ 12 words, no final punctuation) before the
  first paragraph, not a credit; none in the Arabic seed, so ``title`` is None.
- **Sections.** "News Tracker…" / "متابعة الأخبار" / "أخبار ذات صلة" starts the
  related-stories list; "Documents" / "وثائق" starts the report summaries, one
  summary per paragraph (a paragraph opening with «و» is a summary of its own: UN
  Arabic opens sentences, and summaries, with the conjunction). Credit lines anywhere
  are body items.
- **Duplicates.** A paragraph that repeats an earlier one exactly (after
  whitespace normalisation) is dropped wherever it is; ``duplicates`` records
  where.
"""

from __future__ import annotations

import datetime
import re

from ..records import (
    BodyItem,
    CharterQuotation,
    Duplicate,
    ImageCredit,
    Paragraph,
    ParsedDocument,
    Quote,
    RelatedStory,
    ReportSummary,
)
from ..text import (
    charter_articles,
    detect_language,
    find_resolutions,
    find_symbols,
    has_arabic,
    normalise_space,
    parse_inline,
    plain_text,
    resolution_mentions,
)
from .blocking import Block, blocks_of
from .dates import DATELINE_EXAMPLE, Dateline, dateline
from .decoding import ParseError, read_text
from .lines import credit, has_words, heading, masthead_line, source_name, title_like
from .names import People
from .quotes import charter_quotation, split_quote
from .sections import tracker_items

TITLE_LIMIT = 255


class _Parser:
    """Reads one document's blocks in order: header (masthead, title, dateline), then body,
    News Tracker and documents sections, remembering who was named and what was seen."""

    def __init__(self, name: str, text: str, language: str):
        self.name, self.text, self.language = name, text, language
        self.blocks = blocks_of(text)
        self.people = People()
        self.seen: dict[str, int] = {}
        self.duplicates: list[Duplicate] = []
        self.body: list[BodyItem] = []
        self.related: list[RelatedStory] = []
        self.report_blocks: list[Block] = []
        self.masthead: str | None = None
        self.source: str | None = None
        self.title: str | None = None
        self.date: datetime.date | None = None
        self.lead: Paragraph | None = None
        self.kind = "topic"

    def error(self, line: int | None, message: str) -> ParseError:
        return ParseError(self.name, line, message)

    # Header --------------------------------------------------------------------------

    def read_masthead(self) -> int:
        parts, index, expect_source = [], 0, False
        for index, block in enumerate(self.blocks):  # noqa: B007 - used after the loop
            kind = masthead_line(block.text)
            if kind == "breaking":
                expect_source = True
            elif kind == "source" or (
                expect_source and len(block.text.split()) <= 6 and title_like(block.text)
            ):
                self.source = source_name(block.text) if not has_arabic(block.text) else block.text
                expect_source = False
            elif not has_words(block.text) and parts:
                continue
            else:
                break
            parts.append(block.text)
        else:
            index = len(self.blocks)
        self.masthead = " ".join(parts) or None
        return index

    def find_dateline(self, start: int) -> tuple[int, Dateline] | None:
        counted = 0
        for index in range(start, len(self.blocks)):
            text = self.blocks[index].text
            if credit(text) or not has_words(text):
                continue
            found = dateline(text)
            if found:
                return index, found
            counted += 1
            if counted >= 3 or heading(text):
                return None
        return None

    def check_date(self, found: Dateline, line: int) -> datetime.date:
        if len(set(found.months)) > 1:
            raise self.error(line, f"{found.written} is not a date: its month names differ")
        try:
            return datetime.date(found.year, found.months[0], found.day)
        except ValueError:
            raise self.error(line, f"{found.written} is not a date") from None

    def set_title(self, block: Block) -> None:
        title = plain_text(block.text)
        if len(title) > TITLE_LIMIT:
            raise self.error(
                block.line, f"title is {len(title)} characters; the limit is {TITLE_LIMIT}"
            )
        self.title = title

    def header(self) -> tuple[list[Block], list[Block]]:
        """Reads masthead, title and dateline. Returns the other blocks before the dateline
        (credits, a second line) and the blocks after it, the first of which may be the lead."""
        start = self.read_masthead()
        rest = self.blocks[start:]
        found = self.find_dateline(start)
        if found:
            index, line = found
            block = self.blocks[index]
            self.kind = "news"
            self.date = self.check_date(line, block.line)
            before = self.blocks[start:index]
            prose = [b for b in before if not credit(b.text) and has_words(b.text)]
            if not prose:
                raise self.error(
                    block.line,
                    "no title found: a news story needs its title on a line before the dateline",
                )
            self.set_title(prose[0])
            others = [b for b in before if b is not prose[0] and has_words(b.text)]
            after = self.blocks[index + 1 :]
            if line.rest:
                after.insert(0, Block(line.rest, block.line))
            return others, after
        if self.masthead:
            after = [b for b in rest if has_words(b.text) and not credit(b.text)]
            where = after[0].line if after else self.blocks[start - 1].line
            raise self.error(
                where, f"no dateline found: a news story needs a line like '{DATELINE_EXAMPLE}'"
            )
        prose = [i for i, b in enumerate(rest) if not credit(b.text)]
        if prose:
            first = rest[prose[0]]
            later = any(not heading(b.text) for b in rest[prose[0] + 1 :])
            if (
                title_like(first.text)
                and later
                and not heading(first.text)
                and not re.fullmatch(r"\s*\[[^\]]*\]\([^)]*\)\s*", first.text)
            ):
                self.set_title(first)
                rest = rest[: prose[0]] + rest[prose[0] + 1 :]
        return [], rest

    # Body --------------------------------------------------------------------------

    def is_duplicate(self, block: Block) -> bool:
        key = normalise_space(block.text)
        if key in self.seen:
            self.duplicates.append(Duplicate(block.line, self.seen[key]))
            return True
        self.seen[key] = block.line
        return False

    def prose(self, block: Block) -> list[BodyItem]:
        paragraph = Paragraph(parse_inline(block.text), block.line)
        items = charter_quotation(paragraph)
        if items:
            for item in items:
                self.people.observe(item.intro if isinstance(item, CharterQuotation) else item.text)
            return items
        quote = split_quote(paragraph.text)
        if quote:
            words, attribution = quote
            speaker = self.people.speaker(attribution) if attribution else None
            self.people.observe(attribution)
            if speaker:
                self.people.last = speaker
            return [Quote(words, speaker, attribution, block.line)]
        self.people.observe(paragraph.text)
        return [paragraph]

    def read_body(self, blocks: list[Block], *, lead: bool) -> None:
        """Body, related stories and documents; the first paragraph is the lead when
        ``lead`` (after a news story's dateline)."""
        section = "body"
        for block in blocks:
            found = heading(block.text)
            if found:
                section = found
                continue
            found_credit = credit(block.text)
            if found_credit:
                self.body.append(ImageCredit(found_credit[0], block.line, found_credit[1]))
                continue
            if section == "tracker":
                items = tracker_items(block.text)
                if items is not None:
                    self.related.extend(i for i in items if i not in self.related)
                    continue
                section = "body"
            if self.is_duplicate(block):
                continue
            if section == "documents":
                self.report_blocks.append(block)
            elif lead:
                self.lead = Paragraph(parse_inline(block.text), block.line)
                self.people.observe(self.lead.text)
                lead = False
            else:
                self.body.extend(self.prose(block))

    def reports(self) -> tuple[ReportSummary, ...]:
        """One summary per paragraph of the documents section, in source order: a
        paragraph that repeats an earlier one word for word was dropped on reading
        (``is_duplicate``); no other paragraph is joined to or dropped from another."""
        known = {r.number: r.body for _o, r in resolution_mentions(self.text) if r.body}
        summaries = []
        for block in self.report_blocks:
            text = plain_text(block.text)
            summaries.append(
                ReportSummary(text, block.line, find_symbols(text), find_resolutions(text, known))
            )
        return tuple(summaries)

    def parse(self) -> ParsedDocument:
        before, after = self.header()
        self.read_body(before, lead=False)
        self.read_body(after, lead=self.kind == "news")
        return ParsedDocument(
            name=self.name,
            kind=self.kind,
            language=self.language,
            masthead=self.masthead,
            source=self.source,
            title=self.title,
            date=self.date,
            lead=self.lead,
            body=tuple(self.body),
            related=tuple(self.related),
            reports=self.reports(),
            charter_articles=charter_articles(self.text),
            resolutions=find_resolutions(self.text),
            duplicates=tuple(self.duplicates),
        )


def parse_document(data: bytes | str, *, name: str = "<document>") -> ParsedDocument:
    """Parse one raw document (UTF-8 bytes, with or without a BOM, or text).

    Raises :class:`ParseError` naming the problem, and the line where one applies:
    an empty file, binary data or bytes that are not UTF-8, text in neither English
    nor Arabic, a news story without a title or dateline, a date that does not exist,
    a title over 255 characters.
    """
    text = read_text(data, name)
    language = detect_language(text)
    if language is None:
        raise ParseError(name, None, "no English or Arabic text found")
    return _Parser(name, text, language).parse()
