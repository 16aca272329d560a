"""Error pages speak the reader's language (404) or both languages (500)."""

from django.test import Client, override_settings
from django.urls import path

import pytest

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.parametrize(
    ("prefix", "direction", "text"),
    [("en", "ltr", "Page not found"), ("ar", "rtl", "الصفحة غير موجودة")],
)
def test_404_in_the_readers_language(client, home_page, prefix, direction, text):
    response = client.get(f"/{prefix}/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{prefix}" dir="{direction}">' in body
    assert f"<h1>{text}</h1>" in body


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_500_page_is_bilingual():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<section lang="en" dir="ltr">' in body
    assert '<section lang="ar" dir="rtl">' in body
    assert "حدث خطأ" in body and "Something went wrong" in body
