"""Admin strings that no code of this project writes, in the project's catalogue.

wagtail-modeltranslation ships no Arabic catalogue: the strings of its editor panels
are looked up in this project's (``locale/ar``), and those its scripts write in English
are replaced by ``static/js/admin-translation.js`` with the translations given here.
The names of the editorial workflow and its task are stored data; they are shown in
the admin's language (:mod:`apps.editorial.workflows`). Marked here so that
``makemessages`` keeps them.
"""

from django.utils.translation import gettext_lazy, gettext_noop

LIBRARY_STRINGS = [
    gettext_noop("View / edit fields for"),
    gettext_noop("Page '{0}' and {1} subpages copied."),
    gettext_noop("Page '{0}' copied."),
]
# Written by wagtail-modeltranslation's copy_stream_fields.js; replaced in the page.
COPY_CONTENT_FROM = gettext_lazy("Copy content from")

# The stored names of the editorial workflow and of its task, as the admin shows them.
WORKFLOW_NAMES = {
    "Moderation": gettext_lazy("Moderation"),
    "Moderators approval": gettext_lazy("Moderators approval"),
}
