"""What a mention of a Charter article links to (registered by ``CharterConfig.ready()``)."""

from apps.core.mentions import ARTICLE, register

from .models import CharterProvisionPage


def register_mentions():
    """ "Article 99" links to the public provision whose article is 99."""
    register(ARTICLE, CharterProvisionPage, "article")
