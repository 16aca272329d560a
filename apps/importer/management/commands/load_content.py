from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.events import send_content_loaded
from apps.importer.content import ContentError, ContentFolder, describe_error
from apps.importer.loader import Loader
from apps.importer.progress import loading

from .import_documents import BATCH, positive

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures" / "content"


class Command(BaseCommand):
    help = (
        "Build the site from the structured fixtures (default fixtures/content/): home, "
        "indexes, pages, people and images, published. Idempotent: records are matched by key. "
        "All or nothing: a bad file stops the run and the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH), help="content folder")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=BATCH,
            metavar="N",
            help=f"records read and written at a time (default {BATCH}); still one run, "
            "all or nothing",
        )

    def handle(self, *args, path, dry_run, batch_size, **options):
        path = Path(path)
        try:
            # Every file is checked before the database is opened; the records are then
            # read again a batch at a time, so that memory does not grow with the folder.
            folder = ContentFolder(path)
            with loading(len(folder), self, options["verbosity"]) as stdout:
                loader = Loader(files_root=path, stdout=stdout)
                with loader.run(dry_run):
                    for records in folder.batches(batch_size):
                        loader.load_batch(records)
        except ContentError as exc:
            raise CommandError(describe_error(path, exc)) from exc
        result = loader.result
        if not dry_run:
            # Other apps act on the new content (apps.editorial attaches its workflow).
            for line in send_content_loaded(sender=self.__class__, result=result):
                self.stdout.write(line)
        prefix = "Dry run, nothing saved: would be " if dry_run else ""
        self.stdout.write(prefix + result.summary() + f" ({len(folder)} records from {path})")
