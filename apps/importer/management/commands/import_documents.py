from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.importer.content import ContentError, read_content
from apps.importer.documents import match_existing, records_for
from apps.importer.keys import KeyIndex
from apps.importer.loader import Loader
from apps.importer.parsers import ParseError, parse_document

CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content"
# The sections an imported page goes under; created from the fixtures when missing.
STRUCTURE = ("home", "news", "reports")


class Command(BaseCommand):
    help = (
        "Import raw documents shaped like the seeds (English or Arabic; a news story, or a "
        "topic page with a documents section) into pages. All or nothing: a bad file stops "
        "the run and the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument(
            "--keep-going",
            action="store_true",
            help="skip files that cannot be read or parsed, import the rest, report the skipped",
        )

    def handle(self, *args, files, dry_run, keep_going, **options):
        parsed, failures = [], []
        for name in files:
            try:
                parsed.append(parse_document(self.read(name), name=name))
            except ParseError as exc:
                if not keep_going:
                    raise CommandError(f"{exc}. Nothing was imported.") from exc
                failures.append(str(exc))
        records, keys = [], KeyIndex()
        structure = [r for r in read_content(CONTENT) if r.key in STRUCTURE]
        records += [r for r in structure if keys.get(r.key) is None]
        known = {r.key for r in records}

        def exists(key):
            return key in known or keys.get(key) is not None

        for doc in parsed:
            records += records_for(doc, exists)
        records = _merge(records)
        loader = Loader(
            files_root=CONTENT,
            match=match_existing,
            stdout=self.stdout if options["verbosity"] > 1 else None,
        )
        try:
            result = loader.load(records, dry_run=dry_run)
        except ContentError as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from exc
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(f"{prefix}{result.summary()} from {len(parsed)} document(s)")
        if failures:
            raise CommandError(f"{len(failures)} file(s) skipped:\n  " + "\n  ".join(failures))

    def read(self, name):
        path = Path(name)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ParseError(name, None, f"cannot be read: {exc.strerror}") from exc


def _merge(records):
    """One record per key: a person quoted twice, an image credited twice."""
    merged = {}
    for record in records:
        if record.key in merged:
            merged[record.key].fields.update(record.fields)
        else:
            merged[record.key] = record
    return list(merged.values())
