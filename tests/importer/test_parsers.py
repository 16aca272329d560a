"""The raw-document parsers: plain functions over text, tested without Django or a database.

Runs under plain pytest without Django installed (``python -m pytest
tests/importer/test_parsers.py -p no:django --noconftest``: ``tests/conftest.py`` imports
Wagtail) and under pytest-django (no test here asks for the database).
"""

import dataclasses
import datetime
import random
from pathlib import Path

import pytest

from apps.importer.parsers import (
    ParseError,
    blocks_of,
    credit,
    dateline,
    parse_document,
    quoted_spans,
    split_quote,
)
from apps.importer.records import (
    CharterQuotation,
    Duplicate,
    ImageCredit,
    Link,
    Paragraph,
    Quote,
    RelatedStory,
    Resolution,
)
from apps.importer.text import (
    charter_articles,
    detect_language,
    find_resolutions,
    find_symbols,
    parse_inline,
    safe_target,
)

HERE = Path(__file__).resolve()
DOCUMENTS = HERE.parent / "documents"
SEEDS = HERE.parents[2] / "fixtures" / "source"
EN_SEED, AR_SEED = "000_e386c12eba7db6b5.txt", "003_75b5a7c06eb5e357.txt"

GA, SC = "General Assembly", "Security Council"


def seed_bytes(name):
    return (SEEDS / name).read_bytes()


def seed(name):
    return parse_document(seed_bytes(name), name=name)


def document(name):
    return parse_document((DOCUMENTS / name).read_bytes(), name=name)


def kinds(items):
    return [type(item).__name__ for item in items]


# The English seed --------------------------------------------------------------------------


def test_english_seed_header():
    doc = seed(EN_SEED)
    assert (doc.name, doc.kind, doc.language) == (EN_SEED, "news", "en")
    assert doc.masthead == "With breaking stories and newswire products from UN NEWS CENTRE"
    assert doc.source == "UN News Centre"
    assert doc.title == (
        "UN must lead way in conflict mediation efforts worldwide, say top officials"
    )
    assert doc.date == datetime.date(2011, 11, 9)


def test_english_seed_lead_keeps_its_links_without_targets():
    lead = seed(EN_SEED).lead
    assert lead.line == 18
    assert lead.segments == (
        "The United Nations must enhance its capacity to provide mediation support to prevent "
        "conflicts worldwide, ",
        Link("Secretary-General", None),
        " Ban Ki-moon said today, adding that partnerships with regional organizations and "
        "civil society would be crucial to achieve this.",
    )
    assert lead.text.startswith("The United Nations must enhance")
    assert "[Secretary-General](#) Ban" not in lead.text
    assert "worldwide, Secretary-General Ban Ki-moon said today" in lead.text


def test_english_seed_body_paragraphs_and_quotes():
    body = seed(EN_SEED).body
    assert kinds(body) == [
        "Paragraph", "Quote", "Paragraph", "Paragraph", "Paragraph",
        "Quote", "Quote", "Paragraph", "Quote", "Paragraph",
    ]  # fmt: skip
    assert [item.line for item in body] == [20, 22, 24, 26, 28, 30, 32, 34, 36, 38]
    assert body[0].segments[1] == Link("said", None)
    assert body[0].text.startswith("During an informal session on mediation at UN Headquarters")
    # A quoted phrase inside a sentence leaves the paragraph a paragraph.
    assert body[2].text.startswith("Mr. Ban stressed that there must be a more “comprehensive")


def test_english_seed_quotes_text_attribution_and_speaker():
    quotes = [item for item in seed(EN_SEED).body if isinstance(item, Quote)]
    assert quotes[0] == Quote(
        text="I am pleased to note how far we have come in recognizing mediation as an invaluable "
        "tool for conflict management and resolution. Today we are able to offer more consistent "
        "and professional support to complex peacemaking processes, whether undertaken by the UN "
        "or its partners.",
        speaker="Ban Ki-moon",
        attribution="he told the General Assembly during an informal session on mediation.",
        line=22,
    )
    assert quotes[1].text == (
        "The world is going through a particularly difficult time and transition, and the United "
        "Nations can – and should – play an important role in resolving disputes and conflicts "
        "worldwide."
    )
    assert quotes[1].attribution == (
        "said General Assembly President Nassir Abdulaziz Al-Nasser, who organized the meeting."
    )
    assert quotes[2].text.endswith(
        "to suggest the theme ‘The role of mediation in the settlement of disputes’ for the "
        "General Debate this session."
    )
    assert [q.attribution for q in quotes[2:]] == ["he said in his opening remarks.", "he said."]
    # "he told" after "Mr. Ban": the full name given earlier; a named speaker; then "he said".
    assert [q.speaker for q in quotes] == [
        "Ban Ki-moon",
        "Nassir Abdulaziz Al-Nasser",
        "Nassir Abdulaziz Al-Nasser",
        "Nassir Abdulaziz Al-Nasser",
    ]


def test_english_seed_news_tracker_and_mentions():
    doc = seed(EN_SEED)
    assert doc.related == (
        RelatedStory(
            "General Assembly urges States to always seek peaceful means of conflict resolution",
            None,
        ),
    )
    assert doc.reports == ()
    assert doc.charter_articles == ()
    assert doc.resolutions == ()  # "a resolution passed in June" has no number
    assert doc.duplicates == ()


# The Arabic seed ---------------------------------------------------------------------------


def test_arabic_seed_is_a_topic_without_title_or_date():
    doc = seed(AR_SEED)
    assert (doc.kind, doc.language) == ("topic", "ar")
    assert (doc.masthead, doc.source, doc.title, doc.date, doc.lead) == (None,) * 5
    assert doc.related == ()


def test_arabic_seed_body_each_line_a_paragraph():
    body = seed(AR_SEED).body
    assert kinds(body) == [
        "ImageCredit", "Paragraph", "CharterQuotation", "Paragraph", "CharterQuotation",
        "ImageCredit", "Paragraph", "Paragraph",
    ]  # fmt: skip
    assert [item.line for item in body] == [1, 2, 3, 3, 4, 6, 7, 8]
    assert body[1].text.startswith("تُستمد أدوار المساعي الحميدة والوساطة")
    assert body[1].text.endswith("أو نتيجة لطلب من مجلس الأمن أو الجمعية العامة.")
    assert body[6].text.startswith("وقد تطور دور الأمين العام")
    assert body[7].text.startswith("قد يتخذ الأمين العام الإجراءات بنفسه")


def test_arabic_seed_credits_drop_the_stray_latin_letter():
    credits = [item for item in seed(AR_SEED).body if isinstance(item, ImageCredit)]
    assert credits == [
        ImageCredit("صورة الأمم المتحدة: دنكان مور", 1, "دنكان مور"),
        ImageCredit("اسكندر ديبيبي/ الأمم المتحدة", 6, "اسكندر ديبيبي"),
    ]


def test_arabic_seed_charter_quotations_keep_the_typo():
    body = seed(AR_SEED).body
    assert body[2] == CharterQuotation(
        article=98,
        intro="تنص المادة 98 من الميثاق على أن الأمين العام، بالإضافة إلى عمله بهذه الصفة في كل "
        "اجتماعات الجمعية العامة، ومجلس الأمن، والمجلس الاقتصادي والاجتماعي ومجلس الوصاية",
        text="يقوم بالوظائف الأخرى التي تكلها إليه هذه الفروع",
        line=3,
    )
    # What follows the quotation in the same paragraph is the next item, not lost.
    assert body[3] == Paragraph(
        ("وغالبًا ما تشمل هذه الوظائف مهامًا تتعلق بمنع نشوب النزاعات وتسويتها بالوسائل السلمية.",),
        3,
    )
    assert body[4] == CharterQuotation(
        article=99,
        intro="تنص المادة 99 من الميثاق على أنه يجوز للأمين العام",
        text="أن ينبِّه مجلس الأمن إلى أية مسألة يرى أنها قد تهدد حفظ السلم والآمن الدوليين",
        line=4,
    )
    assert "والآمن" in body[4].text and "والأمن" not in body[4].text


def test_arabic_seed_documents_section_gives_six_summaries():
    doc = seed(AR_SEED)
    reports = doc.reports
    assert len(reports) == 6
    assert [r.line for r in reports] == [11, 13, 15, 17, 19, 21]
    assert reports[0].text.startswith("يُلخص هذا التقرير التقدم المُحرز في تنفيذ قرار الجمعية")
    assert reports[0].resolutions == (Resolution(GA, "65/283"),)
    assert reports[1].text.startswith("يتناول هذا التقرير الفرص والتحديات")
    # Paragraph 3 (S/2009/189) and paragraph 4 (A/72/115) are two summaries: the «و» that
    # opens paragraph 4 does not join it to the paragraph before.
    assert reports[2].text.startswith("يتناول هذا التقرير التحديات التي تواجهها الأمم المتحدة")
    assert reports[2].text.endswith("والتوصل إلى اتفاقيات تؤدي إلى سلام مستدام.")
    assert "\n" not in reports[2].text and "ويعترف" not in reports[2].text
    assert reports[3].text.startswith("ويعترف التقرير الحالي بالوساطة كأداة مهمة")
    assert reports[3].text.endswith("على مستويات مختلفة.")
    assert reports[4].text.startswith("أُعِدَّ هذا التقرير عملاً بقرار مجلس الأمن رقم 2171 (2014).")
    assert reports[4].resolutions == (Resolution(SC, "2171 (2014)"),)
    assert reports[5].text.startswith("يصف هذا التقرير الجهود المبذولة لتعزيز التعاون")
    assert all(r.symbols == () for r in reports)
    # Paragraph 7 (line 23) repeats paragraph 3 (line 15) word for word, and only it is
    # collapsed.
    assert doc.duplicates == (Duplicate(23, 15),)
    assert sum("يتناول هذا التقرير التحديات" in r.text for r in reports) == 1


ARABIC_DOCUMENTS = """\
يضطلع الأمين العام بالمساعي الحميدة من أجل منع نشوب النزاعات وتسويتها بالوسائل السلمية.
وثائق

يتناول هذا التقرير الوساطة في النزاعات المحلية.

ويتناول هذا التقرير الدبلوماسية الوقائية في المنطقة.

وقد أُعد هذا التقرير عملاً بقرار مجلس الأمن 2171 (2014).

ويتناول هذا التقرير الدبلوماسية الوقائية في المنطقة.

ويتناول هذا التقرير الدبلوماسية الوقائية في المناطق.
"""


def test_documents_section_splits_by_paragraph_even_after_wa():
    """Every paragraph of the documents section is one summary, whether or not it opens
    with «و»; only a word-for-word repeat is collapsed, a near repeat is kept."""
    doc = parse_document(ARABIC_DOCUMENTS.encode(), name="documents.txt")
    assert [r.text for r in doc.reports] == [
        "يتناول هذا التقرير الوساطة في النزاعات المحلية.",
        "ويتناول هذا التقرير الدبلوماسية الوقائية في المنطقة.",
        "وقد أُعد هذا التقرير عملاً بقرار مجلس الأمن 2171 (2014).",
        "ويتناول هذا التقرير الدبلوماسية الوقائية في المناطق.",
    ]
    assert [r.line for r in doc.reports] == [4, 6, 8, 12]
    assert doc.reports[2].resolutions == (Resolution(SC, "2171 (2014)"),)
    assert doc.duplicates == (Duplicate(10, 6),)


def test_english_documents_section_splits_by_paragraph():
    text = (
        "Good offices and mediation\n\n"
        "The Secretary-General exercises good offices.\n\n"
        "Documents\n\n"
        "The present report examines preventive diplomacy.\n\n"
        "It also annexes the Guidance for Effective Mediation.\n\n"
        "Furthermore, the report reviews cooperation with regional organizations.\n"
    )
    doc = parse_document(text.encode(), name="documents-en.txt")
    assert [r.text.split()[0] for r in doc.reports] == ["The", "It", "Furthermore,"]


def test_arabic_seed_mentions():
    doc = seed(AR_SEED)
    assert doc.charter_articles == (98, 99)
    assert doc.resolutions == (Resolution(GA, "65/283"), Resolution(SC, "2171 (2014)"))


# Encodings and line ends -------------------------------------------------------------------


@pytest.mark.parametrize("name", [EN_SEED, AR_SEED])
def test_bom_and_crlf_read_like_the_plain_file(name):
    raw = seed_bytes(name)
    plain = parse_document(raw, name=name)
    assert parse_document(b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n"), name=name) == plain
    assert parse_document(raw.replace(b"\n", b"\r"), name=name) == plain
    assert parse_document("\ufeff" + raw.decode("utf-8"), name=name) == plain


def test_bom_is_not_part_of_the_masthead():
    doc = parse_document(
        b"\xef\xbb\xbfUN NEWS CENTRE\r\n\r\nTitle\r\n\r\n9 November 2011 -\r\n\r\nLead."
    )
    assert doc.masthead == "UN NEWS CENTRE"
    assert doc.title == "Title"
    assert doc.lead == Paragraph(("Lead.",), 7)


# Bad input ---------------------------------------------------------------------------------

BAD = [
    ("bad_empty.txt", None, "the file is empty"),
    ("bad_whitespace.txt", None, "the file is empty"),
    ("bad_nul.bin", 5, "binary file, not text: NUL byte at line 5"),
    ("bad_latin1.txt", 5, "not UTF-8 text: invalid byte 0xE9 at line 5"),
    (
        "bad_no_dateline.txt",
        6,
        "no dateline found: a news story needs a line like '9 November 2011 –'",
    ),
    ("bad_31_february.txt", 5, "31 February 2011 is not a date"),
    ("bad_long_title.txt", 3, "title is 300 characters; the limit is 255"),
]


@pytest.mark.parametrize(("name", "line", "message"), BAD)
def test_bad_documents_are_refused_with_line_and_reason(name, line, message):
    with pytest.raises(ParseError) as caught:
        document(name)
    error = caught.value
    assert (error.name, error.line) == (name, line)
    assert error.message.startswith(message)
    where = f"{name}, line {line}" if line else name
    assert str(error).startswith(f"{where}: {message}")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        ("", None, "the file is empty"),
        (" \n\t\r\n", None, "the file is empty (only whitespace)"),
        (b"\xef\xbb\xbf", None, "the file is empty"),
        (b"ok\r\nok\r\n\x89PNG", 3, "not UTF-8 text: invalid byte 0x89 at line 3"),
        (b"one\rtwo\rthree \xff", 3, "not UTF-8 text: invalid byte 0xFF at line 3"),
        ("text\n\x00", 2, "binary file, not text: NUL byte at line 2"),
        ("a\nb\n\x07bell", 3, "binary file, not text: control character 0x07 at line 3"),
        (b"\xff\xfeU\x00N\x00", None, "not UTF-8 text: the file starts with the UTF-16"),
        ("1234 5678\n\n---", None, "no English or Arabic text found"),
        ("Title\n\n30 شباط 2012 –\n\nLead.", 3, "30 شباط 2012 is not a date"),
        ("Title\n\n9 تشرين الثاني/ديسمبر 2011 –", 3, "9 تشرين الثاني/ديسمبر 2011 is not a date"),
        ("9 November 2011 – A lead without a title.", 1, "no title found"),
        ("UN NEWS CENTRE\n\nTitle only", 3, "no dateline found"),
    ],
)
def test_bad_input_messages(data, line, message):
    with pytest.raises(ParseError) as caught:
        parse_document(data, name="in.txt")
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_parse_error_str():
    assert str(ParseError("a.txt", 3, "bad")) == "a.txt, line 3: bad"
    assert str(ParseError("a.txt", None, "bad")) == "a.txt: bad"
    assert isinstance(ParseError("a.txt", None, "bad"), Exception)


# News: masthead, title, dateline, lead ------------------------------------------------------


def test_english_news_document():
    doc = document("en_news.txt")
    assert (doc.kind, doc.language, doc.source) == ("news", "en", "UN News Centre")
    assert doc.masthead == "With breaking stories and newswire products from UN NEWS CENTRE"
    assert doc.title == "Envoys urge early mediation as Security Council debates prevention"
    assert doc.date == datetime.date(2014, 3, 12)
    # The text after the dateline's em dash is the first paragraph, the lead.
    assert doc.lead.line == 8
    assert doc.lead.segments == (
        "The Security Council must use mediation earlier, Deputy Secretary-General Jan Eliasson "
        "said today, citing ",
        Link("Article 99", "/en/charter/article-99/"),
        " and ",
        Link("resolution 1325 (2000)", "https://undocs.org/S/RES/1325(2000)"),
        ".",
    )
    assert doc.charter_articles == (99,)
    assert doc.resolutions == (Resolution(None, "1325 (2000)"), Resolution(SC, "2171 (2014)"))


def test_english_news_quotes_and_speakers():
    doc = document("en_news.txt")
    quotes = [item for item in doc.body if isinstance(item, Quote)]
    assert quotes == [
        Quote(
            "Prevention is cheaper than any war. We must act before the guns speak.",
            "Jan Eliasson",
            "he told the Council.",
            12,
        ),
        Quote(
            "Mediation works when it starts early.",
            "Lakhdar Brahimi",
            "said Special Envoy Lakhdar Brahimi, who briefed by video.",
            14,
        ),
        Quote("The Charter gives us the tools.", "Lakhdar Brahimi", "he said.", 18),
    ]


def test_english_news_links_script_credit_tracker_and_duplicate():
    doc = document("en_news.txt")
    assert kinds(doc.body) == ["Paragraph", "Quote", "Quote", "Paragraph", "Quote", "ImageCredit"]
    first = doc.body[0]
    assert first.links == (Link("spoke", None), Link("S/2015/730", None))
    prose = doc.body[3]
    assert "<script>alert(1)</script>" in prose.text
    assert prose.segments[0] == (
        "Mr. Brahimi also noted that <script>alert(1)</script> is not a peace plan, and linked "
    )
    assert prose.links == (
        Link("a safe page", "https://example.org/a?b=1"),
        Link("a trap", None),
        Link("another", None),
        Link("mail", None),
        Link("data", None),
        Link("entity", None),
    )
    assert prose.text.endswith(", entity and [sic] brackets.")
    assert doc.body[5] == ImageCredit("UN Photo/Mark Garten", 20, "Mark Garten")
    assert doc.related == (
        RelatedStory(
            "Security Council stresses prevention in open debate",
            "https://news.un.org/en/story/2014/08/474972",
        ),
        RelatedStory("General Assembly urges States to seek peaceful means", None),
    )
    assert doc.duplicates == (Duplicate(22, 10),)


def test_arabic_news_document():
    doc = document("ar_news.txt")
    assert (doc.kind, doc.language) == ("news", "ar")
    assert doc.masthead == doc.source == "مركز أنباء الأمم المتحدة"
    assert doc.title == "الأمين العام يدعو إلى تعزيز الوساطة في النزاعات"
    # "٩ نوفمبر ٢٠١١ -": Arabic-Indic digits, an Egyptian month name, a hyphen.
    assert doc.date == datetime.date(2011, 11, 9)
    assert doc.lead.segments[:2] == ("قال ", Link("الأمين العام", None))
    assert doc.lead.text.startswith("قال الأمين العام بان كي مون اليوم إن الأمم المتحدة")
    assert doc.charter_articles == (33, 99)
    assert doc.resolutions == (Resolution(GA, "65/283"),)
    assert doc.related == (
        RelatedStory(
            "الجمعية العامة تحث الدول على السعي دائما إلى حل النزاعات بالوسائل السلمية",
            "/ar/news/2011/06/ga/",
        ),
    )
    assert doc.body[-1] == ImageCredit("صورة الأمم المتحدة/ مارك غارتن", 17, "مارك غارتن")


def test_arabic_news_quotes_and_speakers():
    quotes = [item for item in document("ar_news.txt").body if isinstance(item, Quote)]
    assert [(q.text, q.speaker, q.attribution, q.line) for q in quotes] == [
        (
            "يسعدني أن أشير إلى الشوط الذي قطعناه في الاعتراف بالوساطة",
            "بان كي مون",  # "قال ذلك" after "السيد بان"
            "قال ذلك أمام الجمعية العامة.",
            9,
        ),
        (
            "يمر العالم بفترة صعبة وانتقالية على نحو خاص",
            "ناصر عبد العزيز النصر",  # "قال" + title + full name
            "قال رئيس الجمعية العامة ناصر عبد العزيز النصر، الذي نظم الاجتماع.",
            11,
        ),
        (
            "ثمة اهتمام متزايد بالوساطة داخل منظومة الأمم المتحدة",
            "ناصر عبد العزيز النصر",  # "وأضاف" after "السيد النصر"
            "وأضاف.",
            15,
        ),
    ]


@pytest.mark.parametrize(
    ("line", "date", "rest"),
    [
        ("9 November 2011 –", datetime.date(2011, 11, 9), ""),
        ("9 November 2011 - The lead.", datetime.date(2011, 11, 9), "The lead."),
        ("9 November 2011 — The lead.", datetime.date(2011, 11, 9), "The lead."),
        ("09 Nov. 2011 –", datetime.date(2011, 11, 9), ""),
        ("November 9, 2011 – Lead", datetime.date(2011, 11, 9), "Lead"),
        ("9 November 2011", datetime.date(2011, 11, 9), ""),
        ("9 تشرين الثاني/نوفمبر 2011 –", datetime.date(2011, 11, 9), ""),
        ("9 تشرين الثاني / نوفمبر 2011 – قال", datetime.date(2011, 11, 9), "قال"),
        ("9 نوفمبر 2011 -", datetime.date(2011, 11, 9), ""),
        ("٩ نوفمبر ٢٠١١ - قال الأمين العام", datetime.date(2011, 11, 9), "قال الأمين العام"),
        ("۲۲ حزيران/يونيه ۲۰۱۱ –", datetime.date(2011, 6, 22), ""),
        ("1 كانون الثاني/يناير 2015 —", datetime.date(2015, 1, 1), ""),
        ("3 آذار/مارس 2014 –", datetime.date(2014, 3, 3), ""),
        ("3 إبريل 2014 –", datetime.date(2014, 4, 3), ""),
        ("15 آب/أغسطس 2014 –", datetime.date(2014, 8, 15), ""),
        ("5 أيار/مايو 2014 –", datetime.date(2014, 5, 5), ""),
    ],
)
def test_dateline_variants(line, date, rest):
    found = dateline(line)
    assert datetime.date(found.year, found.months[0], found.day) == date
    assert found.rest == rest


@pytest.mark.parametrize(
    "line", ["9 November 2011 was a Wednesday.", "In November 2011 –", "9 Novembre 2011 –", "UN"]
)
def test_not_a_dateline(line):
    assert dateline(line) is None


def test_arabic_news_with_levantine_dateline_on_its_own_line():
    doc = parse_document(
        "عنوان الخبر\n\n9 تشرين الثاني/نوفمبر 2011 –\n\nالفقرة الأولى.\n\nالثانية."
    )
    assert (doc.kind, doc.title, doc.date) == ("news", "عنوان الخبر", datetime.date(2011, 11, 9))
    assert doc.lead == Paragraph(("الفقرة الأولى.",), 5)
    assert doc.body == (Paragraph(("الثانية.",), 7),)


def test_dateline_without_masthead_makes_news_and_a_second_line_is_body():
    doc = parse_document("Title\nA subtitle line\n9 November 2011 – Lead text.\nMore.")
    assert (doc.kind, doc.title, doc.source, doc.masthead) == ("news", "Title", None, None)
    assert doc.lead == Paragraph(("Lead text.",), 3)
    assert doc.body == (Paragraph(("A subtitle line",), 2), Paragraph(("More.",), 4))


def test_text_after_the_dash_and_its_wrapped_lines_are_the_lead():
    doc = parse_document(
        "A title\n\n9 November 2011 – The United Nations must enhance its\n"
        "capacity to provide mediation support.\n\nSecond paragraph."
    )
    assert doc.lead == Paragraph(
        ("The United Nations must enhance its capacity to provide mediation support.",), 3
    )
    assert doc.body == (Paragraph(("Second paragraph.",), 6),)


def test_title_of_255_characters_is_accepted():
    title = "x" * 255
    assert parse_document(f"{title}\n\n9 November 2011 –\n\nLead.").title == title


# Paragraphs and topic titles ---------------------------------------------------------------


def test_each_line_is_a_paragraph_without_blank_lines():
    doc = parse_document(
        "Mediation is a tool of peaceful settlement used by the Secretary-General for decades.\n"
        "Second paragraph on the next line without a blank line between them, also long.\n"
    )
    assert [p.text for p in doc.body] == [
        "Mediation is a tool of peaceful settlement used by the Secretary-General for decades.",
        "Second paragraph on the next line without a blank line between them, also long.",
    ]
    assert doc.title is None  # the first line is no title: it ends with a full stop


def test_hard_wrapped_lines_are_joined():
    english = blocks_of(
        "The United Nations must enhance its capacity to provide mediation\n"
        "support to prevent conflicts worldwide.\n\nNext paragraph."
    )
    assert [(b.text, b.line) for b in english] == [
        (
            "The United Nations must enhance its capacity to provide mediation support to "
            "prevent conflicts worldwide.",
            1,
        ),
        ("Next paragraph.", 4),
    ]
    # Arabic has no lower case: a file whose lines all stop short and end mid-sentence is
    # wrapped, so a line that fills the width and ends mid-sentence runs on.
    arabic = blocks_of(
        "المساعي الحميدة والوساطة\n"
        "صورة الأمم المتحدة: دنكان مور\n"
        "تُستمد أدوار المساعي الحميدة والوساطة التي يضطلع بها الأمين العام في منع\n"
        "نشوب النزاعات وتسويتها بالوسائل السلمية من الميثاق، وقد تطورت من خلال\n"
        "الممارسة الواسعة النطاق.\n"
        "وثائق\n"
    )
    assert [b.line for b in arabic] == [1, 2, 3, 6]
    assert arabic[2].text == (
        "تُستمد أدوار المساعي الحميدة والوساطة التي يضطلع بها الأمين العام في منع نشوب النزاعات "
        "وتسويتها بالوسائل السلمية من الميثاق، وقد تطورت من خلال الممارسة الواسعة النطاق."
    )
    # One-line paragraphs that end with full stops are not wrapped, however short.
    short = blocks_of(
        "المساعي الحميدة والوساطة\nيضطلع الأمين العام بالمساعي الحميدة.\nوتطورت الأدوار.\n"
    )
    assert [b.line for b in short] == [1, 2, 3]


def test_english_topic_document():
    doc = document("en_topic.txt")
    assert (doc.kind, doc.language, doc.title) == ("topic", "en", "Good offices and mediation")
    assert (doc.date, doc.lead, doc.masthead, doc.source) == (None, None, None, None)
    assert kinds(doc.body) == [
        "ImageCredit", "Paragraph", "CharterQuotation", "Paragraph", "CharterQuotation",
        "Paragraph", "ImageCredit",
    ]  # fmt: skip
    assert doc.body[0] == ImageCredit("UN Photo / Duncan Moore", 3, "Duncan Moore")
    assert doc.body[2] == CharterQuotation(
        98,
        "Article 98 of the Charter provides that the Secretary-General",
        "shall perform such other functions as are entrusted to him by these organs",
        7,
    )
    assert doc.body[3] == Paragraph(
        ("These functions often include the prevention of conflicts.",), 7
    )
    assert doc.body[4].article == 99
    assert doc.body[4].text.startswith("bring to the attention of the Security Council")
    assert doc.body[6] == ImageCredit("UN Photo/Eskinder Debebe", 13, "Eskinder Debebe")
    # "article 5 of the Convention" is another instrument's.
    assert doc.charter_articles == (2, 33, 98, 99)


def test_english_documents_section_one_summary_per_paragraph_and_duplicate():
    doc = document("en_topic.txt")
    assert [(r.line, r.symbols, r.resolutions) for r in doc.reports] == [
        (17, ("A/66/811",), (Resolution(GA, "65/283"),)),
        (19, (), ()),  # "It also annexes …" is a paragraph, so a summary, of its own
        (21, ("S/2009/189",), ()),
        (23, ("S/PRST/2008/36",), (Resolution(SC, "2171 (2014)"),)),
        (25, (), (Resolution(SC, "2171 (2014)"),)),
    ]
    assert doc.reports[0].text.endswith("major trends in mediation.")
    assert doc.reports[4].text.startswith("Furthermore, it reviews")
    assert doc.duplicates == (Duplicate(27, 21),)


def test_arabic_topic_document():
    doc = document("ar_topic.txt")
    assert (doc.kind, doc.language, doc.title) == ("topic", "ar", "المساعي الحميدة والوساطة")
    assert kinds(doc.body) == [
        "ImageCredit", "Paragraph", "CharterQuotation", "Paragraph", "ImageCredit", "ImageCredit",
    ]  # fmt: skip
    credits = [item for item in doc.body if isinstance(item, ImageCredit)]
    assert credits == [
        ImageCredit("صورة الأمم المتحدة: دنكان مور", 2, "دنكان مور"),
        ImageCredit("اسكندر ديبيبي / الأمم المتحدة", 6, "اسكندر ديبيبي"),
        ImageCredit("إيفان شنايدر/ الأمم المتحدة", 7, "إيفان شنايدر"),
    ]
    assert doc.body[2].text.endswith("حفظ السلم والآمن الدوليين")
    # "المادتين ٩٨ و٩٩": dual, Arabic-Indic digits; "المادة 5 من الاتفاقية" is not the Charter.
    assert doc.charter_articles == (98, 99)
    assert doc.duplicates == (Duplicate(8, 3), Duplicate(19, 11))
    assert [(r.line, r.symbols, r.resolutions) for r in doc.reports] == [
        (11, ("A/66/811",), (Resolution(GA, "65/283"),)),
        (13, (), ()),  # opens with «و» and is a summary of its own
        (15, ("S/2015/730",), (Resolution(SC, "2171 (2014)"),)),
        (17, (), ()),
    ]
    assert doc.reports[1].text == "ويتناول التقرير كذلك إرشادات الوساطة الفعالة."


# Links -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("https://undocs.org/A/66/811", "https://undocs.org/A/66/811"),
        ("http://example.org", "http://example.org"),
        ("HTTPS://EXAMPLE.ORG/x", "HTTPS://EXAMPLE.ORG/x"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("/en/charter/article-99/", "/en/charter/article-99/"),
        ("/ar/الأخبار/", "/ar/الأخبار/"),
        ("/", "/"),
        ("", None),
        ("   ", None),
        ("#", None),
        ("#section", None),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("  javascript:alert(1)", None),
        ("java&#115;cript:alert(1)", None),
        ("%6Aavascript:alert(1)", None),
        ("vbscript:msgbox", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("mailto:press@un.org", None),
        ("//evil.example", None),
        ("/\\evil.example", None),
        ("http://", None),
        ("https:///path", None),
        ("ftp://example.org", None),
        ("news/story", None),
        ("https://example.org/a b", None),
    ],
)
def test_safe_target(target, kept):
    assert safe_target(target) == kept


def test_inline_links_and_literal_brackets():
    assert parse_inline("See  [the report](https://undocs.org/A/66/811)\tnow") == (
        "See ",
        Link("the report", "https://undocs.org/A/66/811"),
        " now",
    )
    assert parse_inline("[a](#)[b]() [c](javascript:x)") == (
        Link("a", None),
        Link("b", None),
        " ",
        Link("c", None),
    )
    assert parse_inline("[sic] and [](https://x.org) and [ ](/x) and a [note] (aside)") == (
        "[sic] and [](https://x.org) and [ ](/x) and a [note] (aside)",
    )
    assert parse_inline(r"\[not](/a link)") == ("[not](/a link)",)
    assert parse_inline("<script>alert(1)</script> & <b>") == ("<script>alert(1)</script> & <b>",)


def test_script_survives_as_text_in_a_paragraph():
    doc = parse_document("A note\n\n<script>alert(1)</script> was in the source.\n\nEnd.")
    assert doc.body[0] == Paragraph(("<script>alert(1)</script> was in the source.",), 3)
    assert doc.body[0].text == "<script>alert(1)</script> was in the source."


# Quotes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“A, b,” he said. “C d.”", ("A, b. C d.", "he said.")),
        ('"Peace now," she told reporters.', ("Peace now.", "she told reporters.")),
        ("«السلام الآن»، قال ذلك.", ("السلام الآن", "قال ذلك.")),
        ("Mr. Ban said: “We must act now.”", ("We must act now.", "Mr. Ban said")),
        ("وقال السيد بان: «علينا أن نعمل معا.»", ("علينا أن نعمل معا.", "وقال السيد بان")),
        ("“Quoted words only, three or more.”", ("Quoted words only, three or more.", "")),
        ("“A phrase” is what the report called it.", None),
        ("Mr. Ban stressed a more “comprehensive approach”.", None),
        ("“Unclosed, he said.", None),
        ("“Two words”", None),
    ],
)
def test_split_quote(text, expected):
    assert split_quote(text) == expected


def test_speakers_full_name_surname_pronoun_role_and_unknown():
    doc = parse_document(
        "Mediation notes\n\n"
        "“We will prevail,” Ms. Amina Mohammed said.\n\n"
        "“And again,” she said.\n\n"
        "Secretary-General Ban Ki-moon opened the debate.\n\n"
        "“Mediation first,” the Secretary-General said.\n\n"
        "“Who is this,” Mr. Smith said.\n\n"
        "“The envoy agrees,” said the envoy.\n\n"
        "Mr. Ban closed the meeting.\n\n"
        "“Thank you all,” he said."
    )
    quotes = [item for item in doc.body if isinstance(item, Quote)]
    assert [q.speaker for q in quotes] == [
        "Amina Mohammed",
        "Amina Mohammed",
        "Ban Ki-moon",
        None,  # "Mr. Smith": no full name ends in Smith
        None,  # no person and no pronoun
        "Ban Ki-moon",
    ]


# Credits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("UN Photo/Duncan Moore", ("UN Photo/Duncan Moore", "Duncan Moore")),
        ("UN Photo / Eskinder Debebe", ("UN Photo / Eskinder Debebe", "Eskinder Debebe")),
        ("UN Photo/J.C. McIlwaine", ("UN Photo/J.C. McIlwaine", "J.C. McIlwaine")),
        ("صورة الأمم المتحدة: دنكان مور", ("صورة الأمم المتحدة: دنكان مور", "دنكان مور")),
        ("اسكندر ديبيبي/ الأمم المتحدة", ("اسكندر ديبيبي/ الأمم المتحدة", "اسكندر ديبيبي")),
        ("اسكندر ديبيبي / الأمم المتحدة", ("اسكندر ديبيبي / الأمم المتحدة", "اسكندر ديبيبي")),
        ("اسكندر ديبيبي/ الأمم المتحدةs", ("اسكندر ديبيبي/ الأمم المتحدة", "اسكندر ديبيبي")),
        ("صورة الأمم المتحدة: دنكان مورs", ("صورة الأمم المتحدة: دنكان مور", "دنكان مور")),
        ("UN Photo/", None),
        ("The UN Photo/Video unit said the pictures were taken in the field, in 2011.", None),
        ("قرار حزيران/يونيه الذي تبنته الأمم المتحدة والدول الأعضاء / الأمم المتحدة", None),
    ],
)
def test_credit(line, expected):
    assert credit(line) == expected


# Charter articles, resolutions, symbols -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "articles"),
    [
        ("Article 99", (99,)),
        ("under article 99 of the Charter of the United Nations", (99,)),
        ("Articles 98 and 99", (98, 99)),
        ("Articles 33, 98, and 99 and Article 2 (4)", (2, 33, 98, 99)),
        ("article 5 of the Convention against Torture", ()),
        ("Article 200", ()),
        ("المادة 99", (99,)),
        ("المادتين 98 و99", (98, 99)),
        ("المادتان ٩٨ و ٩٩ من الميثاق", (98, 99)),
        ("والمادة 33 وللمادة 99 وبالمادة 98", (33, 98, 99)),
        ("المواد 33 و98 و99", (33, 98, 99)),
        ("المادة 5 من الاتفاقية", ()),
        ("المادة 99 من ميثاق الأمم المتحدة", (99,)),
        ("no article here, 99 problems", ()),
    ],
)
def test_charter_articles(text, articles):
    assert charter_articles(text) == articles


@pytest.mark.parametrize(
    ("text", "resolutions"),
    [
        ("General Assembly resolution 65/283", [(GA, "65/283")]),
        ("Security Council resolution 2171 (2014)", [(SC, "2171 (2014)")]),
        ("resolution 1325 (2000)", [(None, "1325 (2000)")]),
        (
            "Security Council resolutions 1325 (2000) and 1820(2008)",
            [(SC, "1325 (2000)"), (SC, "1820 (2008)")],
        ),
        (
            "Security Council resolution 1325 (2000); resolution 1325 (2000); resolution 1325",
            [(SC, "1325 (2000)")],
        ),
        ("resolution 65/283, 22 June 2011", [(None, "65/283")]),
        ("a resolution passed in June", []),
        ("قرار الجمعية العامة 65/283", [(GA, "65/283")]),
        ("قرار مجلس الأمن رقم 2171 (2014)", [(SC, "2171 (2014)")]),
        ("بقرار الجمعية العامة ٦٥/٢٨٣", [(GA, "65/283")]),
        ("قراري مجلس الأمن 1325 (2000) و1820 (2008)", [(SC, "1325 (2000)"), (SC, "1820 (2008)")]),
        ("A/RES/65/283 and S/RES/2171 (2014)", [(GA, "65/283"), (SC, "2171 (2014)")]),
    ],
)
def test_resolutions(text, resolutions):
    assert find_resolutions(text) == tuple(Resolution(b, n) for b, n in resolutions)


def test_resolution_body_from_elsewhere_in_the_document():
    assert find_resolutions("resolution 2171 (2014)", {"2171 (2014)": SC}) == (
        Resolution(SC, "2171 (2014)"),
    )


def test_symbols():
    text = (
        "See S/2015/730, A/66/811. A/RES/65/283 and S/PRST/2008/36; A/66/811/Add.1; "
        "S/RES/2171 (2014), again S/2015/730 (2015), S/25704, not https://undocs.org/A/66/812, "
        "AS/1/2 or grade A/1."
    )
    assert find_symbols(text) == (
        "S/2015/730",
        "A/66/811",
        "A/RES/65/283",
        "S/PRST/2008/36",
        "A/66/811/Add.1",
        "S/RES/2171 (2014)",
        "S/25704",
    )


# Records and language ------------------------------------------------------------------------


def test_records_are_frozen_and_hold_tuples():
    doc = seed(EN_SEED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.body[0].line = 1
    for value in (doc.body, doc.related, doc.reports, doc.charter_articles, doc.resolutions):
        assert isinstance(value, tuple)
    assert isinstance(doc.lead.segments, tuple)
    assert str(Resolution(GA, "65/283")) == "General Assembly resolution 65/283"


def test_charter_mention_before_a_persons_words_is_no_charter_quotation():
    doc = parse_document(
        "Notes\n\nHe cited Article 99 of the Charter, saying “it gives the Secretary-General a "
        "voice of his own”.\n\nEnd."
    )
    assert kinds(doc.body) == ["Paragraph", "Paragraph"]
    assert doc.charter_articles == (99,)


def test_mutated_documents_parse_or_raise_parse_error():
    """Whatever is cut, repeated or inserted, the parser returns records or a ParseError."""
    rng = random.Random(20111109)
    sources = [seed_bytes(EN_SEED).decode(), seed_bytes(AR_SEED).decode()]
    sources += [(DOCUMENTS / n).read_text("utf-8") for n in ("en_news.txt", "ar_topic.txt")]
    pieces = ["“", "”", "«", "»", "[", "](", ")", "\n", "\n\n", "\r", " – ", "Article 99 "]
    pieces += ["قال ", "Mr. ", "UN Photo/", "/ الأمم المتحدة", "وثائق", "News Tracker", "و"]
    outcomes = {"parsed": 0, "refused": 0}
    for _ in range(300):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.5:
                text = text[:at] + rng.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + rng.randint(1, 60) :]
        try:
            doc = parse_document(text, name="mutated.txt")
        except ParseError as error:
            assert error.name == "mutated.txt" and error.message
            outcomes["refused"] += 1
            continue
        outcomes["parsed"] += 1
        assert doc.kind in {"news", "topic"} and doc.language in {"en", "ar"}
        assert doc.kind == "topic" or (doc.title and doc.date)
        links = [s for p in doc.body if isinstance(p, Paragraph) for s in p.segments]
        for link in (s for s in links if isinstance(s, Link) and s.target):
            assert link.target.lower().startswith(("http://", "https://", "/"))
            assert not link.target.startswith("//")
    assert outcomes["parsed"] > 200


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Secretary-General", "en"),
        ("الأمين العام UN Photo", "ar"),
        ("[الأمين العام](https://example.org/a-very-long-english-looking-address)", "ar"),
        ("12345 !!", None),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_quoted_spans_pair_each_mark_with_its_closer_and_tell_an_unclosed_one():
    text = 'He said “peace, “now”” and «سلام» then "yes" „ja“ and “open'
    spans, balanced = quoted_spans(text)
    assert [span.inner for span in spans] == ["peace, “now", "سلام", "yes", "ja"]
    assert [text[span.start : span.end] for span in spans][0] == "“peace, “now”"
    assert balanced is False
    assert quoted_spans('“a" and «b»') == (
        [type(spans[0])(0, 3, "a"), type(spans[0])(8, 11, "b")], True
    )  # fmt: skip
    assert quoted_spans("no marks at all") == ([], True)
