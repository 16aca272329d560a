import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.editorial.status import translation_status


class Command(BaseCommand):
    help = "List pages whose translated fields are missing or out of date, per language."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language", choices=[code for code, _ in settings.LANGUAGES], help="one language"
        )
        parser.add_argument(
            "--type", dest="page_type", help="one page type, e.g. news.NewsStoryPage"
        )

    def handle(self, *args, format, language, page_type, **options):
        from django.apps import apps

        if page_type:
            try:
                apps.get_model(page_type)
            except (LookupError, ValueError):
                raise CommandError(
                    f"unknown page type {page_type!r} (use app_label.ModelName)"
                ) from None
        statuses = translation_status(language=language, page_type=page_type)
        if format == "json":
            self.stdout.write(
                json.dumps([s.as_dict() for s in statuses], ensure_ascii=False, indent=2)
            )
            return
        if not statuses:
            self.stdout.write("Every page is translated.")
            return
        for status in statuses:
            data = status.as_dict()
            parts = []
            if status.missing:
                parts.append("missing: " + ", ".join(status.missing))
            if status.outdated:
                parts.append("outdated: " + ", ".join(status.outdated))
            if status.changed:
                blocks = (
                    f"{c.field} {c.unit.block_type or ''} {c.block_id}".replace("  ", " ").strip()
                    for c in status.changed
                )
                parts.append("changed since the translation: " + ", ".join(blocks))
            self.stdout.write(
                f"[{data['language']}] {data['type']} {data['key']} “{data['title']}” — "
                + "; ".join(parts)
            )
        self.stdout.write(f"{len(statuses)} page translation(s) need work.")
