from django.db import connections

from modeltranslation.utils import build_localized_fieldname
from wagtail.models import Page
from wagtail_modeltranslation.management.commands.migrate_translation import (
    Command as TranslationMigrateCommand,
)

from apps.core.translation_fields import LANGUAGES


class Command(TranslationMigrateCommand):
    """wagtail-modeltranslation's ``migrate``, which never stops to ask a question.

    After Django's migrations, wagtail-modeltranslation adds the columns of Wagtail's
    translated ``Page`` fields (``title_en``, ``title_ar``, ``slug_ar``…), which no
    migration creates, and asks "Are you sure that you want to execute the previous
    SQL" for each field unless ``--noinput`` is given. The site cannot run without
    those columns, so there is nothing to decide: plain ``migrate`` adds them like
    ``migrate --noinput`` does. (Django's own ``migrate`` asks nothing either way.)


    Then it indexes each language's slug column, by which a page is routed among its
    siblings (``BasePage.child_by_slug``): without an index, showing a story reads
    every story of the section, 50,000 in an archive.
    """

    def handle(self, *args, **options):
        super().handle(*args, **{**options, "interactive": False})
        index_translated_slugs(options["database"])


def index_translated_slugs(database):
    """An index on ``slug_<language>`` of Wagtail's page table, for each language."""
    connection = connections[database]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for language in LANGUAGES:
            column = build_localized_fieldname("slug", language)
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(f'core_page_{column}')} "
                f"ON {quote(Page._meta.db_table)} ({quote(column)})"
            )
