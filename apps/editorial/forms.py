"""The page edit form as translators see it."""

from django.conf import settings

from wagtail.admin.forms import WagtailAdminPageForm

from .permissions import is_translator_only

LANGUAGE_SUFFIXES = tuple(f"_{code}" for code, _name in settings.LANGUAGES)


def is_translation_field(name):
    """``title_ar``, ``body_en``… — the per-language columns of a translated field."""
    return name.endswith(LANGUAGE_SUFFIXES)


class TranslationAwarePageForm(WagtailAdminPageForm):
    """Translators may change translated fields only; everything else is read-only for them.

    Disabled fields keep their stored values when the form is saved, so a
    translator cannot change a story's date, a report's symbol or a page's people,
    even by crafting a request.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and is_translator_only(for_user):
            self.restrict_to_translations(self)
            for formset in self.formsets.values():
                for form in formset.forms:
                    self.restrict_to_translations(form)

    @staticmethod
    def restrict_to_translations(form):
        for name, field in form.fields.items():
            if not is_translation_field(name) and name not in {"id", "DELETE", "ORDER"}:
                field.disabled = True
