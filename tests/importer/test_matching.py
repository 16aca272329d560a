"""An imported record whose key is new finds the object it stands for by the natural key
its model declares (``natural_key_fields``), not by model-label rules in the importer."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

from apps.core.models import CustomImage
from apps.importer.content import ContentRecord
from apps.importer.documents import StoredFiles, file_name, match_existing, title_key
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "content"


@pytest.fixture
def small_site():
    call_command("load_content", str(SMALL), stdout=StringIO())


def record(type, **parts):
    return ContentRecord(key="imported/new-key", type=type, **parts)


@pytest.mark.parametrize("files", [None, StoredFiles], ids=["asked", "read-once"])
def test_a_story_is_found_by_its_file_name_wherever_it_was_imported_from(
    small_site, files, django_assert_max_num_queries
):
    story = NewsStoryPage.objects.get(content_key="news/story")
    files = files and files()

    def match(**parts):
        return match_existing(record("news.NewsStoryPage", **parts), files)

    for where in ("source/000.txt", "elsewhere/source/000.txt", "000.txt"):
        assert match(source_document=where) == story
    assert match(source_document="source/1000.txt") is None
    assert match() is None
    if files is not None:  # the files were read once: each match is one query or none
        with django_assert_max_num_queries(1):
            assert match(source_document="elsewhere/000.txt") == story


def test_a_report_is_found_by_its_symbol_then_by_its_summary(small_site):
    report = ReportPage.objects.get(content_key="reports/r1")
    by_symbol = record("reports.ReportPage", fields={"symbol": "A/66/811", "summary": {"ar": "x"}})
    by_summary = record("reports.ReportPage", fields={"summary": {"ar": "ملخص"}})
    other = record("reports.ReportPage", fields={"symbol": "S/1/1", "summary": {"ar": "آخر"}})
    assert match_existing(by_symbol) == report
    assert match_existing(by_summary) == report
    assert match_existing(other) is None


def test_people_and_images_are_found_by_name_and_credit_without_bidi_controls(small_site):
    ban = Person.objects.get(content_key="people/ban-ki-moon")
    photo = CustomImage.objects.get(content_key="images/photo")
    name = {"ar": "\u202bبان كي مون\u202c"}
    credit = {"en": "UN Photo/\u202eDuncan Moore"}
    assert match_existing(record("people.Person", initial={"name": name})) == ban
    assert match_existing(record("core.CustomImage", initial={"credit": credit})) == photo
    assert match_existing(record("people.Person", initial={"name": {"en": "Nobody"}})) is None


@pytest.mark.parametrize(
    "name", ["000.txt", "source/000.txt", "a//b.txt", "x/", ".", "..", "ملف.txt"]
)
def test_a_stored_file_is_known_by_the_name_a_path_gives_it(name):
    assert file_name(name) == Path(name).name


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('UN  "mediation"\tefforts', "un mediation efforts"),
        ("“Peace” talks", "peace talks"),
        ("Straße ﬁnance", "strasse finance"),  # not ASCII: folded as search folds it
        ("«الأمين» العامّ", "الامين العام"),
        ("", ""),
    ],
)
def test_a_title_is_matched_without_case_quotes_spacing_or_letter_forms(text, key):
    assert title_key(text) == key
