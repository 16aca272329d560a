"""Text hygiene: no bidi override controls in one-line texts, and every description
escaped exactly once (meta tags and feeds)."""

import datetime
import html
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape

from wagtail.models import Collection
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import feedparser
import pytest
import site_tree

from apps.core.models import CustomImage
from apps.core.text import BIDI_CONTROLS, html_to_text, strip_bidi_controls
from apps.home.models import HomePage
from apps.importer.content import ContentRecord
from apps.importer.loader import Loader
from apps.news.models import NewsStoryPage
from apps.people.models import Person

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "tests" / "importer" / "documents"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


def has_bidi_control(text):
    return any(control in (text or "") for control in BIDI_CONTROLS)


# The functions -------------------------------------------------------------------------


def test_strip_bidi_controls_removes_embeddings_overrides_and_isolates_only():
    controls = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
    assert sorted(BIDI_CONTROLS) == controls
    text = "".join(f"{c}x" for c in controls)
    assert strip_bidi_controls(text) == "x" * len(controls)
    # The marks that mixed Arabic and Latin text legitimately uses stay.
    marked = f"بان كي مون{RLM} (Ban Ki-moon{LRM}){ALM}"
    assert strip_bidi_controls(marked) == marked
    assert strip_bidi_controls(None) is None


def test_html_to_text_decodes_entities_once_after_removing_tags():
    stored = "<p>Safe &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; <b>bold</b></p><p>Next</p>"
    assert html_to_text(stored) == "Safe <script>alert(1)</script> &amp; bold Next"
    assert html_to_text("") == html_to_text(None) == ""


# Import ------------------------------------------------------------------------------


def test_imported_titles_lose_bidi_controls_and_keep_marks(db, tmp_path):
    english = tmp_path / "en_news.txt"
    text = (DOCUMENTS / "en_news.txt").read_text(encoding="utf-8")
    title = "Envoys urge early mediation as Security Council debates prevention"
    assert title in text
    english.write_text(
        text.replace(title, f"Envoys urge {RLO}early mediation{PDF} as Security Council debates "
                     "prevention"),
        encoding="utf-8",
    )  # fmt: skip
    arabic = tmp_path / "ar_news.txt"
    text = (DOCUMENTS / "ar_news.txt").read_text(encoding="utf-8")
    title_ar = "الأمين العام يدعو إلى تعزيز الوساطة في النزاعات"
    assert title_ar in text
    arabic.write_text(
        text.replace(
            title_ar, f"الأمين العام{RLM} يدعو إلى {RLI}تعزيز{PDI} الوساطة في {RLO}النزاعات"
        ),
        encoding="utf-8",
    )
    call_command("import_documents", str(english), str(arabic), stdout=StringIO())

    story = NewsStoryPage.objects.get(source_language="en")
    assert story.title_en == title
    assert story.slug_en == "envoys-urge-early-mediation-as-security-council-debates-prevention"
    story_ar = NewsStoryPage.objects.get(source_language="ar")
    assert story_ar.title_ar == f"الأمين العام{RLM} يدعو إلى تعزيز الوساطة في النزاعات"
    for page in (story, story_ar):
        for field in ("title_en", "title_ar", "slug_en", "slug_ar", "draft_title"):
            assert not has_bidi_control(getattr(page, field)), field
    # Importing the same documents again finds the same pages.
    out = StringIO()
    call_command("import_documents", str(english), str(arabic), stdout=out)
    assert " 0 created, 0 updated," in f" {out.getvalue()}"


def test_fixture_records_lose_bidi_controls_in_one_line_fields_only(db):
    Loader().load(
        [
            ContentRecord(
                key="home",
                type="home.HomePage",
                fields={
                    "title": {"en": f"Peace{RLO} mediation", "ar": f"الوساطة{RLM} {RLI}UN{PDI}"},
                    "slug": {"en": f"ho{RLO}me", "ar": "home"},
                    "intro": {"en": f"An intro keeps {RLI}isolates{PDI} as written."},
                },
            ),
            ContentRecord(
                key="people/ban-ki-moon",
                type="people.Person",
                fields={"name": {"en": f"{RLO}Ban Ki-moon", "ar": f"بان كي مون{RLM}{PDF}"}},
            ),
        ]
    )
    home = HomePage.objects.get()
    assert (home.title_en, home.title_ar) == ("Peace mediation", f"الوساطة{RLM} UN")
    assert home.slug_en == "home"
    assert home.intro_en == f"An intro keeps {RLI}isolates{PDI} as written."
    person = Person.objects.get()
    assert (person.name_en, person.name_ar) == ("Ban Ki-moon", f"بان كي مون{RLM}")


# The admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


def test_page_edit_form_strips_bidi_controls_from_titles_and_slugs(admin_client, home_page):
    data = nested_form_data(
        {
            "title_en": f"Peace mediation{PDF}",
            "title_ar": f"الوساطة{RLM} من أجل {RLO}السلام",
            "slug_en": f"{RLO}home",
            "slug_ar": f"الرئيسية{RLI}",
            "seo_title_en": f"{RLI}Mediation{PDI}",
            "seo_title_ar": "",
            "intro_en": home_page.intro_en,
            "intro_ar": home_page.intro_ar,
            "search_description_en": "",
            "search_description_ar": "",
            "source_language": "en",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/{home_page.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    page = HomePage.objects.get(pk=home_page.pk)
    assert page.title_en == "Peace mediation"
    assert page.title_ar == f"الوساطة{RLM} من أجل السلام"  # RLM survives
    assert (page.slug_en, page.slug_ar) == ("home", "الرئيسية")
    assert page.seo_title_en == "Mediation"
    assert not has_bidi_control(page.get_latest_revision().content["title_ar"])


def test_person_form_strips_bidi_controls(admin_client):
    person = Person.objects.create(name_en="Ban Ki-moon", name_ar="بان كي مون")
    response = admin_client.post(
        f"/admin/snippets/people/person/edit/{person.pk}/",
        {
            "name_en": f"Ban{RLO} Ki-moon",
            "name_ar": f"بان كي{RLM} مون{PDF}",
            "role_en": f"Secretary-General{PDI}",
            "role_ar": "",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name_en, person.name_ar) == ("Ban Ki-moon", f"بان كي{RLM} مون")
    assert person.role_en == "Secretary-General"


def test_image_form_strips_bidi_controls(admin_client):
    from wagtail.images.tests.utils import get_test_image_file

    image = CustomImage.objects.create(title="Photo", file=get_test_image_file())
    response = admin_client.post(
        f"/admin/images/{image.pk}/",
        {
            "title_en": f"Photo{RLO}",
            "title_ar": "صورة",
            "credit_en": f"{RLI}UN Photo/Mark Garten{PDI}",
            "credit_ar": f"صورة الأمم المتحدة{RLM}{PDF}",
            "caption_en": "",
            "caption_ar": "",
            "description_en": "",
            "description_ar": "",
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    image.refresh_from_db()
    assert (image.title_en, image.credit_en) == ("Photo", "UN Photo/Mark Garten")
    assert image.credit_ar == f"صورة الأمم المتحدة{RLM}"


# Descriptions ------------------------------------------------------------------------

LEAD = "<p>Safe &lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>bold</b> words</p>"
LEAD_TEXT = "Safe <script>alert(1)</script> & bold words"
SUMMARY = "Mediation < force & <b>tags</b> stay text"  # a plain text field: no HTML in it


@pytest.fixture
def pages(home_page):
    story = site_tree.story(
        site_tree.news_index(home_page),
        "envoys-meet",
        "Envoys meet",
        "اجتماع المبعوثين",
        datetime.date(2024, 5, 1),
        lead_en=LEAD,
        lead_ar=LEAD,
    )
    report = site_tree.report(
        site_tree.report_index(home_page),
        "a-report",
        "A report",
        "تقرير",
        None,
        None,
        summary_en=SUMMARY,
        summary_ar="",
    )
    return story, report


def meta_content(body, name):
    return re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)">', body).group(1)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_meta_descriptions_are_escaped_exactly_once(client, pages, language):
    story, report = pages
    for page, text in ((story, LEAD_TEXT), (report, SUMMARY)):
        with translation.override(language):
            body = client.get(page.get_url()).content.decode()
        head = body[: body.index("</head>")]
        for name in ("description", "og:description", "twitter:description"):
            assert meta_content(head, name) == escape(text)
            assert html.unescape(meta_content(head, name)) == text
        assert "&amp;lt;" not in head and "&amp;amp;" not in head
        assert "<script>" not in body


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_descriptions_are_escaped_exactly_once(client, pages, kind):
    for feed, text in (("news", LEAD_TEXT), ("reports", SUMMARY)):
        content = client.get(f"/en/feeds/{feed}.{kind}").content
        assert b"<script" not in content
        root = ET.fromstring(content)
        if kind == "rss":
            (element,) = root.findall("channel/item/description")
        else:
            (element,) = root.iter("{http://www.w3.org/2005/Atom}summary")
            assert element.get("type") == "html"
        # The description is HTML (RSS and Atom say so): the text escaped once, which a
        # reader shows as the original text; never double-escaped, never markup.
        assert len(element) == 0  # text only, no elements
        assert element.text == escape(text)
        assert html.unescape(element.text) == text
        (entry,) = feedparser.parse(content).entries
        assert entry.summary == escape(text)  # what a feed reader renders as HTML


def test_stylesheet_wraps_long_words():
    css = (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
    body = re.search(r"(?m)^body\s*\{([^}]*)\}", css).group(1)
    assert re.search(r"overflow-wrap:\s*anywhere\s*;", body)
    # One stylesheet for both directions: no physical left/right properties.
    assert not re.search(
        r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)", css
    )
