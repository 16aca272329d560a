from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "apps.importer"
    label = "importer"
    verbose_name = "Import and export"
