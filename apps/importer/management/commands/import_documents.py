import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.importer.content import ContentError, read_content
from apps.importer.documents import (
    StoredFiles,
    link_tracker_titles,
    match_existing,
    records_for,
    stored_story_titles,
)
from apps.importer.keys import KeyIndex
from apps.importer.loader import Loader
from apps.importer.parsers import ParseError
from apps.importer.progress import Progress, loading
from apps.importer.reading import parsed_batches

CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"
# The sections an imported page goes under; created from the fixtures when missing.
STRUCTURE = ("home", "news", "reports")
# Documents read, and written, together: memory stays flat however many there are,
# and each batch is parsed while the one before is written.
BATCH = 1000


class Command(BaseCommand):
    help = (
        "Import raw documents shaped like the seeds (English or Arabic; a news story, or a "
        "topic page with a documents section) into pages. A directory stands for every file "
        "under it (hidden ones aside), in the order of their paths. All or nothing: a bad "
        "file stops the run and the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE_OR_DIR")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument(
            "--keep-going",
            action="store_true",
            help="skip files that cannot be read or parsed, import the rest, report the skipped",
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=BATCH,
            metavar="N",
            help=f"documents read and written at a time (default {BATCH}); still one run, "
            "all or nothing",
        )

    def handle(self, *args, files, dry_run, keep_going, batch_size, **options):
        paths, self.failures, self.documents = document_paths(files), [], 0
        self.keys = self.titles = None
        stored_files = StoredFiles()
        loader = Loader(files_root=CONTENT, match=lambda r: match_existing(r, stored_files))
        size = batch_size
        batches = [paths[start : start + size] for start in range(0, max(len(paths), 1), size)]
        # Each batch is parsed while the one before is written (apps.importer.reading).
        with parsed_batches(batches) as parsed:
            # The first batch is read before the run begins: a first file that cannot be
            # parsed is reported before the database is opened.
            records = self.records_of(next(parsed), keep_going)
            try:
                # A batch of documents at a time, so that memory does not grow with the
                # archive; the run stays one transaction.
                with loader.run(dry_run):
                    while records is not None:
                        with loading(len(records), self, options["verbosity"]) as stdout:
                            loader.stdout, loader.keys = stdout, self.keys
                            loader.load_batch(records)
                        documents = next(parsed, None)
                        records = (
                            None if documents is None else self.records_of(documents, keep_going)
                        )
            except ContentError as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from exc
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(f"{prefix}{loader.result.summary()} from {self.documents} document(s)")
        if self.failures:
            raise CommandError(
                f"{len(self.failures)} file(s) skipped:\n  " + "\n  ".join(self.failures)
            )

    def records_of(self, documents, keep_going):
        """The records of ``documents`` (each parsed, or the ParseError of its file), one
        document at a time, with the sections pages go under when the site lacks them (in
        the first batch), and News Tracker items linked to the stories they name, of the
        site or of this batch."""
        records = {}

        def exists(key):
            return key in records or key in self.keys

        def official_text(key, language):
            """A Charter provision's text in ``language``, from the site."""
            return getattr(self.keys.get(key), f"text_{language}", None)

        with Progress(len(documents), "Reading", self.stderr) as progress:
            for doc in documents:
                if isinstance(doc, ParseError):
                    if not keep_going:
                        raise CommandError(f"{doc}. Nothing was imported.")
                    self.failures.append(str(doc))
                else:
                    self.start(records)
                    _add(records, records_for(doc, exists, official_text))
                    self.documents += 1
                progress.advance()
        self.start(records)
        if self.titles is None:
            self.titles = stored_story_titles()
        link_tracker_titles(list(records.values()), self.titles)
        return list(records.values())

    def start(self, records):
        """The key index and the sections pages go under, when missing; at the first
        document read, so that a first file that cannot be parsed is reported before any
        query."""
        if self.keys is None:
            self.keys = KeyIndex()
            structure = [r for r in read_content(CONTENT) if r.key in STRUCTURE]
            _add(records, [r for r in structure if r.key not in self.keys])


def positive(value):
    """A whole number of at least 1, for ``--batch-size``."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return number


def document_paths(names):
    """The files to import, in order: a file as named; a directory as every file under it
    (not hidden, nor under a hidden folder), sorted by path, so that a run is repeatable."""
    paths = []
    for name in names:
        path = Path(name)
        if not path.is_dir():
            paths.append(path)
            continue
        found = (p for p in path.rglob("*") if p.is_file())
        paths += sorted(
            (
                p
                for p in found
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            ),
            key=lambda p: p.relative_to(path).parts,
        )
    return paths


def _add(merged, records):
    """One record per key: a person quoted twice, an image credited twice."""
    for record in records:
        if record.key in merged:
            merged[record.key].fields.update(record.fields)
        else:
            merged[record.key] = record
