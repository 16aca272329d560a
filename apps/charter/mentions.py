"""What a mention of a Charter article links to (registered by ``CharterConfig.ready()``)."""

from apps.core.visibility import public_pages

from .models import CharterProvisionPage


def article_urls():
    """``{article: url}`` of the public provisions, in the active language."""
    return {page.article: page.url for page in public_pages(CharterProvisionPage.objects.all())}
