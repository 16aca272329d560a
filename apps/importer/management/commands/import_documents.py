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
from apps.importer.parsers import ParseError, parse_document
from apps.importer.progress import Progress, loading

CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"
# The sections an imported page goes under; created from the fixtures when missing.
STRUCTURE = ("home", "news", "reports")


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

    def handle(self, *args, files, dry_run, keep_going, **options):
        records, keys = {}, None

        def start():
            """The sections pages go under, when missing; read at the first document, so
            that a first file that cannot be parsed is reported before any query."""
            nonlocal keys
            if keys is None:
                keys = KeyIndex()
                structure = [r for r in read_content(CONTENT) if r.key in STRUCTURE]
                _add(records, [r for r in structure if r.key not in keys])

        def exists(key):
            return key in records or key in keys

        def official_text(key, language):
            """A Charter provision's text in ``language``, from the site."""
            return getattr(keys.get(key), f"text_{language}", None)

        # One document at a time: its text and parse are dropped once its records are kept.
        paths, read, failures = document_paths(files), 0, []
        with Progress(len(paths), "Reading", self.stderr) as progress:
            for path in paths:
                try:
                    doc = parse_document(self.read(path), name=str(path))
                except ParseError as exc:
                    if not keep_going:
                        raise CommandError(f"{exc}. Nothing was imported.") from exc
                    failures.append(str(exc))
                else:
                    start()
                    _add(records, records_for(doc, exists, official_text))
                    read += 1
                progress.advance()
        start()
        # News Tracker items that name a story of the site, or of this import, link to it.
        link_tracker_titles(list(records.values()), stored_story_titles())
        with loading(len(records), self, options["verbosity"]) as stdout:
            files = StoredFiles()
            loader = Loader(
                files_root=CONTENT,
                match=lambda record: match_existing(record, files),
                stdout=stdout,
                keys=keys,
            )
            try:
                result = loader.load(list(records.values()), dry_run=dry_run)
            except ContentError as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from exc
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(f"{prefix}{result.summary()} from {read} document(s)")
        if failures:
            raise CommandError(f"{len(failures)} file(s) skipped:\n  " + "\n  ".join(failures))

    def read(self, name):
        path = Path(name)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ParseError(name, None, f"cannot be read: {exc.strerror}") from exc


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
