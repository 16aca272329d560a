"""The admin in Arabic: the language saved from the account page for any user."""

from wagtail.users.models import UserProfile

import pytest

pytestmark = pytest.mark.django_db


def test_account_without_names_switches_the_admin_to_arabic(client, admin_user):
    admin_user.first_name = admin_user.last_name = ""
    admin_user.save()
    client.force_login(admin_user)
    page = client.get("/admin/account/").content.decode()
    assert 'name="locale-preferred_language"' in page
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": admin_user.email,
            "locale-preferred_language": "ar",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert UserProfile.get_for_user(admin_user).preferred_language == "ar"
    assert '<html lang="ar" dir="rtl"' in client.get("/admin/").content.decode()
