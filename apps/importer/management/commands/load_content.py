from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.events import send_content_loaded
from apps.importer.content import ContentError, describe_error, read_content
from apps.importer.loader import Loader
from apps.importer.progress import loading

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "content"


class Command(BaseCommand):
    help = (
        "Build the site from the structured fixtures (default fixtures/content/): home, "
        "indexes, pages, people and images, published. Idempotent: records are matched by key."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="content folder")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )

    def handle(self, *args, path, dry_run, **options):
        path = Path(path)
        try:
            records = read_content(path)
            with loading(len(records), self, options["verbosity"]) as stdout:
                result = Loader(files_root=path, stdout=stdout).load(records, dry_run=dry_run)
        except ContentError as exc:
            raise CommandError(describe_error(path, exc)) from exc
        if not dry_run:
            # Other apps act on the new content (apps.editorial attaches its workflow).
            for line in send_content_loaded(sender=self.__class__, result=result):
                self.stdout.write(line)
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(prefix + result.summary() + f" ({len(records)} records from {path})")
