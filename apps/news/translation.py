from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import NewsIndexPage, NewsStoryPage, RelatedStory


@register(NewsIndexPage)
class NewsIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(NewsStoryPage)
class NewsStoryPageTranslation(TranslationOptions):
    fields = ("source", "source_url", "lead", "body")


@register(RelatedStory)
class RelatedStoryTranslation(TranslationOptions):
    fields = ("title",)
