import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page

from apps.core.models import ContentKeyMixin
from apps.importer.content import write_content
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
        records, images = [], []
        for model in ContentKeyMixin.keyed_models():
            if issubclass(model, Page):
                continue
            for obj in model._default_manager.exclude(content_key=None).order_by("pk"):
                records.append(object_to_record(obj, keys))
                if hasattr(obj, "file"):
                    images.append(obj)
        # Pages in tree order, so that a reader sees parents before children.
        for page in Page.objects.filter(depth__gt=1).order_by("path").specific():
            if getattr(page, "content_key", None) is None:
                self.stderr.write(f"skipped page {page.pk} ({type(page).__name__}): no content key")
                continue
            records.append(object_to_record(page, keys))
        written = write_content(records, path)
        for image in images:
            target = path / "images" / Path(image.file.name).name
            target.parent.mkdir(parents=True, exist_ok=True)
            with image.file.open("rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
        self.stdout.write(
            f"Exported {len(written)} records and {len(images)} image files to {path}"
        )
