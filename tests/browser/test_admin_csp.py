"""The admin works under its enforced Content-Security-Policy: in Chromium, with the
policy applied (no ``bypass_csp``), an editor signs in, opens a news story with rich
text, a StreamField and the News Tracker inline panel, adds to each, opens the
preview panel and saves, and the browser reports no violation of the enforced policy.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import translation

import pytest
from factories import NewsStoryFactory

from apps.news.models import NewsStoryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push({
    disposition: event.disposition,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    document: event.documentURI,
  });
}, true);
"""


@pytest.fixture
def story(live_server, news_section):
    story = NewsStoryFactory(
        parent=news_section,
        title_en="Envoys meet",
        title_ar="لقاء المبعوثين",
        slug_en="envoys-meet",
        slug_ar="liqa",
        date=datetime.date(2011, 11, 9),
        lead_en="<p>The envoys met.</p>",
        lead_ar="<p>التقى المبعوثون.</p>",
    )
    get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-editor")
    return story


def violations(page):
    """Violations seen in the page and its frames (the preview panel) so far."""
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__violations || []")
        except Exception:  # noqa: S112 - a frame that navigated away meanwhile
            continue
    return found


def test_admin_editor_works_under_the_enforced_policy(browser, live_server, story):
    # No bypass_csp: the policy is applied as in production.
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    seen = []
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "pw-editor")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        seen += violations(page)

        response = page.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")
        assert "'unsafe-inline'" in response.headers["content-security-policy"]
        assert "script-src-attr 'none'" in response.headers["content-security-policy"]

        # Rich text: Draftail is drawn by the admin's scripts.
        lead = page.locator("[data-contentpath=lead_en] .public-DraftEditor-content")
        lead.click()
        page.keyboard.press("End")
        page.keyboard.type(" They agreed to talk again.")

        # The News Tracker inline panel adds a child form (an inline script sets it up).
        children = page.locator("#id_related_stories-FORMS > [data-inline-panel-child]")
        before = children.count()
        page.click("#id_related_stories-ADD")
        children.nth(before).wait_for()
        assert children.count() == before + 1
        page.locator("#id_related_stories-FORMS").locator(
            f"[name=related_stories-{before}-title_en]"
        ).fill("Earlier talks")

        # StreamField: insert a paragraph block into the English body.
        body = page.locator("[data-contentpath=body_en]")
        body.locator("button.c-sf-add-button").first.click()
        page.get_by_role("option", name="Paragraph").first.click()
        body.locator("[data-contentpath]").filter(
            has=page.locator(".public-DraftEditor-content")
        ).first.locator(".public-DraftEditor-content").click()
        page.keyboard.type("A paragraph written under the policy.")

        title = page.locator("[name=title_en]")
        title.fill("Envoys meet again")

        # The preview panel frames the site itself (SAMEORIGIN and frame-ancestors 'self').
        page.click("[data-side-panel-toggle=preview]")
        preview = page.frame_locator("#w-preview-iframe")
        preview.locator("h1").filter(has_text="Envoys meet again").wait_for()
        seen += violations(page)

        # Wagtail's editor autosaves half a second after the last change: on a busy
        # machine that request may still be on its way; saving waits for it, as a
        # person reading the preview would.
        page.wait_for_load_state("networkidle")
        with page.expect_navigation():
            page.click("footer button:has-text('Save draft')")
        assert page.locator(".messages .success").count() == 1, page.locator(
            ".messages"
        ).all_inner_texts()
        seen += violations(page)
    finally:
        context.close()

    enforced = [v for v in seen if v["disposition"] == "enforce"]
    assert enforced == []
    assert errors == []

    revision = NewsStoryPage.objects.get(pk=story.pk).latest_revision.as_object()
    assert revision.title_en == "Envoys meet again"
    assert "They agreed to talk again." in revision.lead_en
    assert [child.title_en for child in revision.related_stories.all()] == ["Earlier talks"]
    assert [block.block_type for block in revision.body_en] == ["paragraph"]
    assert "A paragraph written under the policy." in str(revision.body_en[0].value)
    with translation.override("en"):
        assert revision.get_url() is not None
