from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "apps.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self):
        # Connects the receiver that covers loaded sections with the Moderation workflow.
        from . import workflows  # noqa: F401 - the page models are loaded only now
