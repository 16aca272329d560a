from django.core.management.base import BaseCommand

from wagtail.models import Page

from apps.core.page_cache import bump_generation
from apps.search.documents import update_documents
from apps.search.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild the per-language search documents of every live page."

    def handle(self, *args, **options):
        SearchDocument.objects.exclude(page__live=True).delete()
        pages = Page.objects.live().filter(depth__gt=1).specific()
        for page in pages:
            update_documents(page)
        bump_generation()  # cached search pages and year options
        self.stdout.write(
            f"{SearchDocument.objects.count()} search documents for {len(pages)} pages."
        )
