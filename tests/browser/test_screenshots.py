"""Full-page screenshots of each page type in both languages.

``make screenshots`` runs this with ``SCREENSHOTS_DIR=docs/screenshots``; in the
suite the pictures go to a temporary folder and are checked for being real images
of the right page.
"""

import os
from pathlib import Path

import pytest
from PIL import Image

from .conftest import page_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_screenshots_of_every_page_type(live_site, page, tmp_path):
    target = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, language, path in page_urls():
        page.goto(live_site + path)
        # Lazy images below the fold are loaded before the picture is taken.
        page.evaluate(
            "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading='eager')"
        )
        page.wait_for_load_state("networkidle")
        file = target / f"{kind}-{language}.png"
        page.screenshot(path=str(file), full_page=True)
        written.append(file)
    assert len(written) == 16
    for file in written:
        with Image.open(file) as image:
            assert image.format == "PNG"
            assert image.width == 1280 and image.height >= 600, file.name
