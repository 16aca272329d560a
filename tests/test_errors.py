"""Error pages speak the reader's language (404) or both languages (500, and the 503 of a
database that cannot be reached)."""

from django.db import InterfaceError, OperationalError
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client, override_settings
from django.urls import path

import psycopg
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


# --- the database unreachable: 503, never a traceback ------------------------

handler500 = "apps.core.views.server_error"


def database_down_view(request):
    raise OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed')


def database_down_in_template(request):
    class Story:
        @property
        def title(self):
            raise InterfaceError("connection already closed")

    template = engines["django"].from_string("<h1>{{ story.title }}</h1>")
    return TemplateResponse(request, template, {"story": Story()})


def driver_error_view(request):
    # Raised by psycopg itself, not wrapped by Django.
    raise psycopg.OperationalError("server closed the connection unexpectedly")


def error_raised_from_database_error(request):
    try:
        database_down_view(request)
    except OperationalError as error:
        raise RuntimeError("could not load the menu") from error


class DatabaseDownMiddleware:
    """A middleware that needs the database before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("connection refused")


urlpatterns += [
    path("en/down/", database_down_view),
    path("ar/down/", database_down_view),
    path("en/down-in-template/", database_down_in_template),
    path("en/driver-error/", driver_error_view),
    path("en/chained/", error_raised_from_database_error),
    path("api/v2/down/", database_down_view),
]


def assert_maintenance_page(response, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert '<section lang="en" dir="ltr">' in body and '<section lang="ar" dir="rtl">' in body
    assert "The site is temporarily unavailable" in body and "الموقع غير متاح مؤقتًا" in body
    assert "Traceback" not in body and "connection" not in body


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize(
    ("url", "language"),
    [
        ("/en/down/", "en"),
        ("/ar/down/", "ar"),
        ("/en/down-in-template/", "en"),
        ("/en/driver-error/", "en"),
        ("/en/chained/", "en"),
    ],
)
def test_a_view_without_its_database_answers_503(url, language, caplog):
    response = Client().get(url)  # raises if the error escaped as a 500
    assert_maintenance_page(response, language)
    (line,) = [r for r in caplog.records if r.name == "apps.core.middleware"]
    assert line.levelname == "WARNING" and line.exc_info is None
    assert line.getMessage().startswith(f"Database unreachable, answering 503 to GET {url} (")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_api_without_its_database_answers_503_in_json():
    response = Client().get("/api/v2/down/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"].isdigit()
    assert response.json() == {
        "detail": "The service is temporarily unavailable. Please try again later."
    }


def test_a_middleware_without_its_database_answers_503(settings):
    # Django turns an exception raised in a middleware into handler500's response;
    # process_exception never sees it.
    settings.ROOT_URLCONF = __name__
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.DatabaseDownMiddleware"]
    client = Client(raise_request_exception=False)
    assert_maintenance_page(client.get("/broken/"))
    assert client.get("/api/v2/down/").json()["detail"].startswith("The service is")


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_other_errors_are_still_500():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Retry-After" not in response
