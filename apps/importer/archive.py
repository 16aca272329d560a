"""A generated archive: raw documents in the seeds' shapes, for measuring at scale.

``generate_archive`` writes news stories (English and Arabic, like
``fixtures/source/000_…``) and topic pages whose documents section summarises
reports (like ``fixtures/source/003_…``), built only from the fixtures'
vocabulary: the titles, paragraphs, quotations and speakers, Charter texts,
photo credits and report summaries of ``fixtures/content/``. The documents are
test data and say so: every file name starts with ``generated-``, an English
story's source line is "Generated archive (test data)", every title starts with
"Generated story N" / "خبر مولد N" (or topic, summary), and every story ends with
a sentence saying it was generated. Quotations of the fixtures' people are their
own words from the fixtures; the other speakers have placeholder names ("Beta
Sample", "بيتا نموذج").

Document ``i`` depends only on the seed and ``i`` (each has its own random
generator), so ``--stories 100`` writes the first hundred files of
``--stories 1000`` and the same seed writes the same files. Files are written
one at a time: memory does not grow with the number of documents.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .content import read_content

LANGUAGES = ("en", "ar")
REPORTS_PER_TOPIC = 4
PREFIX = "generated"
FIRST_DATE = datetime.date(2000, 1, 1)
LAST_DATE = datetime.date(2025, 12, 31)
SOURCE_LINE = "Generated archive (test data)"

MASTHEAD = "With breaking stories and\nnewswire products from"
TRACKER = {"en": "News Tracker: past stories on this issue", "ar": "أخبار ذات صلة"}
DOCUMENTS = {"en": "Documents", "ar": "وثائق"}
LABELS = {
    "story": {"en": "Generated story", "ar": "خبر مولد"},
    "topic": {"en": "Generated topic", "ar": "موضوع مولد"},
    "summary": {"en": "Generated summary {n} (test data).", "ar": "ملخص مولد {n} (بيانات اختبار)."},
}
CLOSING = {
    "en": "This story was generated as test data from the fixtures and reports no real event.",
    "ar": "هذا الخبر مولد آليا بيانات اختبار من النصوص الثابتة ولا ينقل حدثا حقيقيا.",
}
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
AR_MONTHS = (
    "كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
    "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر",
)  # fmt: skip
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Placeholder speakers: plainly not real people, in roles the name recogniser knows.
PLACEHOLDER_GIVEN = {
    "en": [
        "Beta",
        "Gamma",
        "Delta",
        "Epsilon",
        "Zeta",
        "Eta",
        "Theta",
        "Iota",
        "Kappa",
        "Lambda",
        "Sigma",
        "Omega",
    ],
    "ar": [
        "بيتا",
        "غاما",
        "دلتا",
        "إبسيلون",
        "زيتا",
        "إيتا",
        "ثيتا",
        "يوتا",
        "كابا",
        "لامدا",
        "سيغما",
        "أوميغا",
    ],
}
PLACEHOLDER_FAMILY = {
    "en": ["Sample", "Example", "Placeholder", "Testcase"],
    "ar": ["نموذج", "مثال", "تجريبي", "افتراضي"],
}
PLACEHOLDER_ROLES = {
    "en": ("Special Envoy", "Special Representative", "Special Adviser", "High Commissioner"),
    "ar": ("المبعوث الخاص", "الممثل الخاص", "المفوض السامي", "وكيل الأمين العام"),
}
CHARTER_QUOTATION = {
    "en": "Article {n} of the Charter of the United Nations reads: “{text}”",
    "ar": "تنص المادة {n} من ميثاق الأمم المتحدة على ما يلي: «{text}»",
}
CHARTER_MENTION = {
    "en": "This generated story refers to {articles} of the Charter of the United Nations.",
    "ar": "يشير هذا الخبر المولد إلى {articles} من ميثاق الأمم المتحدة.",
}
_NOT_PROSE = re.compile(r"[“”«»\"„\[\]]")


@dataclass(frozen=True)
class Speaker:
    name: dict[str, str]
    role: dict[str, str] = field(default_factory=dict)  # a title before the name, if any
    quotes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # their own words


@dataclass
class Vocabulary:
    """What the generated documents are made of, per language, read from the fixtures."""

    phrases: list[dict[str, str]]  # titles in both languages
    short_phrases: list[dict[str, str]]  # those short enough for a topic's title line
    paragraphs: dict[str, list[str]]
    summaries: dict[str, list[str]]
    credits: dict[str, list[str]]
    charter: list[tuple[int, dict[str, str]]]
    speakers: list[Speaker]

    @classmethod
    def from_fixtures(cls, path=None) -> Vocabulary:
        records = read_content(Path(path or Path(settings.BASE_DIR) / "fixtures" / "content"))
        by_key = {r.key: r for r in records}

        def both(record, name):
            value = record.fields.get(name, record.initial.get(name))
            if isinstance(value, dict) and all(value.get(lang) for lang in LANGUAGES):
                return {lang: " ".join(str(value[lang]).split()) for lang in LANGUAGES}
            return None

        phrases, paragraphs = [], {lang: [] for lang in LANGUAGES}
        summaries, credits = {lang: [] for lang in LANGUAGES}, {lang: [] for lang in LANGUAGES}
        charter, quotes = [], {}
        for record in records:
            title = both(record, "title")
            charter_text = both(record, "text") if "article" in record.fields else None
            if title and record.is_page and not charter_text:
                phrases.append(title)
            for name in ("intro", "lead", "commentary"):
                _add_prose(paragraphs, both(record, name))
            summary = both(record, "summary")
            _add_prose(summaries, summary)
            credit = both(record, "credit")
            if credit:
                for lang in LANGUAGES:
                    credits[lang].append(credit[lang])
            if charter_text:  # a provision's first paragraph
                first = {lang: re.sub(r"^1\.\s*", "", charter_text[lang].split("2. ")[0]).strip()
                         for lang in LANGUAGES}  # fmt: skip
                charter.append((int(record.fields["article"]), first))
            body = record.fields.get("body")
            if isinstance(body, dict):
                for lang in LANGUAGES:
                    for block in body.get(lang) or ():
                        if "paragraph" in block:
                            _add_prose(paragraphs, {lang: " ".join(block["paragraph"].split())})
                        elif "quote" in block and block["quote"].get("speaker"):
                            quote = block["quote"]
                            said = quotes.setdefault(
                                quote["speaker"], {code: [] for code in LANGUAGES}
                            )
                            said[lang].append(" ".join(quote["text"].split()))
                        elif "image" in block and (block["image"] or {}).get("credit"):
                            # A credit line kept without its photograph (topic pages).
                            credits[lang].append(" ".join(block["image"]["credit"].split()))
        speakers = [
            Speaker(both(by_key[key], "name"), {}, {k: tuple(v) for k, v in said.items()})
            for key, said in quotes.items()
            if key in by_key and both(by_key[key], "name") and all(said.values())
        ]
        for index, given in enumerate(PLACEHOLDER_GIVEN["en"]):
            for family_index, family in enumerate(PLACEHOLDER_FAMILY["en"]):
                role = (index + family_index) % len(PLACEHOLDER_ROLES["en"])
                ar = f"{PLACEHOLDER_GIVEN['ar'][index]} {PLACEHOLDER_FAMILY['ar'][family_index]}"
                roles = {lang: PLACEHOLDER_ROLES[lang][role] for lang in LANGUAGES}
                speakers.append(Speaker({"en": f"{given} {family}", "ar": ar}, roles))
        short = [p for p in phrases if len(p["en"].split()) <= 8 and len(p["ar"].split()) <= 8]
        return cls(phrases, short or phrases, paragraphs, summaries, credits, charter, speakers)


def _add_prose(into, texts):
    """Paragraphs that read as plain prose in any position: no quotation marks (they
    would become quotations) and no links."""
    for lang, text in (texts or {}).items():
        prose = text and not _NOT_PROSE.search(text) and len(text.split()) >= 12
        if prose and text not in into[lang]:
            into[lang].append(text)


def arabic_digits(text):
    return str(text).translate(ARABIC_DIGITS)


class ArchiveGenerator:
    """Writes ``stories`` news stories and ``reports`` report summaries (in topic pages
    of up to four summaries each) under ``directory``."""

    def __init__(self, directory, *, seed=0, vocabulary: Vocabulary | None = None):
        self.directory = Path(directory)
        self.seed = seed
        self.words = vocabulary or Vocabulary.from_fixtures()

    def rng(self, kind, number):
        # A string seed is hashed with SHA-512: the same on every machine and run.
        return random.Random(f"{self.seed}/{kind}/{number}")

    @staticmethod
    def topic_count(reports):
        return -(-reports // REPORTS_PER_TOPIC)

    def file_count(self, stories, reports=0):
        return stories + self.topic_count(reports)

    def generate(self, stories, reports=0):
        """Write the files; yield each path as it is written."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for number in range(1, stories + 1):
            yield self.write(*self.story(number))
        for number in range(1, self.topic_count(reports) + 1):
            first = (number - 1) * REPORTS_PER_TOPIC + 1
            count = min(REPORTS_PER_TOPIC, reports - first + 1)
            yield self.write(*self.topic(number, first, count))

    def write(self, name, text):
        path = self.directory / name
        path.write_text(text, encoding="utf-8")
        return path

    # Stories ------------------------------------------------------------------------

    def language(self, kind, number):
        return self.rng(f"{kind}-language", number).choice(LANGUAGES)

    def story_title(self, number, lang):
        phrase = self.rng("story-title", number).choice(self.words.phrases)[lang]
        return f"{LABELS['story'][lang]} {number}: {phrase}"

    def story(self, number):
        rng, lang = self.rng("story", number), self.language("story", number)
        words = self.words
        date = FIRST_DATE + datetime.timedelta(rng.randrange((LAST_DATE - FIRST_DATE).days + 1))
        large = rng.random() < 0.05  # a few long stories: many paragraphs, people, links
        length = rng.randint(6, 12) if large else rng.randint(1, 6)
        paragraphs = rng.sample(words.paragraphs[lang], min(len(words.paragraphs[lang]), length))
        speakers = rng.sample(words.speakers, rng.randint(12, 30) if large else rng.randint(0, 4))
        lead, *body = [*paragraphs, *[None] * len(speakers)]
        rng.shuffle(body)
        blocks, speaking = [], iter(speakers)
        for item in body:
            if item is None:
                blocks += self.quotations(rng, next(speaking), lang)
            else:
                blocks.append(item)
        # A Charter article named, not quoted: a news story's body has no Charter quotation
        # block (topic pages quote the Charter).
        if words.charter and rng.random() < 0.4:
            articles = sorted(rng.sample([a for a, _t in words.charter], rng.randint(1, 2)))
            blocks.append(CHARTER_MENTION[lang].format(articles=self.articles(articles, lang)))
        if words.credits[lang] and rng.random() < 0.3:
            blocks.insert(rng.randint(0, len(blocks)), rng.choice(words.credits[lang]))
        blocks.append(CLOSING[lang])
        lines = []
        if lang == "en":
            lines += [MASTHEAD, SOURCE_LINE]
        lines.append(self.story_title(number, lang))
        written = self.dateline(date, lang, rng)
        if rng.random() < 0.5:
            lines += [f"{written} {lead}"]
        else:
            lines += [written, lead]
        lines += blocks
        earlier = range(1, number)
        tracker = rng.sample(
            earlier, min(len(earlier), rng.randint(20, 40) if large else rng.randint(0, 4))
        )
        if tracker:
            lines.append(TRACKER[lang])
            for other in tracker:
                title = self.story_title(other, lang)
                lines.append(f"[{title}](#)" if rng.random() < 0.7 else title)
        return f"{PREFIX}-story-{number:06d}-{lang}.txt", "\n\n".join(lines) + "\n"

    @staticmethod
    def articles(articles, lang):
        if lang == "en":
            return " and ".join(f"Article {a}" for a in articles)
        if len(articles) == 2:
            return f"المادتين {articles[0]} و{articles[1]}"
        return f"المادة {articles[0]}"

    def dateline(self, date, lang, rng):
        if lang == "en":
            return f"{date.day} {EN_MONTHS[date.month - 1]} {date.year} –"
        written = f"{date.day} {AR_MONTHS[date.month - 1]} {date.year}"
        return (arabic_digits(written) if rng.random() < 0.3 else written) + " –"

    def quotations(self, rng, speaker, lang):
        """One to three quotations: the first names the speaker, the others say "he said"."""
        own = speaker.quotes.get(lang)
        pool = list(own) if own else self.words.paragraphs[lang]
        said = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        role = speaker.role.get(lang)
        who = f"{role} {speaker.name[lang]}" if role else speaker.name[lang]
        result = []
        for index, text in enumerate(said):
            text = text.rstrip(".")
            if lang == "en":
                result.append(f"“{text},” " + (f"said {who}." if index == 0 else "they said."))
            else:
                result.append(f"«{text}»، " + (f"قال {who}." if index == 0 else "وأضاف."))
        return result

    # Topics and their reports ------------------------------------------------------------

    def topic(self, number, first, count):
        rng, lang = self.rng("topic", number), self.language("topic", number)
        words = self.words
        phrase = rng.choice(words.short_phrases)[lang]
        prose = rng.sample(
            words.paragraphs[lang], min(len(words.paragraphs[lang]), rng.randint(1, 4))
        )
        lines = [f"{LABELS['topic'][lang]} {number}: {phrase}", *prose]
        if words.credits[lang]:
            lines.insert(2, rng.choice(words.credits[lang]))
        if words.charter and rng.random() < 0.5:
            article, text = rng.choice(words.charter)
            lines.append(CHARTER_QUOTATION[lang].format(n=article, text=text[lang].rstrip(".")))
        lines.append(DOCUMENTS[lang])
        for report in range(first, first + count):
            summary = self.rng("summary", report).choice(words.summaries[lang])
            lines.append(f"{LABELS['summary'][lang].format(n=report)} {summary}")
        return f"{PREFIX}-topic-{number:05d}-{lang}.txt", "\n\n".join(lines) + "\n"
