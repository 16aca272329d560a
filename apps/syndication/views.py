from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from apps.core.sites import absolute


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
