"""A frontend-cache backend that records what it is asked to purge, as a CDN would be."""

from urllib.parse import urlsplit

from wagtail.contrib.frontend_cache.backends import BaseBackend


class RecordingBackend(BaseBackend):
    purged = []

    def purge(self, url):
        self.purged.append(url)


def purged_paths():
    return {urlsplit(address).path for address in RecordingBackend.purged}
