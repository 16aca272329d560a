"""The translators' workbench in a real browser: a translator switches the admin to
Arabic, an editor changes one paragraph of the English seed story, the translator sees
that paragraph's diff beside the Arabic in the translation view, updates it and submits,
a moderator previews the Arabic page and approves it, and the public Arabic page shows
the new paragraph."""

import re
import time

from django.utils import translation

from wagtail.users.models import UserProfile

import pytest
from playwright.sync_api import expect

from apps.news.models import NewsStoryPage

from .conftest import sign_in, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDED_EN = " Progress must continue."
ADDED_AR = " ويجب أن يستمر التقدم."


def paste(locator, text):
    """Arabic is not on the keyboard Playwright emulates: paste it, as from a document."""
    locator.evaluate(
        """(element, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            element.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        text,
    )


def test_translation_of_a_changed_paragraph(live_site, browser):
    user("eve", "Editors")
    user("tariq", "Translators")
    user("maya", "Moderators")
    story = NewsStoryPage.objects.get()
    paragraph = story.body_en[0]
    assert paragraph.block_type == "paragraph"

    # The translator switches the admin to Arabic on the account page.
    translator = sign_in(browser, live_site, "tariq")
    translator.goto(live_site + "/admin/account/")
    translator.select_option("[name='locale-preferred_language']", "ar")
    with translator.expect_navigation():
        translator.click("footer button[type=submit]")
    assert translator.locator("html").get_attribute("dir") == "rtl"
    assert translator.locator("html").get_attribute("lang") == "ar"

    # The editor adds a sentence to the first English paragraph and saves a draft.
    editor = sign_in(browser, live_site, "eve")
    editor.goto(f"{live_site}/admin/pages/{story.pk}/edit/")
    box = editor.locator("#body_en-root [contenteditable=true]").first
    box.click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type(ADDED_EN)
    expect(editor.locator("[name='body_en-0-value']")).to_have_value(re.compile("Progress must"))
    with editor.expect_navigation():
        editor.click("footer button.action-save")
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert ADDED_EN.strip() in draft.body_en[0].value.source
    # The editor moves on (an open editor keeps autosaving its own form).
    editor.context.close()

    # The dashboard lists the story, with that one block.
    translator.goto(live_site + "/admin/translations/")
    row = translator.locator(f"tr[data-page='{story.pk}'][data-language='ar']")
    expect(row.locator("td.changed li")).to_have_count(1)
    assert row.locator("td.changed li").get_attribute("data-block") == paragraph.id

    # The translation view: that paragraph's diff beside its Arabic, right to left.
    with translator.expect_navigation():
        row.locator("a.translate-link").click()
    expect(translator.locator("tr[data-changed]")).to_have_count(1)
    unit = translator.locator(f"tr.translation-unit[data-block='{paragraph.id}']")
    assert unit.get_attribute("data-changed") == "source"
    assert "Progress must continue" in unit.locator(".translation-diff ins").inner_text()
    target = unit.locator("td.translation-target")
    assert target.get_attribute("dir") == "rtl"
    arabic_box = target.locator("[contenteditable=true]").first
    arabic_box.click()
    translator.keyboard.press("Control+End")
    paste(arabic_box, ADDED_AR)
    expect(target.locator("input[name$='-value']")).to_have_value(re.compile("يستمر التقدم"))
    with translator.expect_navigation():
        translator.click("button[name=action-submit]")
    # Submitted: the dashboard no longer lists the story.
    assert translator.url == live_site + "/admin/translations/"
    expect(translator.locator(f"tr[data-page='{story.pk}']")).to_have_count(0)
    assert NewsStoryPage.objects.get(pk=story.pk).current_workflow_state.status == "in_progress"

    # The moderator, from the dashboard's "Awaiting your review", previews the Arabic
    # page, right to left, and approves it.
    moderator = sign_in(browser, live_site, "maya")
    review = moderator.locator(
        "tr", has=moderator.locator(f"a[href*='/workflow/preview/{story.pk}/']")
    )
    expect(review).to_have_count(1)
    preview_url = review.locator("a[href*='/workflow/preview/']").get_attribute("href")
    preview = moderator.context.new_page()
    preview.goto(f"{live_site}{preview_url}?mode=ar")
    assert preview.locator("html").get_attribute("dir") == "rtl"
    assert ADDED_AR.strip() in preview.locator("main").inner_text()
    preview.close()
    review.locator(".w-dropdown__toggle, [data-w-dropdown-target='toggle']").first.click()
    review.locator("button[data-workflow-action-url*='approve']:not([data-launch-modal])").click()
    deadline = time.monotonic() + 10
    while NewsStoryPage.objects.get(pk=story.pk).has_unpublished_changes:
        assert time.monotonic() < deadline, "the approval did not publish the page"
        moderator.wait_for_timeout(200)
    published = NewsStoryPage.objects.get(pk=story.pk)

    # The public Arabic page shows the new paragraph.
    with translation.override("ar"):
        arabic_url = published.get_url()
    reader = browser.new_page()
    assert reader.goto(live_site + arabic_url).status == 200
    assert reader.locator("html").get_attribute("dir") == "rtl"
    assert ADDED_AR.strip() in reader.locator("main").inner_text()
    reader.close()


@pytest.mark.parametrize("admin_language", ["en", "ar"])
def test_inline_rows_and_titles_take_the_direction_of_their_language(
    live_site, browser, admin_language
):
    account = user("eve", "Editors")
    profile = UserProfile.get_for_user(account)
    profile.preferred_language = admin_language
    profile.save()
    story = NewsStoryPage.objects.get()
    editor = sign_in(browser, live_site, "eve")
    editor.goto(f"{live_site}/admin/pages/{story.pk}/edit/")
    assert editor.locator("html").get_attribute("lang") == admin_language
    # The News Tracker's rows: each column in its language, the address left to right.
    for name, direction in (
        ("related_stories-0-title_en", "ltr"),
        ("related_stories-0-title_ar", "rtl"),
        ("related_stories-0-url", "ltr"),
        ("title_ar", "rtl"),
        ("title_en", "ltr"),
    ):
        assert editor.locator(f"[name='{name}']").get_attribute("dir") == direction, name
    # The header's title (the last breadcrumb) reads in its own direction.
    crumb = editor.locator("[data-controller~='w-breadcrumbs'] li").last
    assert crumb.get_attribute("dir") == "auto"
    # …and is the title in the admin's language.
    assert crumb.inner_text().strip() == getattr(story, f"title_{admin_language}")
