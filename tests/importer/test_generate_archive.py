"""generate_archive, import_documents of a directory, and the progress bar."""

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from apps.importer.archive import ArchiveGenerator
from apps.importer.parsers import parse_document
from apps.importer.progress import Progress
from apps.importer.records import ImageCredit, Quote
from apps.news.models import NewsStoryPage
from apps.people.models import Person
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

DOCUMENTS = Path(__file__).parent / "documents"


class FakeTerminal(StringIO):
    def isatty(self):
        return True


def generate(directory, *args):
    out, err = StringIO(), StringIO()
    call_command("generate_archive", str(directory), *map(str, args), stdout=out, stderr=err)
    assert err.getvalue() == ""  # not a terminal: no progress bar
    return out.getvalue()


def contents(directory):
    return {path.name: path.read_bytes() for path in sorted(Path(directory).iterdir())}


def parsed(directory):
    return [
        parse_document(path.read_bytes(), name=path.name) for path in sorted(directory.iterdir())
    ]


def test_generated_documents_parse_in_both_languages(tmp_path):
    paths = list(ArchiveGenerator(tmp_path, seed=7).generate(60, reports=9))
    docs = parsed(tmp_path)
    assert len(docs) == len(paths) == 60 + 3
    for doc in docs:
        kind = "news" if "-story-" in doc.name else "topic"
        assert doc.name.startswith("generated-")
        assert (doc.kind, doc.language) == (kind, doc.name.removesuffix(".txt")[-2:])
    stories = [d for d in docs if d.kind == "news"]
    assert {d.language for d in stories} == {"en", "ar"}
    for doc in stories:
        assert doc.title.startswith("Generated story " if doc.language == "en" else "خبر مولد ")
        assert doc.lead is not None and doc.date is not None
    assert {d.source for d in stories if d.language == "en"} == {"Generated archive (test data)"}
    quotes = [item for d in stories for item in d.body if isinstance(item, Quote)]
    assert quotes and all(q.speaker for q in quotes)
    speakers = {q.speaker for q in quotes}
    assert {"Ban Ki-moon", "بان كي مون"} & speakers and len(speakers) > 10
    # Varied: dates, lengths, Charter mentions, News Tracker items.
    assert len({d.date.year for d in stories}) > 10
    assert len({len(d.body) for d in stories}) > 5
    # The fixtures quote Articles 33, 98 and 99; the Charter index names Article 111.
    assert {33, 98, 99, 111} >= {a for d in stories for a in d.charter_articles} != set()
    assert len({len(d.related) for d in stories}) > 2
    # The fixtures' photo credits (kept without photographs) recur as credit lines.
    credits = {item.credit for d in docs for item in d.body if isinstance(item, ImageCredit)}
    assert {"UN Photo/Duncan Moore", "صورة الأمم المتحدة: دنكان مور"} <= credits
    summaries = [s for d in docs if d.kind == "topic" for s in d.reports]
    assert len(summaries) == 9 and len({s.text for s in summaries}) == 9
    assert all(s.text.startswith(("Generated summary", "ملخص مولد")) for s in summaries)


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path):
    generate(tmp_path / "a", "--stories", 12, "--reports", 5, "--seed", 3)
    generate(tmp_path / "b", "--stories", 12, "--reports", 5, "--seed", 3)
    generate(tmp_path / "c", "--stories", 12, "--reports", 5, "--seed", 4)
    first = contents(tmp_path / "a")
    assert first == contents(tmp_path / "b")
    other = contents(tmp_path / "c")
    assert len(other) == len(first)
    assert set(first.values()).isdisjoint(other.values())


def test_stories_and_reports_are_counted_as_asked(tmp_path):
    out = generate(tmp_path / "seven", "--stories", 7, "--reports", 6)
    names = [path.name for path in sorted((tmp_path / "seven").iterdir())]
    assert len([n for n in names if n.startswith("generated-story-")]) == 7
    assert len([n for n in names if n.startswith("generated-topic-")]) == 2
    assert sum(len(d.reports) for d in parsed(tmp_path / "seven")) == 6
    assert "9 generated document(s)" in out
    # Document i does not depend on how many are asked for.
    generate(tmp_path / "nine", "--stories", 9)
    nine, seven = contents(tmp_path / "nine"), contents(tmp_path / "seven")
    assert all(nine[name] == seven[name] for name in names if "-story-" in name)


def test_import_documents_imports_a_generated_directory(site, tmp_path):
    generate(tmp_path, "--stories", 20, "--reports", 3)
    before = NewsStoryPage.objects.count(), ReportPage.objects.count(), TopicPage.objects.count()
    err, out = FakeTerminal(), StringIO()
    call_command("import_documents", str(tmp_path), stdout=out, stderr=err)
    assert "from 21 document(s)" in out.getvalue()
    stories = NewsStoryPage.objects.filter(source_document__startswith="generated-story-")
    assert stories.count() == 20 == NewsStoryPage.objects.count() - before[0]
    assert all(story.live for story in stories)
    assert ReportPage.objects.count() - before[1] == 3
    assert TopicPage.objects.count() - before[2] == 1
    for lang in ("en", "ar"):  # every person quoted is a person of the site
        quoted = {
            item.speaker
            for doc in parsed(tmp_path)
            if doc.language == lang
            for item in doc.body
            if isinstance(item, Quote)
        }
        assert Person.objects.filter(**{f"name_{lang}__in": quoted}).count() == len(quoted) > 0
    # The bars were drawn on the terminal, each finishing its line.
    drawn = err.getvalue().split("\n")
    assert drawn[0].startswith("\rReading [") and drawn[0].endswith("] 21/21 100%")
    assert drawn[1].startswith("\rLoading [") and drawn[1].endswith(" 100%")
    assert drawn[2:] == [""]
    # Importing the directory again changes nothing; --verbosity 2 lists the records
    # instead of drawing the loading bar.
    again, err = StringIO(), FakeTerminal()
    call_command("import_documents", str(tmp_path), stdout=again, stderr=err, verbosity=2)
    assert "Loading" not in err.getvalue() and "Reading [" in err.getvalue()
    assert NewsStoryPage.objects.count() - before[0] == 20
    assert again.getvalue().startswith("0 created, 0 updated, ")


def test_a_bad_file_in_a_directory_stops_the_run_naming_it(site, tmp_path):
    generate(tmp_path, "--stories", 5)
    shutil.copy(DOCUMENTS / "bad_31_february.txt", tmp_path / "zz-bad.txt")
    (tmp_path / ".hidden").write_bytes(b"\x00 not read")
    before = NewsStoryPage.objects.count()
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_documents", str(tmp_path), stdout=StringIO(), stderr=err)
    message = str(raised.value)
    assert f"{tmp_path / 'zz-bad.txt'}, line " in message
    assert "Nothing was imported" in message
    assert NewsStoryPage.objects.count() == before
    assert err.getvalue() == ""  # not a terminal: no progress bar


def test_the_progress_bar_is_silent_off_a_terminal_and_drawn_on_one():
    quiet = StringIO()
    with Progress(3, "Reading", quiet) as bar:
        for _ in range(3):
            bar.advance()
    assert quiet.getvalue() == ""

    terminal = FakeTerminal()
    with Progress(4, "Reading", terminal) as bar:
        bar.advance()
        assert terminal.getvalue().endswith("\rReading [#######.......................] 1/4  25%")
        bar.advance(3)
    drawn = terminal.getvalue()
    assert drawn.endswith("\rReading [" + "#" * 30 + "] 4/4 100%\n")
    assert drawn.count("\n") == 1 and drawn.startswith("\rReading [" + "." * 30 + "] 0/4   0%")


def test_load_content_draws_its_bar_on_a_terminal_only(site):
    err = FakeTerminal()
    call_command("load_content", stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("\rLoading [")
    assert err.getvalue().endswith(" 100%\n") and err.getvalue().count("\n") == 1
    quiet = StringIO()
    call_command("load_content", stdout=StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""
