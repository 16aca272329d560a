from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "apps.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        # Connects the receivers that cover loaded sections with the Moderation workflow
        # and that record the source of translations as revisions are saved.
        from . import signals, workflows  # noqa: F401 - the page models are loaded only now
