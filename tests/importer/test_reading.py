"""An archive parsed in other processes, ahead of the batch being written: the same
documents in the same order, a bad file still named with its line, and a run that
stops on it loses nothing and keeps nothing."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page

import pytest

from apps.importer import reading
from apps.importer.archive import ArchiveGenerator
from apps.importer.management.commands import import_documents
from apps.importer.parsers import ParseError
from apps.news.models import NewsStoryPage
from apps.people.models import Person

DOCUMENTS = Path(__file__).parent / "documents"


def archive(directory, bad):
    """Seven generated stories, the sixth replaced by the document ``bad``."""
    paths = list(ArchiveGenerator(directory, seed=3).generate(7))
    shutil.copy(DOCUMENTS / bad, paths[5])
    return paths


def test_parsed_in_other_processes_as_in_this_one(tmp_path, monkeypatch):
    paths = sorted(archive(tmp_path / "archive", bad="bad_31_february.txt"))
    batches = [paths[:3], paths[3:6], paths[6:]]
    here = [reading.parse_files(batch) for batch in batches]
    monkeypatch.setattr(reading, "CHUNK", 2)  # two chunks a batch, in the parsing processes
    with reading.parsed_batches(batches) as parsed:
        elsewhere = list(parsed)
    assert [len(batch) for batch in elsewhere] == [3, 3, 1]
    assert [doc.name for batch in elsewhere for doc in batch] == list(map(str, paths))
    error = elsewhere[1][2]
    assert isinstance(error, ParseError) and (error.name, error.line) == (str(paths[5]), 5)
    assert str(error) == str(here[1][2])
    assert [b[:2] for b in elsewhere] == [b[:2] for b in here] and elsewhere[2] == here[2]


def test_a_bad_file_parsed_ahead_stops_the_run_and_keeps_nothing(site, tmp_path, monkeypatch):
    monkeypatch.setattr(import_documents, "BATCH", 3)  # the bad file in the second batch
    monkeypatch.setattr(reading, "CHUNK", 2)
    directory = tmp_path / "archive"
    bad = archive(directory, bad="bad_31_february.txt")[5]
    before = (Page.objects.count(), Person.objects.count())
    with pytest.raises(CommandError, match=rf"{bad.name}, line 5: 31 February"):
        call_command("import_documents", str(directory), stdout=StringIO())
    assert (Page.objects.count(), Person.objects.count()) == before
    with pytest.raises(CommandError, match=rf"1 file\(s\) skipped:\n  \S*{bad.name}, line 5"):
        call_command("import_documents", str(directory), "--keep-going", stdout=StringIO())
    imported = NewsStoryPage.objects.filter(source_document__startswith="generated-")
    assert sorted(imported.values_list("source_document", flat=True)) == sorted(
        path.name for path in sorted(directory.iterdir()) if path != bad
    )


def test_a_program_read_from_standard_input_parses_its_files_itself(tmp_path):
    """``spawn`` cannot start such a program again in the parsing processes: the
    importing process parses the files, and nothing hangs."""
    paths = sorted(archive(tmp_path / "archive", bad="bad_31_february.txt"))
    program = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from apps.importer import reading
reading.CHUNK = 2
paths = {[str(p) for p in paths]!r}
with reading.parsed_batches([paths[:4], paths[4:]]) as parsed:
    for batch in parsed:
        print(len(batch), *(type(doc).__name__ for doc in batch))
"""
    done = subprocess.run(
        [sys.executable, "-"], input=program, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "4 ParsedDocument ParsedDocument ParsedDocument ParsedDocument",
        "3 ParsedDocument ParseError ParsedDocument",
    ]
