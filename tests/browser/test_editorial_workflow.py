"""An editor writes a story in English, a translator adds the Arabic, a moderator approves:
the Arabic page is then public at its Arabic URL, right to left. All through the admin UI."""

from urllib.parse import unquote

from django.utils import translation

import pytest

from apps.news.models import NewsIndexPage, NewsStoryPage

from .conftest import sign_in, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE_EN = "Mediation support grows in the region"
TITLE_AR = "دعم الوساطة يتزايد في المنطقة"
BODY_AR = "قال الأمين العام إن الوساطة أداة لا غنى عنها."


def footer_action(page, selector):
    """Open the editor's "More actions" menu and press one of its buttons."""
    page.click("footer .w-dropdown__toggle")
    with page.expect_navigation():
        page.click(f"footer {selector}")


def test_editor_translator_moderator(live_site, browser):
    user("eve", "Editors")
    user("tariq", "Translators")
    user("maya", "Moderators")
    news = NewsIndexPage.objects.get()

    # The editor writes the story in English and submits it for moderation.
    editor = sign_in(browser, live_site, "eve")
    editor.goto(f"{live_site}/admin/pages/add/news/newsstorypage/{news.pk}/")
    editor.fill("[name=title_en]", TITLE_EN)
    editor.fill("[name=date]", "2026-11-20")
    editor.keyboard.press("Escape")
    editor.get_by_role("tab", name="Promote").click()
    editor.fill("[name=slug_en]", "mediation-support-grows")
    footer_action(editor, "button[name=action-submit]")
    story = NewsStoryPage.objects.get(slug_en="mediation-support-grows")
    assert not story.live
    assert story.current_workflow_state.status == "in_progress"

    # The translator adds the Arabic title, slug and body; Arabic inputs are right-to-left.
    translator = sign_in(browser, live_site, "tariq")
    translator.goto(f"{live_site}/admin/pages/{story.pk}/edit/")
    assert translator.locator("[name=title_ar]").get_attribute("dir") == "rtl"
    translator.fill("[name=title_ar]", TITLE_AR)
    translator.click("#body_ar-root .c-sf-add-button")
    translator.locator("[role=option]", has_text="Paragraph").first.click()
    editor_box = translator.locator("#body_ar-root [contenteditable=true]").first
    editor_box.click()
    # Arabic is not on the keyboard Playwright emulates, so the text is pasted, as a
    # translator working from a document would.
    editor_box.evaluate(
        """(element, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            element.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }));
        }""",
        BODY_AR,
    )
    # Draftail writes the editor's state into the form a moment later.
    translator.wait_for_function(
        "text => document.querySelector('[name=\"body_ar-0-value\"]').value.includes(text)",
        arg=BODY_AR,
    )
    assert translator.locator("#body_ar-root .Draftail-Editor").first.get_attribute("dir") == "rtl"
    translator.get_by_role("tab", name="Promote").click()
    translator.fill("[name=slug_ar]", "دعم-الوساطة")
    with translator.expect_navigation():
        translator.click("footer button.action-save")
    draft = NewsStoryPage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert draft.title_ar == TITLE_AR
    assert BODY_AR in draft.body_ar[0].value.source
    assert not NewsStoryPage.objects.get(pk=story.pk).live  # translators cannot publish

    # The moderator approves: the page is published with the translation.
    moderator = sign_in(browser, live_site, "maya")
    moderator.goto(f"{live_site}/admin/pages/{story.pk}/edit/")
    moderator.click("footer .w-dropdown__toggle")
    moderator.locator("footer button", has_text="Approve").first.click()
    dialog = moderator.locator("[role=dialog]:visible")
    if dialog.count():  # Wagtail may ask for an optional comment first
        with moderator.expect_navigation():
            dialog.locator("button[type=submit]").first.click()
    else:
        moderator.wait_for_load_state()
    published = NewsStoryPage.objects.get(pk=story.pk)
    assert published.live and published.title_ar == TITLE_AR

    # Anyone can now read it in Arabic, right to left, at its Arabic address.
    with translation.override("ar"):
        arabic_url = published.get_url()
    assert unquote(arabic_url) == "/ar/أخبار/دعم-الوساطة/"
    reader = browser.new_page()
    response = reader.goto(live_site + arabic_url)
    assert response.status == 200
    assert reader.locator("html").get_attribute("dir") == "rtl"
    assert reader.locator("h1").inner_text() == TITLE_AR
    assert BODY_AR in reader.locator("main").inner_text()
    reader.close()
