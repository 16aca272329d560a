from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import CharterIndexPage, CharterProvisionPage


@register(CharterIndexPage)
class CharterIndexPageTranslation(TranslationOptions):
    fields = ("intro",)


@register(CharterProvisionPage)
class CharterProvisionPageTranslation(TranslationOptions):
    fields = ("chapter", "text", "commentary")
