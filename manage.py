#!/usr/bin/env python
"""Django's command-line utility; development settings unless told otherwise."""

import os
import sys

if __name__ == "__main__":
    # An empty value counts as unset.
    os.environ["DJANGO_SETTINGS_MODULE"] = (
        os.environ.get("DJANGO_SETTINGS_MODULE") or "mediation_site.settings.dev"
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
