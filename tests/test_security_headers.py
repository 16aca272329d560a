"""Security headers on every kind of response: Permissions-Policy, one framing policy
(X-Frame-Options and CSP frame-ancestors agree), the public Content-Security-Policy
and the admin's own, stricter where the admin allows it."""

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from wagtail.documents.models import Document
from wagtail.test.utils.form_data import querydict_from_html

import pytest
from production import production_env, run
from site_tree import add, story, url

from apps.core.security import ContentSecurityPolicyMiddleware, with_frame_ancestors
from apps.news.models import NewsIndexPage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
SWITCHED_OFF = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "midi",
    "display-capture",
    "browsing-topics",
    "interest-cohort",
)


def directives(policy):
    """A CSP header value as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))
    return client


def public_paths(small_site):
    paths = {}
    for language in ("en", "ar"):
        for name in ("home", "news", "story", "reports", "report", "charter", "article_99"):
            paths[f"{name} ({language})"] = url(getattr(small_site, name), language)
        paths[f"topic ({language})"] = url(small_site.topic, language)
        paths[f"search ({language})"] = f"/{language}/search/?q=mediation"
        paths[f"feed ({language})"] = f"/{language}/feeds/news.rss"
    paths["api"] = "/api/v2/pages/"
    paths["api detail"] = f"/api/v2/pages/{small_site.story.pk}/"
    paths["sitemap"] = "/sitemap.xml"
    paths["robots.txt"] = "/robots.txt"
    paths["not found"] = "/en/no-such-page/"
    return paths


@pytest.fixture
def public_responses(client, small_site):
    responses = {name: client.get(path) for name, path in public_paths(small_site).items()}
    for name, response in responses.items():
        expected = 404 if name == "not found" else 200
        assert response.status_code == expected, (name, response.status_code)
    return responses


def admin_paths(news, story):
    return {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{news.pk}/",
        "editor": f"/admin/pages/{story.pk}/edit/",
        "images": "/admin/images/",
        "snippets": "/admin/snippets/people/person/",
        "account": "/admin/account/",
    }


def assert_permissions_policy(response, name):
    policy = response.get("Permissions-Policy", "")
    for feature in SWITCHED_OFF:
        assert f"{feature}=()" in policy, (name, feature, policy)
    # Nothing is granted to other origins.
    assert "*" not in policy and '"' not in policy, (name, policy)


def assert_framing_agrees(response, name):
    xfo = response["X-Frame-Options"]
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == [FRAME_ANCESTORS[xfo]], (name, xfo, policy)


# --- public responses ------------------------------------------------------------------


def test_public_responses(public_responses):
    for name, response in public_responses.items():
        assert_permissions_policy(response, name)
        # Never framed, and both headers say so.
        assert response["X-Frame-Options"] == "DENY", name
        assert_framing_agrees(response, name)
        # Nothing inline, nothing from another origin.
        header = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, name
        policy = directives(header)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert "http" not in header, (name, header)
        assert "Content-Security-Policy-Report-Only" not in response, name


def test_static_files_get_permissions_policy_too(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert_permissions_policy(response, "site.css")


def test_documents_keep_their_own_policy_with_matching_frame_ancestors(client):
    document = Document(title="Note")
    document.file.save("note.txt", ContentFile(b"a note"), save=True)
    response = client.get(document.url)
    assert response.status_code == 200
    # Wagtail's own policy for documents, plus the site's framing rule.
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    assert response["X-Frame-Options"] == "DENY"


# --- the admin ---------------------------------------------------------------------

ADMIN_ENFORCED = {
    "default-src": ["'none'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-attr": ["'none'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def assert_admin_policy(response, name):
    assert response["X-Frame-Options"] == "DENY", name
    assert directives(response["Content-Security-Policy"]) == ADMIN_ENFORCED, name
    # What 'unsafe-inline' still lets through is reported.
    report_only = directives(response["Content-Security-Policy-Report-Only"])
    assert report_only["script-src"] == ["'self'", "'report-sample'"], name
    assert report_only["style-src"] == ["'self'", "'report-sample'"], name
    assert_permissions_policy(response, name)


def test_admin_sign_in_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_admin_policy(response, "login")


def test_admin_pages_have_the_admin_policy(admin_client, home_page):
    news = add(home_page, NewsIndexPage(title_en="News", slug_en="news"))
    news_story = story(news, "a-story", "A story", "خبر", datetime.date(2011, 11, 9))
    for name, path in admin_paths(news, news_story).items():
        response = admin_client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        assert_admin_policy(response, name)
        # Nothing in the admin's pages needs another origin (no Gravatar avatars).
        assert "gravatar.com" not in response.content.decode(), name


def edit_form_data(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for key in [key for key in data if "__prefix__" in key]:
        del data[key]
    for name in ("body_en", "body_ar"):
        if hasattr(page, name):
            data[f"{name}-count"] = "0"
    return data


@pytest.mark.parametrize("language", ["en", "ar"])
def test_preview_may_be_framed_by_the_admin_and_both_headers_say_so(
    admin_client, small_site, language
):
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[small_site.topic.pk])
    data = edit_form_data(admin_client, small_site.topic)
    data["intro_en"] = "A previewed introduction."
    assert admin_client.post(preview_url, data).json()["is_valid"]
    response = admin_client.get(preview_url, {"mode": language, "in_preview_panel": "true"})
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
    assert_permissions_policy(response, "preview")


def test_lockout_page_has_the_headers_of_its_path(client, django_user_model, settings):
    django_user_model.objects.create_user("someone", password="right")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/admin/login/", {"username": "someone", "password": "no"})
    assert response.status_code == 429
    assert_admin_policy(response, "lockout")


# --- the framing rule itself -------------------------------------------------------------


def run_middleware(view):
    chain = ContentSecurityPolicyMiddleware(XFrameOptionsMiddleware(view))
    return chain(RequestFactory().get("/en/"))


def test_a_view_exempt_from_x_frame_options_gets_no_frame_ancestors():
    response = run_middleware(xframe_options_exempt(lambda request: HttpResponse("ok")))
    assert "X-Frame-Options" not in response
    assert "frame-ancestors" not in response["Content-Security-Policy"]
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_a_view_asking_for_sameorigin_gets_self():
    def view(request):
        response = HttpResponse("ok")
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    response = run_middleware(view)
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


def test_with_frame_ancestors_replaces_only_that_directive():
    policy = "default-src 'self'; frame-ancestors 'none'; img-src 'self' data:"
    assert with_frame_ancestors(policy, ["'self'"]) == (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'"
    )
    assert with_frame_ancestors(policy, None) == "default-src 'self'; img-src 'self' data:"


# --- production settings -----------------------------------------------------------------

RESPONSE_PROBE = """
import json
import django
from django.test import Client

django.setup()
response = Client().get("/robots.txt", secure=True, HTTP_HOST="example.org")
print(json.dumps({
    "status": response.status_code,
    "x_frame_options": response.get("X-Frame-Options"),
    "csp": response.get("Content-Security-Policy"),
    "permissions_policy": response.get("Permissions-Policy"),
}))
"""
# Settings only: django-storages, which S3 media needs, is a production dependency.
SETTINGS_PROBE = """
import json
import mediation_site.settings.production as s
print(json.dumps({
    "img_src": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "admin_img_src": s.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""


def production_probe(tmp_path, probe, **environ):
    result = run(["-c", probe], production_env(tmp_path, **environ))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_denies_framing_in_both_headers(tmp_path):
    probe = production_probe(tmp_path, RESPONSE_PROBE)
    assert probe["status"] == 200
    assert probe["x_frame_options"] == "DENY"
    assert directives(probe["csp"])["frame-ancestors"] == ["'none'"]
    assert "camera=()" in probe["permissions_policy"]


@pytest.mark.parametrize(
    "environ, origins",
    [
        ({}, []),
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, ["https://media.example.org"]),
        (
            {"AWS_S3_ENDPOINT_URL": "https://s3.example.net"},
            ["https://s3.example.net", "https://media.s3.example.net"],
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-central-1"},
            ["https://media.s3.eu-central-1.amazonaws.com"],
        ),
    ],
)
def test_production_with_s3_media_allows_the_buckets_images(tmp_path, environ, origins):
    if environ or origins:
        environ = {"AWS_STORAGE_BUCKET_NAME": "media", **environ}
    probe = production_probe(tmp_path, SETTINGS_PROBE, **environ)
    assert probe["img_src"] == ["'self'", "data:", *origins]
    assert probe["admin_img_src"] == ["'self'", *origins]
