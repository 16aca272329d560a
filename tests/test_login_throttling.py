"""Password guessing is stopped: the admin sign-in, the public sign-in and the
passwords of private pages and document collections lock an account (or a
restriction) for one address after AXES_FAILURE_LIMIT wrong passwords.

Requests carry REMOTE_ADDR, the address django-axes counts by (no proxy is
trusted in the test settings).
"""

from io import StringIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import resolve, reverse
from django.utils import translation

from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from site_tree import add

from apps.core import security
from apps.news.models import NewsIndexPage
from mediation_site.settings.base import client_address_settings

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
ATTACKER = "203.0.113.9"
ELSEWHERE = "198.51.100.20"
RIGHT = "correct horse battery staple"
WRONG = "guess"


def assert_locked_out(response):
    """The lock-out page: 429, no caching, both languages, when and whom."""
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "Too many attempts" in text
    assert "محاولات كثيرة جدًا" in text
    assert "You can try again in 60 minutes." in text
    assert "يمكنك المحاولة مرة أخرى بعد 60 دقيقة." in text
    assert "site administrator" in text
    assert "أحد مديري الموقع" in text
    assert 'lang="ar" dir="rtl"' in text and 'lang="en" dir="ltr"' in text


def guess(post, times, ip=ATTACKER):
    """``times`` wrong passwords; every answer but the last must be an ordinary refusal."""
    responses = [post(WRONG, ip) for _ in range(times)]
    for response in responses[:-1]:
        assert response.status_code == 200, response.status_code
    return responses[-1]


# --- the admin sign-in ---------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", RIGHT)


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser("colleague", "colleague@example.org", RIGHT)


def admin_sign_in(client, username="editor"):
    def post(password, ip):
        return client.post(
            "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    return post


def signed_in(client):
    return client.get("/admin/").status_code == 200


def test_admin_right_password_works_below_the_limit(client, editor):
    guess(admin_sign_in(client), LIMIT - 1)
    response = admin_sign_in(client)(RIGHT, ATTACKER)
    assert response.status_code == 302
    assert signed_in(client)


def test_admin_locks_the_account_for_that_address(client, editor):
    assert_locked_out(guess(admin_sign_in(client), LIMIT))
    # The right password is now refused too, and nobody is signed in.
    assert_locked_out(admin_sign_in(client)(RIGHT, ATTACKER))
    assert not signed_in(client)


def test_admin_lockout_spares_other_addresses_and_accounts(client, editor, colleague):
    guess(admin_sign_in(client), LIMIT)
    # The same account from another address...
    assert admin_sign_in(client)(RIGHT, ELSEWHERE).status_code == 302
    client.logout()
    # ...and another account from the same address still sign in.
    assert admin_sign_in(client, "colleague")(RIGHT, ATTACKER).status_code == 302


def test_a_right_password_clears_the_count(client, editor):
    guess(admin_sign_in(client), LIMIT - 1)
    assert admin_sign_in(client)(RIGHT, ATTACKER).status_code == 302
    client.logout()
    # The count starts again: LIMIT - 1 more failures do not lock.
    assert guess(admin_sign_in(client), LIMIT - 1).status_code == 200


@pytest.mark.parametrize(
    "command, argument", [("axes_reset_username", "editor"), ("axes_reset_ip", ATTACKER)]
)
def test_reset_commands_unlock(client, editor, command, argument):
    guess(admin_sign_in(client), LIMIT)
    call_command(command, argument, stdout=StringIO())
    assert not AccessAttempt.objects.exists()
    assert admin_sign_in(client)(RIGHT, ATTACKER).status_code == 302


def test_axes_reset_unlocks_everyone(client, editor):
    guess(admin_sign_in(client), LIMIT)
    call_command("axes_reset", stdout=StringIO())
    assert admin_sign_in(client)(RIGHT, ATTACKER).status_code == 302


def test_lockout_page_puts_the_readers_language_first(client, editor):
    guess(admin_sign_in(client), LIMIT)
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": RIGHT},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    text = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert text.index("محاولات كثيرة جدًا") < text.index("Too many attempts")
    assert "<h1>محاولات كثيرة جدًا</h1>" in text


def test_lockout_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=ATTACKER)
    with django_assert_num_queries(0):
        response = security.lockout_response(request, None, {"username": "editor"})
    assert_locked_out(response)


# --- the public sign-in (pages restricted to signed-in readers) ----------------


def public_sign_in(client, username="editor", language="en"):
    with translation.override(language):
        url = reverse("wagtailcore_login")

    def post(password, ip):
        return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)

    return post


def test_public_sign_in_locks_like_the_admin(client, editor, colleague):
    assert_locked_out(guess(public_sign_in(client), LIMIT))
    assert_locked_out(public_sign_in(client)(RIGHT, ATTACKER))
    assert public_sign_in(client)(RIGHT, ELSEWHERE).status_code == 302
    client.logout()
    assert public_sign_in(client, "colleague")(RIGHT, ATTACKER).status_code == 302


def test_public_and_admin_sign_in_share_one_count(client, editor):
    guess(public_sign_in(client, language="ar"), LIMIT - 1)
    assert_locked_out(admin_sign_in(client)(WRONG, ATTACKER))


# --- page passwords --------------------------------------------------------------


@pytest.fixture
def private_pages(home_page):
    """Two sections, each behind its own password."""
    pages = []
    for slug in ("briefings", "drafts"):
        page = add(
            home_page,
            NewsIndexPage(title_en=slug.title(), title_ar=slug, slug_en=slug, slug_ar=slug),
        )
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password=RIGHT
        )
        pages.append((page, restriction))
    return pages


def page_password(client, page, restriction, language="en"):
    with translation.override(language):
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        return_url = page.get_url()

    def post(password, ip):
        return client.post(url, {"password": password, "return_url": return_url}, REMOTE_ADDR=ip)

    post.return_url = return_url
    return post


def test_page_password_form_is_ours_under_both_languages(private_pages):
    page, restriction = private_pages[0]
    for language in ("en", "ar"):
        with translation.override(language):
            url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
            assert resolve(url).func is security.authenticate_with_password
        assert url.startswith(f"/{language}/_util/authenticate_with_password/")


def test_page_password_works_below_the_limit(client, private_pages):
    page, restriction = private_pages[0]
    post = page_password(client, page, restriction)
    guess(post, LIMIT - 1)
    response = post(RIGHT, ATTACKER)
    assert response.status_code == 302
    assert response["Location"] == post.return_url
    assert "Briefings" in client.get(post.return_url).content.decode()


def test_page_password_locks_the_restriction_for_that_address(client, private_pages):
    (page, restriction), (other_page, other_restriction) = private_pages
    post = page_password(client, page, restriction, "ar")
    assert_locked_out(guess(post, LIMIT))
    assert_locked_out(post(RIGHT, ATTACKER))
    # Not let in: the page still asks for its password.
    assert "Briefings" not in client.get(post.return_url).content.decode()
    # Another address, and another restriction from the same address, are not locked.
    assert post(RIGHT, ELSEWHERE).status_code == 302
    assert page_password(client, other_page, other_restriction)(RIGHT, ATTACKER).status_code == 302


def test_page_password_failures_are_axes_attempts_named_after_the_restriction(
    client, private_pages
):
    page, restriction = private_pages[0]
    guess(page_password(client, page, restriction), 2)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == f"page-restriction:{restriction.pk}"
    assert attempt.ip_address == ATTACKER
    assert attempt.failures_since_start == 2
    assert RIGHT not in attempt.post_data and WRONG not in attempt.post_data


def test_page_password_reset_command_unlocks(client, private_pages):
    page, restriction = private_pages[0]
    post = page_password(client, page, restriction)
    guess(post, LIMIT)
    call_command(
        "axes_reset_username",
        f"page-restriction:{restriction.pk}",
        stdout=StringIO(),
    )
    assert post(RIGHT, ATTACKER).status_code == 302


def test_page_password_right_answer_clears_the_count(client, private_pages):
    page, restriction = private_pages[0]
    post = page_password(client, page, restriction)
    guess(post, LIMIT - 1)
    assert post(RIGHT, ATTACKER).status_code == 302
    assert not AccessAttempt.objects.exists()


# --- document collection passwords ------------------------------------------------


def test_document_password_locks_too(client):
    collection = Collection.get_first_root_node().add_child(name="Confidential")
    document = Document(title="Note", collection=collection)
    document.file.save("note.txt", ContentFile(b"confidential"), save=True)
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password=RIGHT
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    assert resolve(url).func is security.authenticate_document_with_password

    def post(password, ip):
        data = {"password": password, "return_url": document.url}
        return client.post(url, data, REMOTE_ADDR=ip)

    assert_locked_out(guess(post, LIMIT))
    assert_locked_out(post(RIGHT, ATTACKER))
    assert post(RIGHT, ELSEWHERE).status_code == 302


# --- the client's address behind reverse proxies -----------------------------------

CHAINS = ["", "192.0.2.1", "198.51.100.66, 192.0.2.1", "198.51.100.66, 192.0.2.1, 10.0.0.2"]


def client_addresses(trusted_proxy_count):
    """The client's address axes finds for each X-Forwarded-For chain, from a peer at
    10.0.0.3, with the settings that TRUSTED_PROXY_COUNT=``trusted_proxy_count`` gives."""

    def request(chain):
        headers = {"HTTP_X_FORWARDED_FOR": chain} if chain else {}
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.3", **headers)

    with override_settings(**client_address_settings(trusted_proxy_count)):
        return {chain: get_client_ip_address(request(chain)) for chain in CHAINS}


def test_client_address_is_remote_addr_unless_proxies_are_trusted():
    # X-Forwarded-For is written by anyone: without TRUSTED_PROXY_COUNT it is ignored.
    assert set(client_addresses(None).values()) == {"10.0.0.3"}


def test_client_address_with_trusted_proxies():
    one = client_addresses(1)
    # One proxy: the address it appended, whatever the client wrote before it.
    assert one["192.0.2.1"] == "192.0.2.1"
    assert one["198.51.100.66, 192.0.2.1"] == "192.0.2.1"
    assert one[""] == "10.0.0.3"  # no header: the direct peer
    two = client_addresses(2)
    # Two proxies: the first one's entry, one from the right.
    assert two["198.51.100.66, 192.0.2.1, 10.0.0.2"] == "192.0.2.1"
    assert two["198.51.100.66, 192.0.2.1"] == "198.51.100.66"
