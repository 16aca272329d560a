"""The image edit form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): titles, captions and credits
lose bidi controls as the other one-line texts do (see :mod:`apps.core.forms`).

Kept apart from ``forms.py``, which page models import while the models are still
loading; Wagtail's image forms module imports the image models.
"""

from django import forms
from django.conf import settings

from wagtail.images.forms import BaseImageForm

from apps.core.forms import OneLineTextMixin

# The title column of the default language, which Wagtail requires.
DEFAULT_TITLE = f"title_{settings.LANGUAGE_CODE}"


class ImageForm(OneLineTextMixin, BaseImageForm):
    """Also stands in for the untranslated ``title`` field that Wagtail's multiple
    upload expects: it reads that field's maximum length, and posts each file's name
    as ``title``. Translated, the form has ``title_en`` and ``title_ar`` instead, so a
    hidden ``title`` field is added and a posted ``title`` becomes the default
    language's title when that is not given."""

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("title") and not data.get(DEFAULT_TITLE):
            data = data.copy()
            data[DEFAULT_TITLE] = data["title"]
        super().__init__(data, *args, **kwargs)
        default_title = self.fields.get(DEFAULT_TITLE)
        if default_title is not None and "title" not in self.fields:
            self.fields["title"] = forms.CharField(
                max_length=default_title.max_length, required=False, widget=forms.HiddenInput
            )
