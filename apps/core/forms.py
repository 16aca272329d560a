"""The admin's edit forms: one-line texts cleaned of bidi controls, and the page form
as translators see it."""

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html, format_html_join

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.fields import RichTextField, StreamField

from .permissions import is_translator_only, translation_languages
from .text import html_to_text, strip_bidi_controls

LANGUAGE_SUFFIXES = tuple(f"_{code}" for code, _name in settings.LANGUAGES)


def is_translation_field(name):
    """``title_ar``, ``body_en``… — the per-language columns of a translated field."""
    return name.endswith(LANGUAGE_SUFFIXES)


def field_language(name):
    """The language of a translated field's column (``body_ar`` → ``ar``), or None."""
    code = name.rsplit("_", 1)[-1] if "_" in name else None
    return code if code in dict(settings.LANGUAGES) else None


class ReadOnlyTextWidget(forms.Widget):
    """A field a translator may not change, whose own editor cannot be switched off by
    ``disabled`` (rich text, a StreamField): its text, read-only, in the
    direction of its language. The form ignores whatever is posted for it."""

    def __init__(self, language=None, attrs=None):
        super().__init__(attrs)
        self.language = language

    def texts(self, value):
        if value is None or value == "":
            return []
        if hasattr(value, "stream_block"):
            return [t for t in value.stream_block.get_searchable_content(value) if t]
        if isinstance(value, (list, tuple)):
            return [str(item) for item in value]
        return [html_to_text(value)]

    def render(self, name, value, attrs=None, renderer=None):
        direction = "rtl" if self.language == "ar" else "ltr"
        return format_html(
            '<div class="translation-locked" id="{}" data-translation-locked{}>{}</div>',
            (attrs or {}).get("id") or f"id_{name}",
            format_html(' lang="{}" dir="{}"', self.language, direction) if self.language else "",
            format_html_join("", "<p>{}</p>", ((text,) for text in self.texts(value))),
        )


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
    """Translators may change the columns of their languages only (for the group
    "Translators", the page's translation language: not its ``source_language``; see
    :mod:`apps.core.permissions`); everything else is read-only for them, including
    the source language's title, text and inline rows, and which rows there are.

    Disabled fields keep their stored values when the form is saved, so a
    translator cannot change a story's date, a report's symbol, a page's people or
    the original text, even by crafting a request.
    """

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and is_translator_only(for_user):
            languages = translation_languages(for_user, self.instance)
            self.restrict_to_translations(self, languages)
            for formset in self.formsets.values():
                for form in formset.forms:
                    self.restrict_to_translations(form, languages)

    @staticmethod
    def restrict_to_translations(form, languages):
        for name, field in form.fields.items():
            if name == "id" or field_language(name) in languages:
                continue
            field.disabled = True
            try:
                model_field = form._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, RichTextField | StreamField):
                # Their editors ignore ``disabled``: the text is shown instead.
                field.widget = ReadOnlyTextWidget(field_language(name))
