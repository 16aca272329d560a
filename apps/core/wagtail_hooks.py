from wagtail import hooks
from wagtail.rich_text.pages import PageLinkHandler

from apps.core.visibility import public_pages


class PublicPageLinkHandler(PageLinkHandler):
    """Rich-text links to pages, only to pages the public may see.

    A link to a draft, unpublished or private page keeps its text but loses its
    address (``<a>`` with no ``href``, as Wagtail renders a link to a deleted page),
    so published text never gives away where an unpublished page will live.
    """

    @classmethod
    def get_many(cls, attrs_list):
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        pages = public_pages(cls.get_model().objects.filter(id__in=ids))
        by_id = {str(page.pk): page for page in pages.defer_streamfields().specific()}
        return [by_id.get(id_) for id_ in ids]


# After Wagtail's own registration of the "page" link type, which this replaces.
@hooks.register("register_rich_text_features", order=100)
def register_public_page_links(features):
    features.register_link_type(PublicPageLinkHandler)
