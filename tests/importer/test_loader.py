"""load_content and export_content: idempotency, dry runs, round trips and bad content."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from wagtail.models import Page, PageLogEntry, Revision

import pytest

from apps.core.models import CustomImage
from apps.importer.content import read_content
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "content"


def load(path=SMALL, *args):
    out = StringIO()
    call_command("load_content", str(path), *args, stdout=out)
    return out.getvalue()


def state():
    """Everything a load may touch, to show that a failed run changed nothing."""
    return (
        list(Page.objects.order_by("path").values_list("path", "title", "live")),
        Revision.objects.count(),
        Person.objects.count(),
        CustomImage.objects.count(),
        PageLogEntry.objects.count(),
    )


@pytest.fixture
def content(tmp_path):
    """A copy of the small content set that a test may damage."""
    target = tmp_path / "content"
    shutil.copytree(SMALL, target)
    return target


def test_load_builds_site_and_reports_counts():
    output = load()
    assert "10 created, 0 updated, 0 unchanged" in output
    story = NewsStoryPage.objects.get(content_key="news/story")
    assert story.live
    assert story.title_ar == "قصة"
    assert story.get_parent().specific.content_key == "news"
    assert [p.content_key for p in story.people.all()] == ["people/ban-ki-moon"]
    assert story.related_stories.get().title_en == "General Assembly urges States"
    report = ReportPage.objects.get()
    assert str(report.mandates.get()) == "General Assembly 65/283"
    assert report.mandates.get().url == "https://docs.un.org/en/A/RES/65/283"


def test_second_load_changes_nothing():
    load()
    before = state()
    output = load()
    assert "0 created, 0 updated, 10 unchanged" in output
    assert state() == before


def test_changed_record_is_updated_and_republished(content):
    load(content)
    path = content / "charter" / "article-99.yaml"
    path.write_text(path.read_text().replace("may bring...", "may bring (edited)"))
    revisions = Revision.objects.count()
    output = load(content)
    assert "0 created, 1 updated, 9 unchanged" in output
    assert Revision.objects.count() == revisions + 1
    assert Page.objects.get(
        charterprovisionpage__content_key="charter/article-99"
    ).specific.text_en.endswith("(edited)")


def test_dry_run_saves_nothing():
    before = state()
    output = load(SMALL, "--dry-run")
    assert "Dry run, nothing saved: would be 10 created" in output
    assert state() == before


def test_links_become_rich_text_and_unsafe_markup_stays_text():
    load()
    story = NewsStoryPage.objects.get()
    paragraph = story.body_en[0].value.source
    page_id = Page.objects.get(charterprovisionpage__content_key="charter/article-99").pk
    assert f'<a linktype="page" id="{page_id}">Article 99</a>' in paragraph
    assert '<a href="https://un.org">UN</a>' in paragraph
    # An empty target keeps the text; markup in the text is escaped, not interpreted.
    assert (
        story.lead_en == "<p>The Secretary-General said &lt;script&gt;alert(1)&lt;/script&gt;.</p>"
    )


def test_export_then_load_into_empty_site_reproduces_it(tmp_path):
    load()
    first = tmp_path / "first"
    call_command("export_content", str(first), stdout=StringIO())
    exported = {r.key: r for r in read_content(first)}
    assert set(exported) == {r.key for r in read_content(SMALL)}

    # Empty the site, then rebuild it from the export alone.
    Page.objects.filter(depth__gt=1).delete()
    Person.objects.all().delete()
    CustomImage.objects.all().delete()
    assert "10 created" in load(first)

    second = tmp_path / "second"
    call_command("export_content", str(second), stdout=StringIO())
    again = {r.key: r for r in read_content(second)}
    for key, record in exported.items():
        rebuilt = again[key]
        assert (rebuilt.type, rebuilt.parent, rebuilt.source_language) == (
            record.type,
            record.parent,
            record.source_language,
        ), key
        if record.type == "core.CustomImage":
            record.fields.pop("file"), rebuilt.fields.pop("file")
        assert rebuilt.fields == record.fields, key


def test_export_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_content", str(tmp_path))


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("news/story.yaml", ("date: 2011-11-09", "date: 2011-02-31"), "'2011-02-31' is not a date"),
        ("news/story.yaml", ("people: [", "speakers: ["), "has no field 'speakers'"),
        ("news/story.yaml", ("parent: news", "parent: nowhere"), "parent 'nowhere' does not exist"),
        ("news/story.yaml", ("[people/ban-ki-moon]", "[people/nobody]"), "'people/nobody'"),
        ("news/story.yaml", ("(https://un.org)", "(javascript:void)"), "not a web address"),
        ("news/story.yaml", ("- paragraph: فقرة", "- poem: فقرة"), "unknown block 'poem'"),
        ("home.yaml", ("title: {", "title: ["), "not valid YAML"),
        ("charter/index.yaml", ("key: charter", "key: home"), "also used by"),
        ("reports/r1.yaml", ("summary: {en: Summary, ar: ملخص}", "summary: Summary"), "translated"),
    ],
)
def test_bad_content_is_refused_and_nothing_changes(content, file, change, message):
    load(content)
    path = content / file
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    before = state()
    with pytest.raises(CommandError) as error:
        load(content)
    assert message in str(error.value)
    assert file in str(error.value)
    assert state() == before


def test_bad_yaml_names_the_line(content):
    (content / "people" / "ban.yaml").write_text("key: people/x\ntype: people.Person\nname: [\n")
    with pytest.raises(CommandError, match=r"people/ban.yaml, line \d+: not valid YAML"):
        load(content)


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda path: path.mkdir(), "no content files"), (lambda path: None, "no such folder")],
)
def test_a_folder_without_content_is_refused(tmp_path, make, message):
    folder = tmp_path / "content"
    make(folder)
    before = state()
    with pytest.raises(CommandError, match=message):
        load(folder)
    assert state() == before
