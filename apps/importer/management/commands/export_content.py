import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page

from apps.core.models import ContentKeyMixin
from apps.importer.content import key_folders, write_record
from apps.importer.exporter import object_to_record
from apps.importer.keys import KeyIndex


class Command(BaseCommand):
    help = (
        "Write the page tree, people and images to PATH in the fixture format "
        "(load_content PATH rebuilds the same site)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder to write (created if missing)")
        parser.add_argument(
            "--force", action="store_true", help="write into a folder that is not empty"
        )

    def handle(self, *args, path, force, **options):
        path = Path(path)
        if path.exists() and any(path.iterdir()) and not force:
            raise CommandError(f"{path} is not empty: choose an empty folder or pass --force")
        keys = KeyIndex()
        # Each record is written as it is read, so that memory does not grow with the
        # site; where a key's file goes depends on the other keys, known from the start.
        folders = key_folders(keys.stored)
        written = images = 0
        for model in ContentKeyMixin.keyed_models():
            if issubclass(model, Page):
                continue
            stored = model._default_manager.exclude(content_key=None).order_by("pk")
            for obj in stored.iterator(chunk_size=500):
                write_record(object_to_record(obj, keys), path, folders)
                written += 1
                if hasattr(obj, "file"):
                    target = path / "images" / Path(obj.file.name).name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with obj.file.open("rb") as source, target.open("wb") as out:
                        shutil.copyfileobj(source, out)
                    images += 1
        # Pages in tree order, so that a reader sees parents before children.
        pages = Page.objects.filter(depth__gt=1).order_by("path").specific()
        for page in pages.iterator(chunk_size=500):
            if getattr(page, "content_key", None) is None:
                self.stderr.write(f"skipped page {page.pk} ({type(page).__name__}): no content key")
                continue
            write_record(object_to_record(page, keys), path, folders)
            written += 1
        self.stdout.write(f"Exported {written} records and {images} image files to {path}")
