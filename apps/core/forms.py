"""The admin's edit forms: one-line texts cleaned of bidi controls, and the page form
as translators see it."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from .permissions import is_translator_only
from .text import strip_bidi_controls

LANGUAGE_SUFFIXES = tuple(f"_{code}" for code, _name in settings.LANGUAGES)


def is_translation_field(name):
    """``title_ar``, ``body_en``… — the per-language columns of a translated field."""
    return name.endswith(LANGUAGE_SUFFIXES)


class OneLineTextMixin:
    """Strips bidi embedding, override and isolate controls from one-line texts.

    Every field stored in a ``CharField`` (titles and slugs in both languages, SEO
    titles, names, roles, credits) is cleaned as submitted, before validation: a slug
    pasted with a hidden U+202E is saved without it rather than refused, and a title
    cannot reorder the text around it wherever it is shown. Text areas and rich text
    are left as written; U+200E/U+200F, which Arabic text uses, are always kept.
    """

    def one_line_fields(self):
        model = self._meta.model
        for name in self.fields:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.CharField):
                yield name

    def full_clean(self):
        if self.is_bound:
            data = self.data.copy()
            for name in self.one_line_fields():
                key = self.add_prefix(name)
                if key not in data:
                    continue
                if hasattr(data, "setlist"):
                    data.setlist(key, [strip_bidi_controls(v) for v in data.getlist(key)])
                else:
                    data[key] = strip_bidi_controls(data[key])
            self.data = data
        super().full_clean()


class OneLineTextForm(OneLineTextMixin, WagtailAdminModelForm):
    """The base form of snippets with one-line names (people)."""


class TranslationAwarePageForm(OneLineTextMixin, WagtailAdminPageForm):
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
