"""Which fields of a model are translated, read from django-modeltranslation's registry.

The registration itself is each app's ``translation.py`` (and ``apps/core/translation.py``
for this app); this module only asks it. The loader, the exporter and the translation
dashboard share it.
"""

from django.conf import settings

from modeltranslation.translator import NotRegistered, translator

# Language codes in the order of settings.LANGUAGES: the suffixes of translated columns.
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Translated fields whose value Wagtail derives from others (a page's URL path).
DERIVED_FIELDS = {"url_path"}


def translatable_fields(model):
    """The names (without language suffix) of ``model``'s translated fields that are
    written, not derived; an empty set for a model with none."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return set()
    return set(options.all_fields) - DERIVED_FIELDS


def is_filled(value):
    """Whether a field's value holds something: text that is not blank, a StreamField or
    list with items; any other value that is not None."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return len(value) > 0
    except TypeError:
        return True
