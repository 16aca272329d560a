from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Person


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("name", "role")
