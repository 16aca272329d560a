"""WSGI entry point (gunicorn ``mediation_site.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

# An empty value counts as unset.
os.environ["DJANGO_SETTINGS_MODULE"] = (
    os.environ.get("DJANGO_SETTINGS_MODULE") or "mediation_site.settings.production"
)

application = get_wsgi_application()
