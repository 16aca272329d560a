from wagtail_modeltranslation.management.commands.migrate_translation import (
    Command as TranslationMigrateCommand,
)


class Command(TranslationMigrateCommand):
    """wagtail-modeltranslation's ``migrate``, which never stops to ask a question.

    After Django's migrations, wagtail-modeltranslation adds the columns of Wagtail's
    translated ``Page`` fields (``title_en``, ``title_ar``, ``slug_ar``…), which no
    migration creates, and asks "Are you sure that you want to execute the previous
    SQL" for each field unless ``--noinput`` is given. The site cannot run without
    those columns, so there is nothing to decide: plain ``migrate`` adds them like
    ``migrate --noinput`` does. (Django's own ``migrate`` asks nothing either way.)
    """

    def handle(self, *args, **options):
        super().handle(*args, **{**options, "interactive": False})
