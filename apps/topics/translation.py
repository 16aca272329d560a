from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import TopicPage


@register(TopicPage)
class TopicPageTranslation(TranslationOptions):
    fields = ("intro", "body", "source_name", "source_url")
