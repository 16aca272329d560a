from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from wagtail_modeltranslation import patch_wagtailadmin

        from . import signals  # noqa: F401
        from .pages import translated_slug_errors
        from .sites import apply_site_url_after_migrate

        # wagtail-modeltranslation looks its slug check up by this name each time a page
        # is cleaned: ours asks SQL instead of loading every sibling (apps.core.pages).
        patch_wagtailadmin._validate_slugs = translated_slug_errors

        # The default Wagtail site follows SITE_URL after every migrate.
        post_migrate.connect(apply_site_url_after_migrate, sender=self)
