"""What a UN department needs to publish the site: the seeds' facts right, UN Arabic
conventions on pages and feeds, no invented media, honest captions, no self-links, and
the sources named."""

import datetime
import importlib
import re
from io import StringIO
from pathlib import Path

from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import translation

import pytest
from factories import ImageFactory

from apps.charter.models import CharterIndexPage, CharterProvisionPage
from apps.core.blocks import quote_caption
from apps.core.models import CustomImage
from apps.core.rules.attribution import adds_to_quote, names_speaker
from apps.core.rules.charter import quotes_faithfully
from apps.importer.documents import records_for
from apps.importer.parsers import parse_document
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER_MIGRATION = importlib.import_module(
    "apps.core.migrations.0002_remove_placeholder_images"
)
CONTENT = ROOT / "fixtures" / "content"

# key: (symbol, date, mandates, English title, Arabic title), each verified or left empty
# (see the fixtures), in the order of the seed's documents section.
REPORTS = {
    "reports/a-66-811": (
        "A/66/811",
        datetime.date(2012, 6, 25),
        [("GA", "65/283")],
        "Strengthening the role of mediation in the peaceful settlement of disputes, "
        "conflict prevention and resolution",
        "تعزيز دور الوساطة في تسوية المنازعات بالوسائل السلمية ومنع نشوبها وحلها",
    ),
    "reports/preventive-diplomacy-delivering-results": (
        None,
        None,
        [],
        "Preventive diplomacy: delivering results",
        "الدبلوماسية الوقائية: تحقيق النتائج",
    ),
    "reports/s-2009-189": (
        "S/2009/189",
        datetime.date(2009, 4, 8),
        [],
        "Enhancing mediation and its support activities",
        "تعزيز الوساطة وأنشطة دعمها",
    ),
    "reports/a-72-115": (
        "A/72/115",
        datetime.date(2017, 6, 27),
        [("GA", "70/304")],
        "United Nations activities in support of mediation",
        "أنشطة الأمم المتحدة في مجال دعم الوساطة",
    ),
    "reports/s-2015-730": (
        "S/2015/730",
        datetime.date(2015, 9, 25),
        [("SC", "2171 (2014)")],
        "The United Nations and conflict prevention: a collective recommitment",
        "الأمم المتحدة ومنع نشوب النزاعات: تجديد الالتزام الجماعي",
    ),
    "reports/a-70-328": (
        "A/70/328",
        datetime.date(2015, 8, 19),
        [("GA", "68/303")],
        "Cooperation between the United Nations and regional and subregional "
        "organizations on mediation",
        "التعاون بين الأمم المتحدة والمنظمات الإقليمية ودون الإقليمية في مجال الوساطة",
    ),
}


def get(client, page, language, query=""):
    with translation.override(language):
        url = page.get_url()
    response = client.get(url + query)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(html):
    """The visible text of a page's <main> (tags dropped, spaces collapsed)."""
    main = re.search(r"<main\b.*?</main>", html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main.group(0) if main else html).split())


# The six reports ---------------------------------------------------------------------


def test_six_reports_with_their_facts_in_source_order(site):
    topic = TopicPage.objects.get()
    reports = [link.report for link in topic.related_reports.all()]
    assert [r.content_key for r in reports] == list(REPORTS)
    for report in reports:
        symbol, date, mandates, title_en, title_ar = REPORTS[report.content_key]
        assert (report.symbol, report.date) == (symbol, date), report.content_key
        assert [(m.body, m.number) for m in report.mandates.all()] == mandates
        assert (report.title_en, report.title_ar) == (title_en, title_ar)
        assert report.source_name_en == "UN Peacemaker"


def test_paragraph_four_is_the_summary_of_a_72_115_not_of_s_2009_189(site):
    s_2009_189 = ReportPage.objects.get(symbol="S/2009/189")
    a_72_115 = ReportPage.objects.get(symbol="A/72/115")
    assert "ويعترف" not in s_2009_189.summary_ar and "\n" not in s_2009_189.summary_ar
    assert s_2009_189.summary_ar.endswith("والتوصل إلى اتفاقيات تؤدي إلى سلام مستدام.")
    assert a_72_115.summary_ar.startswith("ويعترف التقرير الحالي بالوساطة كأداة مهمة")
    # The official English texts, verbatim.
    assert a_72_115.summary_en.startswith(
        "The present report recognizes mediation as an important tool for conflict prevention"
    )
    assert "five elements of mediation support" not in s_2009_189.summary_en


@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_report_page_shows_symbol_date_mandate_and_title(client, site, language):
    for key, (symbol, date, mandates, title_en, title_ar) in REPORTS.items():
        report = ReportPage.objects.get(content_key=key)
        body = get(client, report, language)
        if symbol:
            assert f'<span class="symbol" dir="ltr">{symbol}</span>' in body
        else:  # not confirmed: no symbol rather than a guessed one
            header = body.split('<header class="page-header">')[1].split("</header>")[0]
            assert 'class="symbol"' not in header
        assert (title_en if language == "en" else title_ar) in body
        if date:
            assert f'<time datetime="{date.isoformat()}">' in body
        else:
            assert "<time" not in text_of(body)
        for organ, number in mandates:
            prefix = "A/RES/" if organ == "GA" else "S/RES/"
            symbol = f"{prefix}{number.replace(' ', '')}"
            assert f'href="https://docs.un.org/{language}/{symbol}"' in body


# Official texts and the site's translations ----------------------------------------


def test_the_sites_translations_are_marked_like_the_fallback_notice(client, site):
    notice_en = "This site's translation: the original text is in Arabic."
    notice_ar = "ترجمة هذا الموقع؛ والنص الأصلي باللغة الإنكليزية."
    # An official English summary has no notice; the site's translation of one has.
    assert notice_en not in get(client, ReportPage.objects.get(symbol="A/70/328"), "en")
    body = get(client, ReportPage.objects.get(symbol="S/2015/730"), "en")
    assert body.count(notice_en) == 1
    assert re.search(r'<div class="site-translation"><p class="fallback-notice', body)
    # The Arabic original itself is never marked; an Arabic title the site translated is.
    assert "site-translation-notice" not in get(
        client, ReportPage.objects.get(symbol="A/66/811"), "ar"
    )
    # (The page came from an Arabic document, but its title's original is the
    # report's official English title: the notice names English.)
    title_ar = get(client, ReportPage.objects.get(symbol="A/72/115"), "ar")
    assert notice_ar in title_ar and "والنص الأصلي باللغة العربية" not in title_ar
    # The topic: UN Peacemaker's English intro is official, its English body is not.
    topic_en = get(client, TopicPage.objects.get(), "en")
    assert topic_en.count(notice_en) == 1
    assert topic_en.index("The good offices and mediation roles of the Secretary-General") < (
        topic_en.index(notice_en)
    )
    # The story: English from UN News, Arabic translated here.
    story_ar = get(client, NewsStoryPage.objects.get(), "ar")
    assert story_ar.count(notice_ar) == 3  # title, lead and body
    assert "site-translation-notice" not in get(client, NewsStoryPage.objects.get(), "en")


def test_site_translations_name_translated_fields_only(site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    report.site_translations = ["symbol_en"]
    with pytest.raises(Exception, match="symbol_en is not a translated field"):
        report.full_clean()
    report.site_translations = ["summary_en", "title_ar"]
    report.full_clean()


# No invented media -------------------------------------------------------------------


def test_no_placeholder_image_anywhere():
    assert not list(CONTENT.rglob("*.png")) and not list(CONTENT.rglob("*.jp*g"))
    assert not (CONTENT / "images").exists()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_credit_line_without_its_photograph_renders_nothing(client, site, language):
    assert CustomImage.objects.count() == 0
    topic = TopicPage.objects.get()
    credits = [
        b.value["credit"] for b in getattr(topic, f"body_{language}") if b.block_type == "image"
    ]
    assert credits == (
        ["UN Photo/Duncan Moore", "UN Photo/Eskinder Debebe"]
        if language == "en"
        else ["صورة الأمم المتحدة: دنكان مور", "اسكندر ديبيبي/ الأمم المتحدة"]
    )  # kept as data, for an editor to attach the real photographs
    body = get(client, topic, language)
    assert "<img" not in text_of(body) and "block-image" not in body
    assert not any(credit in body for credit in credits)
    assert "Duncan Moore" not in body and "دنكان مور" not in body


def test_an_attached_photograph_shows_with_its_credit_once(client, site):
    topic = TopicPage.objects.get()
    photo = ImageFactory(credit_en="UN Photo/Duncan Moore", credit_ar="")
    body_en = list(topic.body_en.raw_data)
    body_en[0]["value"]["image"] = photo.pk
    topic.body_en = body_en
    topic.save_revision().publish()
    body = get(client, TopicPage.objects.get(), "en")
    figure = re.search(r'<figure class="block-image">.*?</figure>', body, re.S).group(0)
    assert "<img" in figure and figure.count("UN Photo/Duncan Moore") == 1
    assert "Photo: UN Photo" not in figure
    # The other credit line still has no photograph and still shows nothing.
    assert "Eskinder Debebe" not in body


# UN Arabic typography -----------------------------------------------------------------


def test_arabic_dates_use_the_paired_month_names_on_pages_and_feeds(client, site):
    story_ar = get(client, NewsStoryPage.objects.get(), "ar")
    assert '<time datetime="2011-11-09">9 تشرين الثاني/نوفمبر 2011</time>' in story_ar
    index = ReportPage.objects.get(symbol="S/2009/189").get_parent()
    listing = get(client, index, "ar")
    for written in ("8 نيسان/أبريل 2009", "27 حزيران/يونيه 2017", "19 آب/أغسطس 2015"):
        assert written in listing
    assert "أبريل 2009" not in listing.replace("نيسان/أبريل", "")
    feed = client.get("/ar/feeds/reports.rss").content.decode()
    assert "S/2009/189، 8 نيسان/أبريل 2009: يتناول هذا التقرير التحديات" in feed
    assert "A/72/115، 27 حزيران/يونيه 2017: " in feed
    english_feed = client.get("/en/feeds/reports.rss").content.decode()
    assert "S/2009/189, 8 April 2009: The present report examines" in english_feed


def test_arabic_captions_use_arabic_commas_and_no_latin_comma(client, site):
    story = get(client, NewsStoryPage.objects.get(), "ar")
    assert "بان كي مون</cite>، <span" in story
    assert "بان كي مون</span>، <span>الأمين العام للأمم المتحدة</span>" in story
    provision = get(client, CharterProvisionPage.objects.get(article=98), "en")
    assert "Chapter XV: The Secretariat" in provision
    topic_ar = get(client, TopicPage.objects.get(), "ar")
    assert "المادة 98</a>، الفصل الخامس عشر: في الأمانة" in topic_ar
    text = text_of(topic_ar) + text_of(story)
    assert not re.search(r"[\u0600-\u06ff]\s*, [\u0600-\u06ff]", text)  # no Latin comma
    # The English pages keep the Latin comma.
    assert "Ban Ki-moon</cite>, <span" in get(client, NewsStoryPage.objects.get(), "en")


def test_no_slanted_arabic_and_latin_fonts_for_latin_text():
    css = (ROOT / "static" / "css" / "site.css").read_text()
    assert re.search(r":lang\(ar\) cite,[^{]*\{\s*font-style: normal;", css)
    arabic_stack = re.search(r"--font-arabic:([^;]*);", css).group(1)
    assert "serif" not in arabic_stack  # Latin in Arabic text falls to the Latin stack
    assert "font-family: var(--font-arabic), var(--font-latin);" in css
    # Every Arabic face covers only the Arabic blocks, and English pages draw their
    # Arabic words with the system font: they download no Arabic font
    # (tests/browser/test_typography.py watches the requests).
    faces = re.findall(r"@font-face\s*\{([^}]*)\}", css)
    assert faces and all("unicode-range: U+0600-06FF" in face for face in faces)
    assert re.search(
        r'html:not\(\[lang="ar"\]\) \[lang="ar"\] \{\s*font-family: var\(--font-latin\);', css
    )


# Captions -------------------------------------------------------------------------------


def test_quote_captions_name_the_speaker_once(client, site):
    body_en = get(client, NewsStoryPage.objects.get(), "en")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", body_en, re.S)
    captions = [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in captions]
    assert captions == [
        "Ban Ki-moon, Secretary-General of the United Nations — he told the General "
        "Assembly during an informal session on mediation.",
        "— said General Assembly President Nassir Abdulaziz Al-Nasser, who organized the meeting.",
        "Nassir Abdulaziz Al-Nasser, President of the General Assembly (sixty-sixth session) "
        "— he said in his opening remarks.",
        "Nassir Abdulaziz Al-Nasser, President of the General Assembly (sixty-sixth session)",
    ]
    body_ar = get(client, NewsStoryPage.objects.get(), "ar")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", body_ar, re.S)
    captions = [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in captions]
    assert captions[1] == "— قال ذلك رئيس الجمعية العامة ناصر عبد العزيز النصر، الذي نظم الاجتماع."
    assert captions[3] == "ناصر عبد العزيز النصر، رئيس الجمعية العامة في دورتها السادسة والستين"
    assert "قال ذلك." not in " ".join(captions)
    assert "(الدورة السادسة والستون)" not in body_ar


@pytest.mark.parametrize(
    ("attribution", "adds"),
    [
        ("he said.", False),
        ("He said", False),
        ("قال ذلك.", False),
        ("وأضاف.", False),
        ("he said in his opening remarks.", True),
        ("قال ذلك في كلمته الافتتاحية.", True),
        ("he told the General Assembly.", True),
    ],
)
def test_an_attribution_adds_something_or_is_left_out(attribution, adds):
    assert adds_to_quote(attribution) is adds


def test_an_attribution_naming_the_speaker_replaces_the_name():
    names = ["Nassir Abdulaziz Al-Nasser", "ناصر عبد العزيز النصر"]
    assert names_speaker("said General Assembly President Nassir Abdulaziz Al-Nasser.", names)
    assert names_speaker("قال ذلك رئيس الجمعية العامة ناصِر عبد العزيز النصر.", names)
    assert not names_speaker("said the President of the General Assembly.", names)
    speaker = Person(name_en=names[0], name_ar=names[1])
    assert quote_caption({"speaker": speaker, "attribution": "he said."}) == {
        "show_speaker": True,
        "attribution": "",
    }
    assert quote_caption({"speaker": None, "attribution": "said a delegate."}) == {
        "show_speaker": False,
        "attribution": "said a delegate.",
    }


# The Charter ---------------------------------------------------------------------------------


def test_charter_texts_as_the_un_publishes_them(client, site):
    article_98 = CharterProvisionPage.objects.get(article=98)
    assert "والمجلس الاقتصادي والاجتماعي، ومجلس الوصاية، ويقوم" in article_98.text_ar
    for provision in CharterProvisionPage.objects.filter(article__in=[98, 99]):
        assert provision.chapter_ar == "الفصل الخامس عشر: في الأمانة"
    assert CharterProvisionPage.objects.get(article=99).text_ar.endswith("والأمن الدولي.")


def test_the_sources_misquotation_is_kept_and_marked(client, site):
    body = get(client, TopicPage.objects.get(), "ar")
    assert (
        "<p>أن ينبِّه مجلس الأمن إلى أية مسألة يرى أنها قد تهدد حفظ السلم والآمن الدوليين [كذا]</p>"
        in body
    )
    note = re.search(r'<p class="block-charter-quotation__note">(.*?)</p>', body, re.S).group(1)
    assert "كذا في المصدر" in note and "حفظ السلم والأمن الدولي." in note
    # The English page quotes the Charter's English text: nothing to mark.
    assert "[sic]" not in get(client, TopicPage.objects.get(), "en")


def test_quotation_check_counts_hamza_and_ignores_diacritics():
    official = (
        "للأمين العام أن ينبه مجلس الأمن إلى أية مسألة يرى أنها قد تهدد حفظ السلم والأمن الدولي."
    )
    assert quotes_faithfully("أن ينبِّه مجلس الأمن إلى أية مسألة", official)
    assert not quotes_faithfully("حفظ السلم والآمن الدولي", official)


def test_the_index_does_not_call_the_arabic_text_authentic(client, site):
    index = CharterIndexPage.objects.get()
    for language in ("en", "ar"):
        text = text_of(get(client, index, language))
        assert "official English and Arabic" not in text and "بنصوصها الرسمية" not in text
    assert "the Arabic text is the one the United Nations publishes, which is not an authentic" in (
        text_of(get(client, index, "en"))
    )
    assert "وليس من النصوص ذات الحجية للميثاق" in text_of(get(client, index, "ar"))


# Self-links ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_mention_never_links_to_the_page_it_is_on(client, site, language):
    report = ReportPage.objects.get(symbol="A/66/811")
    article_33 = CharterProvisionPage.objects.get(article=33)
    with translation.override(language):
        report_url, article_url = report.get_url(), article_33.get_url()
    body = get(client, report, language)
    assert "65/283" in text_of(body)  # the summary names the resolution that asked for it
    assert f'class="mention" href="{report_url}"' not in body
    body = get(client, article_33, language)
    assert ("Article 33" if language == "en" else "المادة 33") in text_of(body)
    assert f'class="mention" href="{article_url}"' not in body
    # On another page the same mention links: Article 33's commentary names 65/283.
    assert f'class="mention" href="{report_url}"' in body


# Attribution -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_name_and_link_the_site_they_reproduce(client, site, language):
    label = "Source:" if language == "en" else "المصدر:"
    topic = get(client, TopicPage.objects.get(), language)
    peacemaker = (
        "https://peacemaker.un.org/peacemaking-mandate"
        if language == "en"
        else "https://peacemaker.un.org/ar/mandate/secretary-general-mediation"
    )
    assert re.search(
        rf'<p class="attribution">\s*{label}\s*<a href="{peacemaker}"[^>]*>UN Peacemaker</a>', topic
    )
    for report in ReportPage.objects.all():
        assert ">UN Peacemaker</a>" in get(client, report, language), report.symbol
    story = get(client, NewsStoryPage.objects.get(), language)
    name = "UN News Centre" if language == "en" else "مركز أنباء الأمم المتحدة"
    assert re.search(
        rf'<p class="attribution">\s*{label}\s*<a href="https://news\.un\.org/en/story/2011/11/'
        rf'394502-[^"]*"[^>]*>{name}</a>',
        story,
    )


def test_importing_the_arabic_seed_over_the_site_keeps_the_marked_quotation(site):
    call_command(
        "import_documents",
        str(ROOT / "fixtures/source/003_75b5a7c06eb5e357.txt"),
        stdout=StringIO(),
    )
    topic = TopicPage.objects.get()
    quotation = [b.value for b in topic.body_ar if b.block_type == "charter_quotation"][1]
    assert quotation["text"].endswith("والآمن الدوليين [كذا]")
    assert quotation["note"].startswith("«[كذا]»: كذا في المصدر.")
    assert ReportPage.objects.count() == 6
    assert [
        (m.body, m.number) for m in ReportPage.objects.get(symbol="A/72/115").mandates.all()
    ] == [("GA", "70/304")]


@pytest.mark.parametrize(
    ("text", "paragraph"),
    [
        (
            "«إن الوساطة أداة لا تقدر بثمن لإدارة النزاعات»، قال الأمين العام أمام الجمعية.",
            "«إن الوساطة أداة لا تقدر بثمن لإدارة النزاعات» قال الأمين العام أمام الجمعية.",
        ),
        (
            "“Mediation is an invaluable tool for conflict management,” he told the Assembly.",
            "“Mediation is an invaluable tool for conflict management.” he told the Assembly.",
        ),
    ],
)
def test_a_topic_quotation_keeps_the_quotation_marks_of_its_language(text, paragraph):
    heading = "Good offices" if text.startswith("“") else "المساعي الحميدة"
    opening = (
        "The Secretary-General exercises good offices."
        if text.startswith("“")
        else "يضطلع الأمين العام بالمساعي الحميدة من أجل منع نشوب النزاعات."
    )
    doc = parse_document(f"{heading}\n\n{opening}\n\n{text}\n".encode(), name="topic.txt")
    topic = records_for(doc, lambda key: False)[-1]
    assert topic.fields["body"][doc.language] == [{"paragraph": paragraph}]


def test_a_migration_removes_the_placeholder_pictures_of_earlier_releases():
    placeholder = ImageFactory(file__filename="photo-not-in-source.png")
    photograph = ImageFactory(file__filename="envoys-in-geneva.png")
    PLACEHOLDER_MIGRATION.remove_placeholders(django_apps, None)
    assert list(CustomImage.objects.all()) == [photograph]
    assert not placeholder.file.storage.exists(placeholder.file.name)


def test_the_api_says_which_texts_are_the_sites_translations_and_whose_text_it_is(client, site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    item = client.get(f"/api/v2/pages/{report.pk}/").json()
    assert item["site_translations"] == ["title_ar", "summary_en"]
    assert (item["source_name_en"], item["source_name_ar"]) == ("UN Peacemaker", "UN Peacemaker")
    assert (
        item["source_url_ar"] == "https://peacemaker.un.org/ar/mandate/secretary-general-mediation"
    )
    story = client.get(f"/api/v2/pages/{NewsStoryPage.objects.get().pk}/").json()
    assert story["source_url_en"].startswith("https://news.un.org/en/story/2011/11/394502-")
