from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import CustomImage


@register(CustomImage)
class CustomImageTranslation(TranslationOptions):
    fields = ("title", "description", "caption", "credit")
