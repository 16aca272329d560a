"""Uploading images in the admin, with translated titles."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from apps.core.models import CustomImage

pytestmark = pytest.mark.django_db


def png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f4e79").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_multiple_upload_page_opens_and_takes_files(admin_client):
    url = reverse("wagtailimages:add_multiple")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["max_title_length"] == 255

    response = admin_client.post(url, {"files[]": png("envoys-meet.png")})
    assert response.status_code == 200
    assert response.json()["success"] is True
    image = CustomImage.objects.get()
    assert image.title_en == "envoys-meet.png"
    assert image.title_ar in ("", None)  # the translation is still to be written


def test_the_edit_form_keeps_both_titles(admin_client):
    image = CustomImage.objects.create(title_en="Envoys", title_ar="المبعوثون", file=png("a.png"))
    form = admin_client.get(reverse("wagtailimages:edit", args=[image.pk])).content.decode()
    assert 'name="title_en"' in form and 'name="title_ar"' in form
    assert 'type="hidden" name="title"' in form
