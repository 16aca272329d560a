"""Signals by which one app tells the others what it did, without importing them.

``content_loaded`` is sent by ``load_content`` once the fixtures are in the database
(never on a dry run). A receiver may return lines for the command to print, e.g. the
Moderation workflow of ``apps.editorial`` reports the sections it newly covers.

``pages_created`` is sent by the loader for each batch of pages it creates together.
"""

from django.dispatch import Signal

content_loaded = Signal()


def send_content_loaded(sender, **kwargs):
    """Send ``content_loaded`` and return, in order, the lines its receivers returned."""
    return [
        line for _receiver, lines in content_loaded.send(sender, **kwargs) for line in lines or ()
    ]


# Pages created together, each with its first revision and published at once (an
# import's batch: apps.importer.bulk). Sent with ``revisions``, the list of those
# revisions, whose ``content_object`` is the page; the batch sends no ``post_save`` of
# each revision, so what follows every saved revision (translation records) listens here.
pages_created = Signal()
