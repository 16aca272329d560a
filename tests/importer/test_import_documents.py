"""import_documents: the seeds and small documents of our own, end to end."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from wagtail.models import Page, PageLogEntry, Revision

import pytest

from apps.core.models import CustomImage
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "fixtures" / "source").glob("*.txt"))
DOCUMENTS = Path(__file__).parent / "documents"


def run(*args):
    out = StringIO()
    call_command("import_documents", *map(str, args), stdout=out)
    return out.getvalue()


def state():
    return (
        list(Page.objects.order_by("path").values_list("path", "title", "live")),
        Revision.objects.count(),
        Person.objects.count(),
        CustomImage.objects.count(),
        PageLogEntry.objects.count(),
    )


def test_seeds_import_into_an_empty_site():
    output = run(*SEEDS)
    assert "13 created, 0 updated, 0 unchanged from 2 document(s)" in output
    story = NewsStoryPage.objects.get()
    assert story.title_en.startswith("UN must lead way in conflict mediation efforts")
    assert str(story.date) == "2011-11-09"
    assert story.imported_at is not None
    assert story.source_document == "source/000_e386c12eba7db6b5.txt"
    assert [q.value["speaker"].name for q in story.body_en if q.block_type == "quote"] == [
        "Ban Ki-moon",
        "Nassir Abdulaziz Al-Nasser",
        "Nassir Abdulaziz Al-Nasser",
        "Nassir Abdulaziz Al-Nasser",
    ]
    assert story.related_stories.get().title_en.startswith("General Assembly urges States")
    assert story.related_stories.get().href is None  # the source gave "#"
    topic = TopicPage.objects.get()
    assert topic.source_language == "ar"
    # The seed gives credit lines, not photographs: the credits are kept in the blocks,
    # with no image, and no image is made up for them.
    images = [b.value for b in topic.body_ar if b.block_type == "image"]
    assert [(v["image"], v["credit"]) for v in images] == [
        (None, "صورة الأمم المتحدة: دنكان مور"),
        (None, "اسكندر ديبيبي/ الأمم المتحدة"),
    ]
    assert CustomImage.objects.count() == 0
    quotations = [b.value for b in topic.body_ar if b.block_type == "charter_quotation"]
    assert quotations == []  # no Charter provision pages exist yet: kept as paragraphs
    # One report per paragraph of the documents section; the word-for-word repeat of the
    # third paragraph is collapsed; the fourth, which opens with «و», is a report of its own.
    assert ReportPage.objects.count() == 6
    summaries = [r.report.summary_ar for r in topic.related_reports.all()]
    assert summaries[3].startswith("ويعترف التقرير الحالي بالوساطة")
    assert "ويعترف" not in summaries[2]
    assert [r.report.summary_ar[:20] for r in topic.related_reports.all()][0].startswith("يُلخص")


def test_importing_twice_creates_nothing_new():
    run(*SEEDS)
    before = state()
    assert "0 created, 0 updated, 10 unchanged" in run(*SEEDS)
    assert state() == before


def test_seeds_imported_over_the_fixtures_change_nothing(site):
    """The fixtures hold exactly what the seeds say (plus translations): nothing moves."""
    before = state()
    assert "0 created, 0 updated, 10 unchanged" in run(*SEEDS)
    assert state() == before


def test_charter_quotations_link_to_existing_provisions(site):
    TopicPage.objects.get().delete()
    run(SEEDS[1])
    topic = TopicPage.objects.get()
    quotations = [b.value for b in topic.body_ar if b.block_type == "charter_quotation"]
    assert [q["provision"].specific.article for q in quotations] == [98, 99]
    assert "والآمن" in quotations[1]["text"]  # the source's typo, verbatim


def test_a_story_quoting_the_charter_keeps_the_quotation_as_a_paragraph(site, tmp_path):
    quoting = "Article 99 of the Charter provides that the Secretary-General may “bring to "
    quoting += "the attention of the Security Council any matter which in his opinion may "
    quoting += "threaten the maintenance of international peace and security”."
    text = (DOCUMENTS / "en_news.txt").read_text(encoding="utf-8")
    story = tmp_path / "en_news_charter.txt"
    story.write_text(text.replace("UN Photo/Mark Garten", f"{quoting}\n\nUN Photo/Mark Garten"))
    run(story)
    page = NewsStoryPage.objects.get(source_document__endswith="en_news_charter.txt")
    kinds = {block.block_type for block in page.body_en}
    assert "charter_quotation" not in kinds
    paragraphs = " ".join(b.value.source for b in page.body_en if b.block_type == "paragraph")
    assert "may “bring to the attention of the Security Council any matter" in paragraphs


def test_english_and_arabic_documents_of_our_own():
    output = run(DOCUMENTS / "en_news.txt", DOCUMENTS / "ar_news.txt", DOCUMENTS / "ar_topic.txt")
    assert "from 3 document(s)" in output
    english = NewsStoryPage.objects.get(source_language="en")
    arabic = NewsStoryPage.objects.get(source_language="ar")
    assert english.title_en == "Envoys urge early mediation as Security Council debates prevention"
    assert arabic.title_ar and arabic.title_en == arabic.title_ar  # borrowed until translated
    paragraphs = " ".join(b.value.source for b in english.body_en if b.block_type == "paragraph")
    assert paragraphs.count("Mr. Eliasson") == 1  # the repeated paragraph is collapsed


def test_imported_markup_and_unsafe_links_are_harmless_on_the_page(site, client):
    run(DOCUMENTS / "en_news.txt")
    story = NewsStoryPage.objects.get(title_en__startswith="Envoys urge")
    with translation.override("en"):
        body = client.get(story.get_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "javascript:" not in body.lower() and "data:text" not in body
    assert 'href="https://example.org/a?b=1"' in body
    # The text of a dropped link stays; brackets that are not links stay too.
    assert ", a trap, another, mail, data, entity and [sic] brackets." in body


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad_empty.txt", "the file is empty"),
        ("bad_whitespace.txt", "the file is empty"),
        ("bad_nul.bin", "binary file, not text"),
        ("bad_latin1.txt", "not UTF-8 text"),
        ("bad_no_dateline.txt", "no dateline found"),
        ("bad_31_february.txt", "31 February 2011 is not a date"),
        ("bad_long_title.txt", "the limit is 255"),
    ],
)
def test_bad_document_stops_the_run_and_changes_nothing(site, name, message):
    before = state()
    with pytest.raises(CommandError) as error:
        run(SEEDS[0], DOCUMENTS / name)
    text = str(error.value)
    assert str(DOCUMENTS / name) in text and message in text
    assert "Nothing was imported" in text
    assert state() == before


def test_bad_line_is_named():
    with pytest.raises(CommandError, match=r"bad_31_february\.txt, line 5: 31 February 2011"):
        run(DOCUMENTS / "bad_31_february.txt")


def test_keep_going_imports_the_good_files_and_reports_the_bad(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "import_documents",
            str(SEEDS[0]),
            str(DOCUMENTS / "bad_empty.txt"),
            "--keep-going",
            stdout=StringIO(),
        )
    assert "1 file(s) skipped" in str(error.value) and "bad_empty.txt" in str(error.value)
    assert NewsStoryPage.objects.count() == 1


def test_dry_run_saves_nothing():
    before = state()
    output = run(*SEEDS, "--dry-run")
    assert "Dry run, nothing saved: would be 13 created" in output
    assert state() == before


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "nope.txt")


def test_exit_status_is_1_on_bad_input(tmp_path):
    bad = tmp_path / "empty.txt"
    shutil.copy(DOCUMENTS / "bad_empty.txt", bad)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_documents", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "mediation_site.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "the file is empty" in result.stderr


def story_naming(title, tracker_item):
    """A news story (in the shape of en_news.txt) whose News Tracker has one item."""
    text = (DOCUMENTS / "en_news.txt").read_text(encoding="utf-8")
    text = text.replace("Envoys urge early mediation as Security Council debates prevention", title)
    head, _tracker = text.split("News Tracker: past stories on this issue")
    return f"{head}News Tracker: past stories on this issue\n\n{tracker_item}\n"


@pytest.mark.parametrize("together", [True, False], ids=["one import", "two imports"])
def test_news_tracker_items_naming_a_story_of_the_site_link_to_it(tmp_path, together):
    first = tmp_path / "first.txt"
    shutil.copy(DOCUMENTS / "en_news.txt", first)
    second = tmp_path / "second.txt"
    # Another case, spacing and quotation marks: still the first story's title.
    named = "[envoys urge  early mediation as Security Council debates ‘prevention’](#)"
    second.write_text(story_naming("A later story on prevention", named), encoding="utf-8")
    if together:
        run(first, second)
    else:
        run(first)
        run(second)
    earlier = NewsStoryPage.objects.get(title_en__startswith="Envoys urge")
    later = NewsStoryPage.objects.get(title_en="A later story on prevention")
    item = later.related_stories.get()
    assert item.story_id == earlier.pk
    assert item.title_en == "envoys urge early mediation as Security Council debates ‘prevention’"
    # The earlier story's own items name no story of the site: unchanged.
    assert [i.story_id for i in earlier.related_stories.all()] == [None, None]
    with translation.override("en"):
        address = earlier.get_url()
        later_address = later.get_url()
    html = Client().get(later_address).content.decode()
    assert f'<a href="{address}">envoys urge early mediation' in html
    # Importing again changes nothing.
    assert "0 created, 0 updated" in run(first, second)


def test_a_news_tracker_item_in_arabic_links_to_the_story_by_its_arabic_title(tmp_path):
    first = tmp_path / "first.txt"
    shutil.copy(DOCUMENTS / "ar_news.txt", first)
    text = (DOCUMENTS / "ar_news.txt").read_text(encoding="utf-8")
    title = "الأمين العام يدعو إلى تعزيز الوساطة في النزاعات"
    text = text.replace(title, "قصة لاحقة عن الوساطة")
    head, _tracker = text.split("أخبار ذات صلة")
    # Written with a hamza-less alef and tatweel: the same title, folded.
    second = tmp_path / "second.txt"
    tracker = "أخبار ذات صلة\n\nالامين العــام يدعو إلى تعزيز الوساطة في النزاعات\n"
    second.write_text(head + tracker, encoding="utf-8")
    run(first, second)
    later = NewsStoryPage.objects.get(title_ar="قصة لاحقة عن الوساطة")
    assert later.related_stories.get().story == NewsStoryPage.objects.get(title_ar=title)
