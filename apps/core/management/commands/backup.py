from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from apps.core import backups


class Command(BaseCommand):
    help = (
        "Write one backup archive (database dump, uploaded media, manifest) named by the "
        "UTC time into --dir. Restore it with the restore command."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=str(settings.BASE_DIR / "var" / "backups"),
            help="Directory the archive is written to (default var/backups).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and "memory" not in name and not Path(name).is_file():
            raise CommandError(f"There is no SQLite database at {name}: is DATABASE_URL right?")
        try:
            counts = backups.site_counts(connection.alias)
        except DatabaseError as exc:
            raise CommandError(
                f"Cannot read the site from the {backups.database_label(connection)} ({exc}): "
                "is DATABASE_URL right, and the database migrated?"
            ) from exc
        try:
            path, manifest = backups.create_backup(connection, Path(options["dir"]), counts)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = [name for name in manifest["files"] if name.startswith("media/")]
        self.stdout.write(
            f"Backed up the {backups.database_label(connection)}: {counts['pages']} pages, "
            f"{counts['images']} images, {counts['documents']} documents."
        )
        note = backups.media_storage_note()
        if note:
            self.stdout.write(self.style.WARNING(note))
        else:
            self.stdout.write(
                f"Media: {len(media)} files from {settings.MEDIA_ROOT} (renditions left out: "
                "Wagtail makes them again from the originals)."
            )
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({size / 1e6:.1f} MB)."))
