"""import_documents: the seeds and small documents of our own, end to end."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
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


def test_seeds_imported_over_the_fixtures_change_nothing():
    """The fixtures hold exactly what the seeds say (plus translations): nothing moves."""
    call_command("load_content", stdout=StringIO())
    before = state()
    assert "0 created, 0 updated, 10 unchanged" in run(*SEEDS)
    assert state() == before


def test_charter_quotations_link_to_existing_provisions():
    call_command("load_content", stdout=StringIO())
    TopicPage.objects.get().delete()
    run(SEEDS[1])
    topic = TopicPage.objects.get()
    quotations = [b.value for b in topic.body_ar if b.block_type == "charter_quotation"]
    assert [q["provision"].specific.article for q in quotations] == [98, 99]
    assert "والآمن" in quotations[1]["text"]  # the source's typo, verbatim


def test_a_story_quoting_the_charter_keeps_the_quotation_as_a_paragraph(tmp_path):
    call_command("load_content", stdout=StringIO())  # Article 99 has its page
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


def test_imported_markup_and_unsafe_links_are_harmless_on_the_page(client):
    call_command("load_content", stdout=StringIO())
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
def test_bad_document_stops_the_run_and_changes_nothing(name, message):
    call_command("load_content", stdout=StringIO())
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
