"""The translation view's form: one input per text of each translation unit, in the
translation's language and direction, and "still correct" for units whose source changed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.rich_text import get_rich_text_editor_widget

from apps.core.text import strip_bidi_controls

from .units import CHAR, RICH, TEXT, plain

DIRECTIONS = {"ar": "rtl"}


def direction(language):
    return DIRECTIONS.get(language, "ltr")


class TranslationForm(forms.Form):
    """``units`` are the page's translation units into ``language``; ``changed`` the keys
    of those whose source changed since their translation."""

    def __init__(self, *args, units, language, changed=(), may_change=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.language = language
        attrs = {"lang": language, "dir": direction(language)}
        for index, unit in enumerate(units):
            for part in unit.parts:
                field = self.part_field(part, attrs)
                # A snippet's texts only for those who may change that snippet.
                field.disabled = may_change is not None and not may_change(unit)
                self.fields[self.part_name(index, part)] = field
            if unit.key in changed and unit.translation_text:
                self.fields[self.confirm_name(index)] = forms.BooleanField(
                    required=False,
                    label=_("The translation is still correct"),
                )

    @staticmethod
    def part_name(index, part):
        return f"u{index}-{part.name or 'value'}"

    @staticmethod
    def confirm_name(index):
        return f"u{index}-still-correct"

    def part_field(self, part, attrs):
        if part.kind == RICH:
            widget = get_rich_text_editor_widget(features=part.features)
            widget.attrs.update(attrs)
        elif part.kind == TEXT:
            widget = forms.Textarea(attrs={**attrs, "rows": 3})
        else:
            widget = forms.TextInput(attrs=attrs)
        field = forms.CharField(
            label=part.label,
            required=False,
            widget=widget,
            max_length=part.max_length if part.kind == CHAR else None,
            strip=part.kind != RICH,
        )
        field.initial = part.translation
        return field

    def rows(self):
        """For the template: each unit with the bound fields of its texts."""
        for index, unit in enumerate(self.units):
            confirm = self.confirm_name(index)
            yield {
                "unit": unit,
                "fields": [self[self.part_name(index, part)] for part in unit.parts],
                "still_correct": self[confirm] if confirm in self.fields else None,
            }

    def changed_translations(self):
        """{unit key: {part name: text}} for the units whose translation reads
        differently from the stored one (a rich-text editor's own rewriting of the
        same words does not count)."""
        values = {}
        for index, unit in enumerate(self.units):
            if self.fields[self.part_name(index, unit.parts[0])].disabled:
                continue
            texts, differs = {}, False
            for part in unit.parts:
                value = self.cleaned_data.get(self.part_name(index, part)) or ""
                if part.kind == CHAR:
                    value = strip_bidi_controls(value)
                if plain(value, part.kind) != part.translation_text:
                    texts[part.name] = value
                    differs = True
                else:
                    texts[part.name] = part.translation  # as stored

            if differs:
                values[unit.key] = texts
        return values

    def still_correct(self):
        return {
            unit.key
            for index, unit in enumerate(self.units)
            if self.cleaned_data.get(self.confirm_name(index))
        }
