from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from apps.core import backups


class Command(BaseCommand):
    help = (
        "Restore a backup written by the backup command into the database DATABASE_URL "
        "names, which must be empty unless --force; then restore the media, migrate and "
        "rebuild the search documents."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The .tar archive written by the backup command.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a database that is not empty, replacing what the backup holds.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive against its manifest; change nothing.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args, **options):
        alias = options["database"]
        connection = connections[alias]
        try:
            with backups.unpacked(options["backup"]) as backup:
                manifest = backup.manifest
                self.stdout.write(
                    f"{backup.path}: a {manifest['engine']} backup made {manifest['created']}, "
                    f"{len(manifest['files'])} files, every checksum matches."
                )
                self.stdout.write(f"Media in the backup: {manifest['media']}")
                if options["check"]:
                    return
                backups.load_database(connection, backup, force=options["force"])
                self.stdout.write(f"Restored the {backups.database_label(connection)}.")
                restored = backups.restore_media(backup)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc

        if restored is None:
            self.stdout.write(self.style.WARNING(backups.media_storage_note()))
        else:
            self.stdout.write(f"Restored {restored} media files into {settings.MEDIA_ROOT}.")
        ContentType.objects.clear_cache()
        # A backup from an earlier release is brought forward.
        call_command("migrate", "--noinput", database=alias, verbosity=0, stdout=self.stdout)
        call_command("update_search_documents", stdout=self.stdout)
        # The cache may hold pages, site roots and renditions of the database replaced.
        for name in settings.CACHES:
            caches[name].clear()

        counts, expected = backups.site_counts(alias), manifest["counts"]
        summary = ", ".join(f"{counts[key]} {key}" for key in ("pages", "images", "documents"))
        if counts != expected:
            self.stderr.write(
                self.style.WARNING(
                    f"The restored site has {summary}; the backup recorded {expected} "
                    "(migrations may have changed them): check the site."
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Restore complete: {summary}."))
