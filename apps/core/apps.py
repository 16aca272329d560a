from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import signals  # noqa: F401
        from .sites import apply_site_url_after_migrate

        # The default Wagtail site follows SITE_URL after every migrate.
        post_migrate.connect(apply_site_url_after_migrate, sender=self)
