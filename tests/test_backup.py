"""Backup and restore: one archive of the database and the media, restored elsewhere.

The PostgreSQL tests commit a small site (``transaction=True``), back it up with the
``backup`` command, and restore it in a subprocess into a database created for the
test on the same server, with a media root of its own, exactly as an operator would.
The SQLite round trip runs the same module on two throwaway database files.
"""

import hashlib
import html
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import ConnectionHandler
from django.test import Client
from django.utils import translation

from wagtail.models import Page

import psycopg
import pytest
from PIL import Image as PillowImage

from apps.core import backups
from apps.core.models import CustomImage, Rendition
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.search.models import SearchDocument

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "ar")

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore need PostgreSQL (DATABASE_URL=postgres://…); CI runs it",
)


def png_bytes(colour=(0, 94, 184)):
    out = io.BytesIO()
    PillowImage.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


# What must survive a round trip: run here on the source and, in a subprocess, on the
# restored database (``python -c "… from tests.test_backup import restored_state"``).


def snapshot():
    pages = [
        [
            page.path,
            page.content_type.app_labeled_name,
            page.title_en,
            page.title_ar,
            page.slug_en,
            page.slug_ar,
            page.url_path_en,
            page.url_path_ar,
            page.live,
        ]
        for page in Page.objects.filter(depth__gt=1).order_by("path")
    ]
    images = []
    for image in CustomImage.objects.order_by("pk"):
        with image.file.open("rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()
        images.append([image.title_en, image.title_ar, image.credit_en, image.file.name, digest])
    return {"pages": pages, "images": images}


def restored_state():
    """The snapshot, plus every live page and a search in both languages as served."""
    state = snapshot()
    client, responses = Client(), {}
    for page in Page.objects.live().filter(depth__gt=1).specific():
        for language in LANGUAGES:
            with translation.override(language):
                url, title = page.get_url(), page.title
            response = client.get(url)
            body = response.content.decode()
            responses[url] = [response.status_code, html.escape(title) in body]
    state["responses"] = responses
    state["search"] = {
        language: client.get(f"/{language}/search/", {"q": query}).content.decode()
        for language, query in (("en", "ceasefire"), ("ar", "هدنه"))
    }
    state["renditions"] = Rendition.objects.count()
    return state


@pytest.fixture
def site(initial_rows, home_page, settings, tmp_path):
    """A home page, a news section with a live story (with an image) and a draft."""
    settings.MEDIA_ROOT = tmp_path / "media"
    image = CustomImage(
        title_en="Envoys at the table",
        title_ar="المبعوثون حول الطاولة",
        credit_en="UN Photo/Mark Garten",
        credit_ar="صورة الأمم المتحدة/مارك غارتن",
    )
    image.file = ImageFile(io.BytesIO(png_bytes()), name="envoys.png")
    image._set_image_file_metadata()
    image.save()
    news = NewsIndexPage(title_en="News", title_ar="الأخبار", slug_en="news", slug_ar="أخبار")
    home_page.add_child(instance=news)
    story = NewsStoryPage(
        title_en="Ceasefire talks resume",
        title_ar="استئناف محادثات الهدنة",
        slug_en="ceasefire-talks-resume",
        slug_ar="استئناف-محادثات-الهدنة",
        date="2026-01-05",
        lead_en="<p>Envoys met to discuss a ceasefire.</p>",
        lead_ar="<p>اجتمع المبعوثون لمناقشة هدنة.</p>",
        body=[("image", {"image": image, "caption": ""})],
    )
    news.add_child(instance=story)
    story.save_revision().publish()
    draft = NewsStoryPage(
        title_en="Draft briefing", title_ar="إحاطة غير منشورة", slug_en="draft-briefing",
        date="2026-01-06", live=False,
    )  # fmt: skip
    news.add_child(instance=draft)
    image.get_rendition("width-32")  # a rendition file, which backups leave out
    return SimpleNamespace(image=image, story=story, draft=draft, media=settings.MEDIA_ROOT)


def make_backup(directory):
    call_command("backup", "--dir", str(directory), stdout=StringIO())
    (archive,) = Path(directory).glob("mediation-*.tar")
    return archive


def members(archive):
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        return manifest, tar.getnames()


def database_url(name):
    settings_dict = connection.settings_dict
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"


def server_connection():
    settings_dict = connection.settings_dict
    parameters = {
        "dbname": "postgres",
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }
    return psycopg.connect(**{k: v for k, v in parameters.items() if v}, autocommit=True)


@pytest.fixture(scope="session")
def in_the_background():
    """Runs work beside the tests that follow; the session waits for it at its end, and
    fails there if the work failed."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        work = []
        yield lambda *call: work.append(executor.submit(*call))
        for done in work:
            done.result()


def drop_database(name):
    with server_connection() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database(in_the_background):
    """A new, empty database on the test server, dropped afterwards: beside the next
    tests, since PostgreSQL's DROP DATABASE waits for a checkpoint (seconds on a server
    that the tests keep busy; 3.4 s on an idle one)."""
    name = f"restore_test_{uuid.uuid4().hex[:12]}"
    with server_connection() as server:
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    in_the_background(drop_database, name)


def run_manage(*arguments, database, media_root):
    """Run a command as an operator would: its own process, its own DATABASE_URL."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DEBUG_TOOLBAR", "PYTEST_CURRENT_TEST"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="mediation_site.settings.dev",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url(database),
        MEDIA_ROOT=str(media_root),
    )
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_round_trip_into_an_empty_postgresql_database(site, empty_database, tmp_path):
    SearchDocument.objects.all().delete()  # the restore rebuilds them
    before = snapshot()
    assert len(before["pages"]) == 4 and before["pages"][-1][-1] is False  # the draft
    assert list(site.media.glob("images/*")), "the fixture made no rendition file"

    archive = make_backup(tmp_path / "backups")
    manifest, names = members(archive)
    assert manifest["engine"] == "postgresql"
    assert manifest["counts"] == {"pages": 4, "images": 1, "documents": 0}
    assert f"media/{site.image.file.name}" in names
    assert not [name for name in names if name.startswith("media/images/")]
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    media = tmp_path / "restored-media"
    restore = run_manage(
        "manage.py", "restore", str(archive), database=empty_database, media_root=media
    )
    assert restore.returncode == 0, restore.stderr
    assert "Restore complete: 4 pages, 1 images, 0 documents." in restore.stdout

    original = (site.media / site.image.file.name).read_bytes()
    assert (media / site.image.file.name).read_bytes() == original

    check = run_manage(
        "-c",
        "import django, json; django.setup(); "
        "from tests.test_backup import restored_state; print(json.dumps(restored_state()))",
        database=empty_database,
        media_root=media,
    )
    assert check.returncode == 0, check.stderr
    after = json.loads(check.stdout.splitlines()[-1])
    assert after["pages"] == before["pages"]
    assert after["images"] == before["images"]
    assert after["images"][0][-1] == hashlib.sha256(original).hexdigest()
    with translation.override("en"):
        story_url = site.story.get_url()
    assert after["responses"], "no live page was served"
    for url, (status, shows_title) in after["responses"].items():
        assert status == 200 and shows_title, url
    assert f'href="{story_url}"' in after["search"]["en"]
    assert "استئناف محادثات الهدنة" in after["search"]["ar"]
    # Renditions were not restored; serving the story made its image's again.
    assert after["renditions"] >= 1 and list(media.glob("images/*"))


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database_and_changes_nothing(site, tmp_path):
    archive = make_backup(tmp_path / "backups")
    site.story.title_en = "Changed after the backup"
    site.story.save_revision().publish()
    before = snapshot()
    media_before = sorted(site.media.rglob("*"))

    with pytest.raises(CommandError, match=r"is not empty: it has \d+ tables .*FORCE=1"):
        call_command("restore", str(archive), stdout=StringIO())
    assert snapshot() == before
    assert sorted(site.media.rglob("*")) == media_before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_restore_with_force_replaces_the_database(site, tmp_path):
    before = snapshot()
    archive = make_backup(tmp_path / "backups")
    site.story.title_en = "Changed after the backup"
    site.story.save_revision().publish()
    site.draft.delete()
    NewsStoryPage.objects.get().get_parent().add_child(
        instance=NewsStoryPage(title_en="Added later", slug_en="added-later", date="2026-02-01")
    )

    call_command("restore", str(archive), "--force", stdout=StringIO())
    assert snapshot() == before
    assert SearchDocument.objects.filter(page=site.story, language="en").exists()


def damaged_copies(archive, tmp_path):
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(data[: len(data) // 2])
    # The same members, sizes and manifest, but one byte of the database dump changed.
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as target:
        for member in source.getmembers():
            content = bytearray(source.extractfile(member).read())
            if member.name == "database.dump":
                content[len(content) // 2] ^= 0xFF
            target.addfile(member, io.BytesIO(bytes(content)))
    return truncated, altered


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_damaged_archives_even_with_force(site, tmp_path):
    archive = make_backup(tmp_path / "backups")
    site.story.title_en = "Changed after the backup"
    site.story.save_revision().publish()
    before = snapshot()
    truncated, altered = damaged_copies(archive, tmp_path)

    with pytest.raises(CommandError, match="truncated"):
        call_command("restore", str(truncated), "--force", stdout=StringIO())
    with pytest.raises(CommandError, match="checksum mismatch for database.dump"):
        call_command("restore", str(altered), "--force", stdout=StringIO())
    with pytest.raises(CommandError, match="There is no backup at"):
        call_command("restore", str(tmp_path / "missing.tar"), stdout=StringIO())
    assert snapshot() == before
    # --check verifies a good archive and changes nothing either.
    out = StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert "every checksum matches" in out.getvalue()
    assert snapshot() == before


def test_postgresql_password_travels_in_the_environment(monkeypatch, tmp_path):
    calls = []

    def run(arguments, env, **kwargs):
        calls.append((arguments, env))
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(backups.subprocess, "run", run)
    database = SimpleNamespace(
        vendor="postgresql",
        settings_dict={
            "NAME": "mediation",
            "USER": "site",
            "PASSWORD": "s3cret-pass",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        },
    )
    backups.dump_database(database, tmp_path / "database.dump")
    ((arguments, env),) = calls
    assert arguments[:4] == ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    assert "--exclude-table-data=core_rendition" in arguments
    assert not [
        argument for argument in arguments if "s3cret" in argument or "db.internal" in argument
    ]
    assert env["PGPASSWORD"] == "s3cret-pass" and env["PGSSLMODE"] == "require"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "site",
        "mediation",
    )


# SQLite -----------------------------------------------------------------------------


def sqlite_database(path):
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}})[
        "default"
    ]


def rows(database, sql):
    with database.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_sqlite_round_trip(tmp_path, settings, django_db_blocker):
    """The embedded database is copied with SQLite's online backup API and restored whole."""
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "documents").mkdir()
    (media / "images").mkdir()
    (media / "original_images" / "envoys.png").write_bytes(png_bytes())
    (media / "documents" / "report.pdf").write_bytes(b"%PDF-1.7 report")
    (media / "images" / "envoys.width-32.png").write_bytes(b"rendition")
    settings.MEDIA_ROOT = media
    counts = {"pages": 1, "images": 1, "documents": 1}

    with django_db_blocker.unblock():
        source = sqlite_database(tmp_path / "site.sqlite3")
        with source.cursor() as cursor:
            cursor.execute("CREATE TABLE page (title_en TEXT, title_ar TEXT, live BOOL)")
            cursor.execute("INSERT INTO page VALUES ('Good offices', 'المساعي الحميدة', 1)")
            cursor.execute("CREATE TABLE core_rendition (id INTEGER, file TEXT)")
            cursor.execute("INSERT INTO core_rendition VALUES (1, 'images/envoys.width-32.png')")
        archive, manifest = backups.create_backup(source, tmp_path / "backups", counts)
        assert manifest["engine"] == "sqlite" and manifest["counts"] == counts
        assert sorted(manifest["files"]) == [
            "database.sqlite3",
            "media/documents/report.pdf",
            "media/original_images/envoys.png",
        ]

        target = sqlite_database(tmp_path / "restored.sqlite3")
        settings.MEDIA_ROOT = tmp_path / "restored-media"
        with backups.unpacked(archive) as backup:
            backups.load_database(target, backup)
            assert backups.restore_media(backup) == 2
        assert rows(target, "SELECT * FROM page") == [("Good offices", "المساعي الحميدة", 1)]
        assert rows(target, "SELECT * FROM core_rendition") == []  # renditions left out
        for name in ("original_images/envoys.png", "documents/report.pdf"):
            assert (tmp_path / "restored-media" / name).read_bytes() == (media / name).read_bytes()
        assert not (tmp_path / "restored-media" / "images").exists()

        # A database that has tables is refused, unless forced; forced, it is replaced.
        with source.cursor() as cursor:
            cursor.execute("UPDATE page SET title_en = 'Changed'")
        with backups.unpacked(archive) as backup:
            with pytest.raises(backups.BackupError, match="is not empty: it has 2 tables"):
                backups.load_database(source, backup)
            assert rows(source, "SELECT title_en FROM page") == [("Changed",)]
            backups.load_database(source, backup, force=True)
        assert rows(source, "SELECT title_en FROM page") == [("Good offices",)]
        source.close()
        target.close()


def test_media_on_object_storage_are_left_to_the_bucket(tmp_path, settings, django_db_blocker):
    settings.AWS_STORAGE_BUCKET_NAME = "mediation-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    (tmp_path / "media" / "original_images" / "stray.png").write_bytes(b"not backed up")
    settings.MEDIA_ROOT = tmp_path / "media"
    note = backups.media_storage_note()
    assert "'mediation-media'" in note and "versioning" in note
    with django_db_blocker.unblock():
        database = sqlite_database(tmp_path / "site.sqlite3")
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE page (title TEXT)")
        archive, manifest = backups.create_backup(database, tmp_path, {"pages": 0})
        database.close()
    assert list(manifest["files"]) == ["database.sqlite3"] and manifest["media"] == note
    with backups.unpacked(archive) as backup:
        assert backups.restore_media(backup) is None
