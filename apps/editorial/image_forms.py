"""The image edit form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): titles, captions and credits
lose bidi controls as the other one-line texts do (see :mod:`apps.editorial.forms`).

Kept apart from ``forms.py``, which page models import while the models are still
loading; Wagtail's image forms module imports the image models.
"""

from wagtail.images.forms import BaseImageForm

from .forms import OneLineTextMixin


class ImageForm(OneLineTextMixin, BaseImageForm):
    pass
