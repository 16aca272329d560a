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
        from .sites import apply_site_url_after_migrate, site_root_paths

        # wagtail-modeltranslation looks its slug check up by this name each time a page
        # is cleaned: ours asks SQL instead of loading every sibling (apps.core.pages).
        patch_wagtailadmin._validate_slugs = translated_slug_errors
        # And its site root paths, read from the cache for each page whose URL is made
        # without a request: ours are kept in the process until the next change.
        patch_wagtailadmin._localized_site_get_site_root_paths = site_root_paths

        # The default Wagtail site follows SITE_URL after every migrate.
        post_migrate.connect(apply_site_url_after_migrate, sender=self)
