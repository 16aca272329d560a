"""What a mention of a document symbol or of a resolution links to (registered by
``ReportsConfig.ready()``): the report with that symbol, the report the resolution
asked for."""

from apps.core.rules.symbols import resolution_number
from apps.core.visibility import public_pages

from .models import ReportPage


def symbol_urls():
    """``{symbol: url}`` of the public reports, in the active language."""
    reports = public_pages(ReportPage.objects.exclude(symbol=None))
    return {report.symbol: report.url for report in reports}


def resolution_urls():
    """``{resolution number: url}`` of the public reports by the resolutions that asked
    for them, in the active language (the first report for a resolution that asked for
    several)."""
    urls = {}
    for report in public_pages(ReportPage.objects.prefetch_related("mandates")):
        for mandate in report.mandates.all():
            urls.setdefault(resolution_number(mandate.number), report.url)
    return urls
