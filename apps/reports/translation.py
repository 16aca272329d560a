from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import ReportAnnex, ReportIndexPage, ReportPage


@register(ReportIndexPage)
class ReportIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(ReportPage)
class ReportPageTranslation(TranslationOptions):
    fields = ("summary", "document", "source_name", "source_url")


@register(ReportAnnex)
class ReportAnnexTranslation(TranslationOptions):
    fields = ("title",)
