"""What a mention of a document symbol or of a resolution links to (registered by
``ReportsConfig.ready()``): the report with that symbol, the report the resolution
asked for."""

from apps.core.mentions import RESOLUTION, SYMBOL, register
from apps.core.rules.symbols import resolution_number

from .models import ReportPage


def register_mentions():
    """A symbol links to the public report with that symbol; a resolution to the
    public report it asked for (the first in the tree when it asked for several)."""
    register(SYMBOL, ReportPage, "symbol")
    register(RESOLUTION, ReportPage, "mandates__number", key=resolution_number)
