"""Raw source documents → :class:`~apps.importer.records.ParsedDocument`.

Plain functions over text, no Django and no database: the loader
(:mod:`apps.importer.documents`) turns the records into pages.

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
  related-stories list; "Documents" / "وثائق" starts the report summaries.
  Credit lines anywhere are body items.
- **Duplicates.** A paragraph that repeats an earlier one exactly (after
  whitespace normalisation) is dropped wherever it is; ``duplicates`` records
  where.
"""

from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass

from ..records import (
    BodyItem,
    CharterQuotation,
    Duplicate,
    ImageCredit,
    Link,
    Paragraph,
    ParsedDocument,
    Quote,
    RelatedStory,
    ReportSummary,
    Segment,
)
from ..text import (
    ARABIC_LETTER,
    article_mentions,
    charter_articles,
    detect_language,
    find_resolutions,
    find_symbols,
    fold,
    has_arabic,
    normalise_space,
    parse_inline,
    plain,
    plain_text,
    resolution_mentions,
    strip_tashkeel,
)

TITLE_LIMIT = 255
TITLE_WORDS = 12
WRAP_WIDTH = 100
DATELINE_EXAMPLE = "9 November 2011 –"


def _words(text: str) -> list[str]:
    return text.split()


class ParseError(Exception):
    """A document that cannot be read. ``line`` is 1-based, or None when no line applies."""

    def __init__(self, name: str, line: int | None, message: str):
        super().__init__(name, line, message)
        self.name, self.line, self.message = name, line, message

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.name}: {self.message}"
        return f"{self.name}, line {self.line}: {self.message}"


# Reading ---------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _line_at(head: bytes | str) -> int:
    """The 1-based line on which the text after ``head`` starts (LF, CRLF and CR count once)."""
    lf, cr, crlf = ("\n", "\r", "\r\n") if isinstance(head, str) else (b"\n", b"\r", b"\r\n")
    return head.count(lf) + head.count(cr) - head.count(crlf) + 1


def read_text(data: bytes | str, name: str = "<document>") -> str:
    """The document as text with LF line ends and no byte-order mark, or a ParseError."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        data = bytes(data)
        data = data.removeprefix(codecs.BOM_UTF8)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            mark = " ".join(f"0x{b:02X}" for b in data[:2])
            message = f"not UTF-8 text: the file starts with the UTF-16 byte-order mark {mark}"
            raise ParseError(name, None, f"{message}; save it as UTF-8")
        nul = data.find(b"\x00")
        if nul >= 0:
            line = _line_at(data[:nul])
            raise ParseError(name, line, f"binary file, not text: NUL byte at line {line}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_at(data[: exc.start])
            raise ParseError(
                name, line, f"not UTF-8 text: invalid byte 0x{data[exc.start]:02X} at line {line}"
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
        surrogate = re.search("[\ud800-\udfff]", text)
        if surrogate:
            line = _line_at(text[: surrogate.start()])
            code = ord(surrogate.group())
            raise ParseError(
                name, line, f"not UTF-8 text: lone surrogate U+{code:04X} at line {line}"
            )
    else:
        raise TypeError(f"parse_document() takes bytes or str, not {type(data).__name__}")
    control = _CONTROL.search(text)
    if control:
        line, code = _line_at(text[: control.start()]), ord(control.group())
        what = "NUL byte" if code == 0 else f"control character 0x{code:02X}"
        raise ParseError(name, line, f"binary file, not text: {what} at line {line}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise ParseError(name, None, "the file is empty" + (" (only whitespace)" if text else ""))
    return text


# Recognisers for single lines --------------------------------------------------------------

_BREAKING = "with breaking stories and newswire products from"
_SOURCES = {
    "un news centre",
    "un news center",
    "un news",
    "مركز انباء الامم المتحدة",
    "اخبار الامم المتحدة",
}


def _key(text: str) -> str:
    return normalise_space(fold(text)).rstrip(" :").casefold()


def masthead_line(text: str) -> str | None:
    key = _key(text)
    if key == _BREAKING:
        return "breaking"
    if key in _SOURCES:
        return "source"
    return None


_ACRONYMS = {"UN", "UNDP", "UNICEF", "UNHCR", "UNESCO", "OCHA", "DPPA", "WFP", "WHO", "UNTV"}


def source_name(text: str) -> str:
    """ "UN NEWS CENTRE" → "UN News Centre": a line in capitals in title case, acronyms kept."""
    text = normalise_space(text)
    if has_arabic(text) or not text.isupper():
        return text
    return " ".join(w if w in _ACRONYMS or len(w) <= 2 else w.capitalize() for w in text.split())


_DOCUMENTS = {
    "documents",
    "related documents",
    "reports",
    "وثائق",
    "الوثائق",
    "وثائق ذات صلة",
    "تقارير",
    "التقارير",
}
_TRACKER = ("news tracker", "related stories", "متابعة الاخبار", "اخبار ذات صلة")


def heading(text: str) -> str | None:
    """``"documents"`` or ``"tracker"`` for a section heading line, else None."""
    key = _key(plain_text(text))
    if key in _DOCUMENTS:
        return "documents"
    if key.startswith(_TRACKER) and len(key.split()) <= 10:
        return "tracker"
    return None


_STRAY = re.compile(rf"(?<=[{ARABIC_LETTER}])[A-Za-z]{{1,2}}$")
_CREDIT_PATTERNS = (
    re.compile(
        r"(?:(?:UN|U\.N\.|United Nations)\s+Photo\s*[/:]|Photo\s*:\s*(?:UN|U\.N\.|United Nations)"
        r"\s*/)\s*(?P<name>.+)",
        re.IGNORECASE,
    ),
    re.compile(r"صور[ةه]?\s+الامم المتحدة\s*[:/]\s*(?P<name>.+)"),
    re.compile(r"(?P<name>.+?)\s*/\s*الامم المتحدة"),
    re.compile(r"الامم المتحدة\s*/\s*(?P<name>.+)"),
)
_NOT_IN_NAME = re.compile(r"[/،,؛;!?؟:«»“”\"()\[\]<>]")


def credit(text: str) -> tuple[str, str] | None:
    """``(credit, photographer)`` for a photo-credit line, else None.

    ``UN Photo/Name``, ``UN Photo / Name``, ``صورة الأمم المتحدة: الاسم``,
    ``الاسم/ الأمم المتحدة``. A Latin letter or two glued to the end of an Arabic
    credit (``الأمم المتحدةs``) is a stray and is dropped from the credit.
    """
    text = plain_text(text)
    if len(text.split()) > 12:
        return None
    if has_arabic(text):
        text = _STRAY.sub("", text)
    folded = fold(text)
    for pattern in _CREDIT_PATTERNS:
        match = pattern.fullmatch(folded)
        if not match:
            continue
        name = text[match.start("name") : match.end("name")].strip()
        words = name.split()
        if 1 <= len(words) <= 5 and len(name) <= 60 and not _NOT_IN_NAME.search(name):
            return text, name
    return None


# Datelines ---------------------------------------------------------------------------------

_MONTHS = {
    **{
        m: n
        for n, m in enumerate(
            _words(
                "january february march april may june july august september october "
                "november december"
            ),
            1,
        )
    },
    **{m: n for n, m in enumerate(_words("jan feb mar apr may jun jul aug sep oct nov dec"), 1)},
    "sept": 9,
    # Levantine names (folded: أ/إ/آ written ا)
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    # Egyptian (and UN-style second) names
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
}  # fmt: skip
_MONTH = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>\d{{1,2}})\s+(?P<month>(?:{_MONTH})\.?(?:\s*/\s*(?:{_MONTH}))?)\s*,?\s+"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<month>(?:{_MONTH})\.?)\s+(?P<day>\d{{1,2}})\s*,\s*(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_AFTER_DATE = re.compile(r"\s*(?:(?P<dash>[-–—‒―−])\s*(?P<rest>.*))?", re.DOTALL)


@dataclass(frozen=True)
class Dateline:
    written: str  # the date as the source writes it
    day: int
    months: tuple[int, ...]  # one per month name ("تشرين الثاني/نوفمبر" names two)
    year: int
    rest: str  # text after the dash


def dateline(text: str) -> Dateline | None:
    """A line that starts with a date and then has a dash or nothing: "9 November 2011 –",
    "9 تشرين الثاني/نوفمبر 2011 –", "٩ نوفمبر ٢٠١١ -", "November 9, 2011"."""
    folded = fold(text)
    match = _DAY_MONTH_YEAR.match(folded) or _MONTH_DAY_YEAR.match(folded)
    if not match:
        return None
    after = _AFTER_DATE.fullmatch(folded, match.end())
    if not after:
        return None
    names = [m.strip().rstrip(".").casefold() for m in match.group("month").split("/")]
    return Dateline(
        written=normalise_space(text[: match.end()]),
        day=int(match.group("day")),
        months=tuple(_MONTHS[n] for n in names),
        year=int(match.group("year")),
        rest=text[after.start("rest") :].strip() if after.group("dash") else "",
    )


# Quotations -----------------------------------------------------------------------------

_CLOSERS = {"“": '”"', "«": "»", '"': '"', "„": "“”"}


@dataclass(frozen=True)
class Span:
    start: int  # the opening mark
    end: int  # after the closing mark
    inner: str


def quoted_spans(text: str) -> tuple[list[Span], bool]:
    """The quoted passages of ``text`` in order, and whether every opening mark closed."""
    spans, i = [], 0
    while i < len(text):
        closers = _CLOSERS.get(text[i])
        if closers is None:
            i += 1
            continue
        j = next((k for k in range(i + 1, len(text)) if text[k] in closers), -1)
        if j < 0:
            return spans, False
        spans.append(Span(i, j + 1, text[i + 1 : j]))
        i = j + 1
    return spans, True


_EN_VERBS = (
    "said|says|say|told|tells|added|adds|stressed|stresses|noted|notes|asked|asks|explained|"
    "emphasized|emphasised|emphasizes|declared|stated|urged|warned|continued|concluded|observed|"
    "remarked|recalled|insisted|underlined|affirmed|wrote|writes|replied|answered|announced|"
    "acknowledged|argued|cautioned|commented|according to|pointed out"
)
_AR_VERBS = (
    "قال|قالت|يقول|تقول|اضاف|اضافت|يضيف|تضيف|مضيفا|مضيفة|اكد|اكدت|يؤكد|مؤكدا|اشار|اشارت|"
    "شدد|شددت|مشددا|اوضح|اوضحت|صرح|صرحت|ذكر|ذكرت|تابع|تابعت|اعلن|اعلنت|لاحظ|لاحظت|حسب|بحسب"
)
EN_SPEECH = re.compile(rf"\b(?:{_EN_VERBS})\b", re.IGNORECASE)
AR_SPEECH = re.compile(rf"(?<![{ARABIC_LETTER}])و?(?:{_AR_VERBS})(?![{ARABIC_LETTER}])")


def speech_verb(text: str) -> re.Match | None:
    folded = fold(text)
    found = [m for m in (EN_SPEECH.search(folded), AR_SPEECH.search(folded)) if m]
    return min(found, key=lambda m: m.start()) if found else None


_SEGMENT_BREAK = ".!?؟:,،;؛"


def _quote_text(spans: list[Span]) -> str:
    """Quoted passages joined by a space; a comma ending one (it led into "he said") is a
    full stop."""
    parts = []
    for span in spans:
        part = normalise_space(span.inner)
        if part.endswith((",", "،")):
            part = part[:-1] + "."
        if part:
            parts.append(part)
    return " ".join(parts)


def split_quote(text: str) -> tuple[str, str] | None:
    """``(quoted words, attribution)`` when the paragraph is a quotation, else None.

    A quotation opens the paragraph (“…,” he said. “…”), or follows an attribution
    and a colon and ends it (Mr. Ban said: “…”). A quoted passage after the first
    belongs to the quotation when it starts a sentence or a clause; one in the
    middle of a sentence (a “comprehensive approach”) stays in the attribution,
    which must hold a verb of saying.
    """
    spans, balanced = quoted_spans(text)
    if not spans or not balanced:
        return None
    first = spans[0]
    if first.start == 0:
        quoted, pieces, position = [first], [], first.end
        for span in spans[1:]:
            before = text[position : span.start]
            if not before.strip() or before.rstrip()[-1] in _SEGMENT_BREAK:
                pieces.append(before)
                quoted.append(span)
                position = span.end
        pieces.append(text[position:])
        attribution = normalise_space(" ".join(p.strip(" ,،") for p in pieces))
    elif len(spans) == 1 and text[: first.start].rstrip().endswith(":"):
        if re.search(r"\w", text[first.end :]):
            return None
        quoted, attribution = [first], normalise_space(text[: first.start]).rstrip(" :")
    else:
        return None
    words = _quote_text(quoted)
    if not re.search(r"\w", attribution):
        attribution = ""
    if attribution and not speech_verb(attribution):
        return None
    if not attribution and len(words.split()) < 3:
        return None
    return words, attribution


# People -----------------------------------------------------------------------------------

_EN_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’-]*(?<![-'’])|[A-Z]\.)"
_PARTICLE = r"(?:al|el|bin|ibn|de|da|del|della|di|van|von|der|den|le|la|du|dos|das|ter)"
_EN_NAME = rf"(?<![\w'’-]){_EN_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_EN_WORD}){{0,3}}"
_EN_ROLES = {
    "deputy secretary-general": "deputy secretary-general",
    "under-secretary-general": "under-secretary-general",
    "assistant secretary-general": "assistant secretary-general",
    "secretary-general": "secretary-general",
    "general assembly president": "president of the general assembly",
    "president of the general assembly": "president of the general assembly",
    "security council president": "president of the security council",
    "president of the security council": "president of the security council",
    "high commissioner": "high commissioner",
    "special envoy": "special envoy",
    "special representative": "special representative",
    "special adviser": "special adviser",
    "prime minister": "prime minister",
    "foreign minister": "foreign minister",
}
_EN_HONORIFICS = (
    "Vice-President|Vice President|President|Minister|Ambassador|Envoy|Professor|Prof\\.|Judge|"
    "Sir|Dame|Sheikh|King|Queen|Prince|Princess|Mrs\\.|Mrs|Mr\\.|Mr|Ms\\.|Ms|Dr\\.|Dr"
)
_EN_TITLE_WORDS = "|".join(
    sorted(
        [r.title().replace("Of The", "of the") for r in _EN_ROLES] + _EN_HONORIFICS.split("|"),
        key=len,
        reverse=True,
    )
)
_EN_TITLE = re.compile(rf"(?<![\w-])(?P<title>{_EN_TITLE_WORDS})(?:\s*,)?\s+(?P<name>{_EN_NAME})")
_EN_ROLE = re.compile(
    rf"\b[Tt]he\s+(?P<role>(?i:{'|'.join(sorted(_EN_ROLES, key=len, reverse=True))}))\b"
    r"(?!\s*,?\s+[A-Z])"
)
_EN_BEFORE_VERB = re.compile(rf"(?P<name>{_EN_NAME})\s+(?:{_EN_VERBS})\b")
_EN_AFTER_VERB = re.compile(rf"\b(?:{_EN_VERBS})\s+(?P<name>{_EN_NAME})")
_EN_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
_EN_NOT_NAMES = set(
    _words(
        """
        The A An UN U.N. United Nations General Assembly Security Council Member States State
        He She It They We I You In On At For From To By With But And Or Today Yesterday Tomorrow
        Headquarters New York Geneva Secretary-General President Mr Ms Mrs Dr This That These
        Those His Her Their Its As After Before During While When Although However Monday
        Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
        July August September October November December Charter Article Resolution Council's
        Assembly's Government Minister Ambassador Envoy
        """
    )
)

_AR_WORD = rf"[{ARABIC_LETTER}][{ARABIC_LETTER}\u0640\u064b-\u065f\u0670]*"
_AR_NAME = rf"{_AR_WORD}(?:\s+{_AR_WORD}){{0,3}}"
_AR_ROLES = (
    "نائب الامين العام|وكيل الامين العام|الامين العام|رئيس الجمعية العامة|رئيس مجلس الامن|"
    "رئيس الوزراء|وزير الخارجية|المبعوث الخاص|الممثل الخاص|المفوض السامي"
)
_AR_HONORIFICS = "الرئيس|السيد|السيدة|السفير|السفيرة|الدكتور|الدكتورة|الشيخ|الملك|الملكة"
_AR_TITLE = re.compile(
    rf"(?<![{ARABIC_LETTER}])(?P<title>{_AR_ROLES}|{_AR_HONORIFICS})"
    rf"(?:\s+للامم المتحدة)?\s+(?P<name>{_AR_NAME})"
)
_AR_ROLE = re.compile(rf"(?<![{ARABIC_LETTER}])(?P<role>{_AR_ROLES})(?![{ARABIC_LETTER}])")
_AR_AFTER_VERB = re.compile(
    rf"(?<![{ARABIC_LETTER}])و?(?:{_AR_VERBS})\s+(?:ذلك\s+)?(?P<name>{_AR_NAME})"
)
# Words that end (or are not) a name; compared without diacritics, hamza kept, so that
# بأن ("that") is a stop word and بان (Ban) is not.
_AR_NOT_NAMES = _words(
    "ذلك اليوم أمس غدا إن إنه إنها إنهم أن أنه أنها أنهم بأن في على من عن إلى مع خلال أمام "
    "الذي التي الذين لدى بعد قبل حول أيضا أيضاً للصحفيين قائلا قائلة مضيفا مضيفة و أو ثم "
    "قد لقد كما حيث إذ هذا هذه هو هي نفسه نفسها بنفسه عندما بينما لكن كان كانت يوم "
    "وأضاف وأضافت وقال وقالت وأكد وأكدت وأشار وأشارت"
)
_AR_NOT_NAMES = set(_AR_NOT_NAMES) | {fold(w) for w in _AR_NOT_NAMES if fold(w) != "بان"}


_AR_VERB_WORD = re.compile(f"و?(?:{_AR_VERBS})")


def _ar_name_words(raw: str) -> list[str]:
    """The words of an Arabic name, up to the first word that cannot be part of one."""
    words = []
    for word in raw.split():
        bare = strip_tashkeel(word)
        if bare in _AR_NOT_NAMES or fold(bare) in _AR_NOT_NAMES:
            break
        if _AR_VERB_WORD.fullmatch(fold(bare)):
            break
        words.append(word)
    return words


@dataclass
class Mention:
    start: int
    name: str


class People:
    """Who has been named so far, to tell who "he said" or "Mr. Ban" is.

    Full names are 2–4 capitalised words after a title (Secretary-General, General
    Assembly President, Mr., Ms.…) or next to a verb of saying, or in Arabic 2–4
    words after a title (الأمين العام، رئيس الجمعية العامة، السيد…) or after قال/وقال.
    A single word after a title is a surname, resolved to the latest full name that
    contains it ("Mr. Ban" → "Ban Ki-moon", "السيد النصر" → "ناصر عبد العزيز النصر").
    """

    def __init__(self) -> None:
        self.names: list[str] = []  # full names, most recently named last
        self.roles: dict[str, str] = {}
        self.last: str | None = None

    def _register(self, name: str, role: str | None = None) -> str:
        if name in self.names:
            self.names.remove(name)
        self.names.append(name)
        if role:
            self.roles[role] = name
        return name

    def _surname(self, word: str) -> str | None:
        key = fold(strip_tashkeel(word)).casefold()
        for name in reversed(self.names):
            if key in {fold(strip_tashkeel(w)).casefold() for w in name.split()}:
                return name
        return None

    def mentions(self, text: str) -> list[Mention]:
        """The people named in ``text`` in order (registering new full names)."""
        folded = fold(text)
        found: dict[int, str] = {}
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, name: str | None) -> None:
            if name and not any(a <= start < b for a, b in taken):
                found[start] = name
                taken.append((start, end))

        for match in _EN_TITLE.finditer(text):
            words = []
            for word in match.group("name").split():
                if word.rstrip(".") in _EN_NOT_NAMES:
                    break
                words.append(word)
            role = _EN_ROLES.get(match.group("title").casefold())
            if len(words) >= 2:
                add(match.start(), match.end(), self._register(" ".join(words), role))
            elif words:
                add(match.start(), match.end(), self._surname(words[0]))
        for pattern, before in ((_EN_BEFORE_VERB, True), (_EN_AFTER_VERB, False)):
            for match in pattern.finditer(text):
                words = match.group("name").split()
                cut = [i for i, w in enumerate(words) if w.rstrip(".") in _EN_NOT_NAMES]
                if before:
                    words = words[cut[-1] + 1 :] if cut else words
                else:
                    words = words[: cut[0]] if cut else words
                if 2 <= len(words) <= 4:
                    start = match.start("name") + match.group("name").rfind(words[0])
                    add(start, match.end(), self._register(" ".join(words)))
        for match in _EN_ROLE.finditer(text):
            add(match.start(), match.end(), self.roles.get(_EN_ROLES[match["role"].casefold()]))

        for match in _AR_TITLE.finditer(folded):
            raw = text[match.start("name") : match.end("name")]
            words = _ar_name_words(raw)
            role = match.group("title") if re.fullmatch(_AR_ROLES, match.group("title")) else None
            if words and fold(words[0]).startswith("ال"):
                words = []
            if len(words) >= 2:
                add(match.start(), match.end(), self._register(" ".join(words), role))
            elif words:
                add(match.start(), match.end(), self._surname(words[0]))
        for match in _AR_AFTER_VERB.finditer(folded):
            raw = text[match.start("name") : match.end("name")]
            if re.match(rf"(?:{_AR_ROLES}|{_AR_HONORIFICS})(?![{ARABIC_LETTER}])", fold(raw)):
                continue
            words = _ar_name_words(raw)
            if not words or fold(words[0]).startswith("ال"):
                continue
            name = self._register(" ".join(words)) if len(words) >= 2 else self._surname(words[0])
            add(match.start("name"), match.end(), name)
        for match in _AR_ROLE.finditer(folded):
            add(match.start(), match.end(), self.roles.get(match.group("role")))
        return [Mention(start, name) for start, name in sorted(found.items())]

    def observe(self, text: str) -> None:
        named = self.mentions(text)
        if named:
            self.last = named[-1].name

    def speaker(self, attribution: str) -> str | None:
        """Who an attribution names ("said General Assembly President X", "Mr. Ban
        said"), or for a pronoun ("he said", "قال ذلك", "وأضاف") the last person named."""
        named = self.mentions(attribution)
        if has_arabic(attribution):
            verb = AR_SPEECH.search(fold(attribution))
            if verb:
                near = [
                    m
                    for m in named
                    if m.start >= verb.end() and len(attribution[verb.end() : m.start].split()) <= 2
                ]
                return near[0].name if near else self.last
            return named[0].name if named else None
        pronoun = _EN_PRONOUN.search(attribution)
        if named and (not pronoun or named[0].start < pronoun.start()):
            return named[0].name
        return self.last if pronoun else None


# Sections --------------------------------------------------------------------------------

_AR_CONTINUATION_WORDS = {
    "قد", "كما", "في", "من", "هو", "هي", "هذا", "هذه", "بذلك", "لذلك", "كذلك", "علاوة",
    "بالاضافة", "على", "لكن", "بهذا", "عليه", "ايضا",
}  # fmt: skip
_EN_CONTINUATION = re.compile(
    r"(?:It also|It further|The (?:present |current )?report also|This report also|Furthermore|"
    r"Moreover|In addition|Additionally)\b"
)


def continues_summary(text: str) -> bool:
    """Whether a paragraph of the documents section continues the summary before it:
    an Arabic paragraph opening with the conjunction و joined to a word (ويعترف،
    ويتناول، والتقرير، وقد), or an English one opening "It also", "The report also",
    "Furthermore"…"""
    if _EN_CONTINUATION.match(text):
        return True
    first = fold(strip_tashkeel(text.split(maxsplit=1)[0])) if text.strip() else ""
    if not first.startswith("و") or len(first) < 3:
        return False
    rest = re.sub(rf"[^{ARABIC_LETTER}]+$", "", first[1:])
    return rest[:1] in {"ي", "ت", "ن", "ا"} and len(rest) >= 3 or rest in _AR_CONTINUATION_WORDS


_SEPARATORS = re.compile(r"[\s|•·,;،؛–—-]*")


def tracker_items(text: str) -> list[RelatedStory] | None:
    """The stories on one line of a News Tracker list, or None when the line is prose."""
    segments = parse_inline(text)
    links = [s for s in segments if isinstance(s, Link)]
    rest = [s for s in segments if isinstance(s, str)]
    if links and all(_SEPARATORS.fullmatch(s) for s in rest):
        return [RelatedStory(link.text, link.target) for link in links]
    title = plain(segments)
    if not links and len(title.split()) <= 25 and not title.endswith((".", "۔")):
        return [RelatedStory(title, None)]
    return None


def _title_like(text: str) -> bool:
    words = plain_text(text).split()
    return (
        1 <= len(words) <= TITLE_WORDS
        and words[-1][-1] not in ".!?؟:;؛,،…"
        and bool(re.search(r"[^\W\d_]", text))
    )


# Between "Article 99" and a quotation, a verb of a person's saying means the quotation is
# that person's words ("… Article 99, saying “…”"), not the Charter's.
_REPORTED = re.compile(
    r"\b(?:said|told|saying|added|stressed|noted|recalled|explained|emphasi[sz]ed|quoted)\b"
    r"|(?<![\w])و?(?:قال|قالت|قائلا|قائلة|اضاف|اضافت|مضيفا|مضيفة)(?![\w])"
)


def _slice_segments(segments: tuple[Segment, ...], offset: int) -> tuple[Segment, ...]:
    """The segments after ``offset`` characters of their plain text."""
    result: list[Segment] = []
    position = 0
    for segment in segments:
        text = segment.text if isinstance(segment, Link) else segment
        end = position + len(text)
        if end > offset:
            if position >= offset:
                result.append(segment)
            else:
                result.append(text[offset - position :])
        position = end
    if result and isinstance(result[0], str):
        result[0] = result[0].lstrip()
        if not result[0]:
            result.pop(0)
    return tuple(result)


# Lines → blocks ----------------------------------------------------------------------------


@dataclass
class Block:
    text: str
    line: int


def _stands_alone(text: str, *, as_next: bool) -> bool:
    if masthead_line(text) or heading(text) or credit(text):
        return True
    found = dateline(text)
    return bool(found) and (as_next or not found.rest)


_TERMINAL = ".!?؟:;؛…\"”»’)]'"


def _hard_wrapped(lines: list[str]) -> tuple[bool, int]:
    """Whether the text is visibly hard-wrapped, and its width.

    Every line is at most ``WRAP_WIDTH`` characters and several of the long lines (at
    least 60% of the width) end in the middle of a sentence with the next line
    following straight on; one-line paragraphs end with punctuation instead.
    """
    width = max(len(line) for line in lines)
    if width > WRAP_WIDTH or width < 30:
        return False, width
    long = [i for i, line in enumerate(lines) if len(line) >= 0.6 * width]
    open_ = [
        i for i in long if lines[i][-1] not in _TERMINAL and i + 1 < len(lines) and lines[i + 1]
    ]
    return len(open_) >= 2 and len(open_) >= 0.3 * len(long), width


def blocks_of(text: str) -> list[Block]:
    """Paragraph-sized blocks with their first line (see the module docstring)."""
    lines = [normalise_space(line) for line in text.split("\n")]
    wrapped, width = _hard_wrapped(lines)
    first = next((i for i, line in enumerate(lines) if line), 0)
    blocks: list[Block] = []
    previous = ""
    for index, line in enumerate(lines):
        if not line:
            previous = ""
            continue
        joins = (
            previous
            and previous[-1] not in _TERMINAL
            and (
                (line[0].isascii() and line[0].islower())
                or (
                    wrapped
                    and len(previous) >= 0.6 * width
                    and not (index - 1 == first and _title_like(previous))
                )
            )
            and not _stands_alone(previous, as_next=False)
            and not _stands_alone(line, as_next=True)
        )
        if joins:
            blocks[-1].text += " " + line
        else:
            blocks.append(Block(line, index + 1))
        previous = line
    return blocks


# The document ------------------------------------------------------------------------------


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W_]", text))


class _Parser:
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
                expect_source and len(block.text.split()) <= 6 and _title_like(block.text)
            ):
                self.source = source_name(block.text) if not has_arabic(block.text) else block.text
                expect_source = False
            elif not _has_words(block.text) and parts:
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
            if credit(text) or not _has_words(text):
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
            prose = [b for b in before if not credit(b.text) and _has_words(b.text)]
            if not prose:
                raise self.error(
                    block.line,
                    "no title found: a news story needs its title on a line before the dateline",
                )
            self.set_title(prose[0])
            others = [b for b in before if b is not prose[0] and _has_words(b.text)]
            after = self.blocks[index + 1 :]
            if line.rest:
                after.insert(0, Block(line.rest, block.line))
            return others, after
        if self.masthead:
            after = [b for b in rest if _has_words(b.text) and not credit(b.text)]
            where = after[0].line if after else self.blocks[start - 1].line
            raise self.error(
                where, f"no dateline found: a news story needs a line like '{DATELINE_EXAMPLE}'"
            )
        prose = [i for i, b in enumerate(rest) if not credit(b.text)]
        if prose:
            first = rest[prose[0]]
            later = any(not heading(b.text) for b in rest[prose[0] + 1 :])
            if (
                _title_like(first.text)
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

    def charter_quotation(self, paragraph: Paragraph) -> list[BodyItem] | None:
        text = paragraph.text
        mentions = article_mentions(text)
        if not mentions:
            return None
        spans, _ = quoted_spans(text)
        for span in spans:
            quoted = normalise_space(span.inner)
            before = [m for m in mentions if m[1] <= span.start]
            if len(quoted.split()) < 3 or not before:
                continue
            _start, end, articles = before[-1]
            between = text[end : span.start]
            if re.search(r"[.!?؟](?:\s|$)", between) or _REPORTED.search(fold(between)):
                continue  # cited in an earlier sentence, or the quotation is a person's words
            items: list[BodyItem] = [
                CharterQuotation(articles[-1], text[: span.start].rstrip(), quoted, paragraph.line)
            ]
            after = text[span.end :]
            offset = span.end + len(after) - len(after.lstrip(" .,،;؛:"))
            if _has_words(text[offset:]):
                items.append(Paragraph(_slice_segments(paragraph.segments, offset), paragraph.line))
            return items
        return None

    def prose(self, block: Block) -> list[BodyItem]:
        paragraph = Paragraph(parse_inline(block.text), block.line)
        items = self.charter_quotation(paragraph)
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
        groups: list[tuple[list[str], int]] = []
        for block in self.report_blocks:
            text = plain_text(block.text)
            if groups and continues_summary(text):
                groups[-1][0].append(text)
            else:
                groups.append(([text], block.line))
        known = {r.number: r.body for _o, r in resolution_mentions(self.text) if r.body}
        summaries = []
        for texts, line in groups:
            text = "\n\n".join(texts)
            summaries.append(
                ReportSummary(text, line, find_symbols(text), find_resolutions(text, known))
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
