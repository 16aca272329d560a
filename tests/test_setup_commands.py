"""Set-up commands run unattended: ``python manage.py migrate`` asks no question.

The command runs as a person would type it (no ``--noinput``), in a subprocess with no
terminal and nothing to read on its standard input, so a prompt would end it with an
error instead of waiting.
"""

import os
import sqlite3
import subprocess
import sys

from production import ROOT, settings_env_names

TRANSLATED_PAGE_COLUMNS = {
    f"{field}_{language}"
    for field in ("title", "slug", "url_path", "seo_title", "search_description")
    for language in ("en", "ar")
}


def test_plain_migrate_asks_nothing_and_adds_the_translated_page_columns(tmp_path):
    database = tmp_path / "db.sqlite3"
    leaky = settings_env_names() | {"DJANGO_SETTINGS_MODULE"}
    environ = {name: value for name, value in os.environ.items() if name not in leaky}
    environ.update(
        DJANGO_SETTINGS_MODULE="mediation_site.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
    )

    result = subprocess.run(
        # Wagtail's own migrations are enough to reach the step that asked (y/n).
        [sys.executable, "manage.py", "migrate", "wagtailcore"],
        cwd=ROOT,
        env=environ,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "(y/n)" not in result.stdout + result.stderr
    with sqlite3.connect(database) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(wagtailcore_page)")}
        indexed = {
            column
            for (index,) in connection.execute(
                "SELECT name FROM pragma_index_list('wagtailcore_page')"
            )
            for (_seq, _cid, column) in connection.execute(f"PRAGMA index_info('{index}')")
        }
    assert columns >= TRANSLATED_PAGE_COLUMNS
    # Pages are routed by their slug in the reader's language: each has an index.
    assert indexed >= {"slug_en", "slug_ar"}
