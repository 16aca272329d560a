"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

# An empty value counts as unset.
os.environ["DJANGO_SETTINGS_MODULE"] = (
    os.environ.get("DJANGO_SETTINGS_MODULE") or "mediation_site.settings.production"
)

application = get_asgi_application()
