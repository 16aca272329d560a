from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from apps.core.sites import absolute

from . import sitemaps

SITEMAP_CONTENT_TYPE = "application/xml"
# As Django's sitemap views say: the files are for crawlers, not for search results.
SITEMAP_ROBOTS = "noindex, noodp, noarchive"


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {absolute(reverse('sitemap'))}",  # SITE_URL, never the Host header
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap_response(content):
    response = HttpResponse(content, content_type=SITEMAP_CONTENT_TYPE)
    response["X-Robots-Tag"] = SITEMAP_ROBOTS
    return response


@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: the index of the section files."""
    return sitemap_response(sitemaps.render_index())


@require_safe
def sitemap_section(request, section):
    """``/sitemap-<section>.xml``, ``?p=2`` for its second file: a 404 for a section
    or a file that does not exist."""
    part = request.GET.get("p", "1")
    if not part.isascii() or not part.isdigit():
        raise Http404(f"sitemap file number {part!r} is not a positive whole number")
    content = sitemaps.render_section(section, int(part))
    if content is None:
        raise Http404(f"the sitemap has no file {part} of section {section!r}")
    return sitemap_response(content)
