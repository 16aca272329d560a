"""Backups of the site: its database and its uploaded media in one archive.

``manage.py backup`` and ``manage.py restore`` (``make backup``, ``make restore``) are
thin commands over this module. A backup is one uncompressed tar file (the PostgreSQL
dump is compressed already, and so are images), named by the UTC time it was made:

    manifest.json      when, from which engine, counts of pages/images/documents,
                       and the size and SHA-256 of every other member
    database.dump      ``pg_dump --format=custom --no-owner --no-privileges`` (PostgreSQL)
    database.sqlite3   a copy made with SQLite's online backup API (the embedded default)
    media/…            MEDIA_ROOT: original images, documents, anything else uploaded

Image renditions are left out, files and rows alike: Wagtail makes them again from the
originals the first time a page asks for one. Media on S3 are not copied at all: the
bucket's own versioning is their backup.

A restore reads the whole archive and checks every member against the manifest before
it changes anything; the manifest is written last, so a truncated archive has none.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db.backends.postgresql.client import DatabaseClient

import wagtail
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media"
# Wagtail writes renditions under "images/" (AbstractRendition.get_upload_to) and
# originals under "original_images/".
RENDITIONS_FOLDER = "images"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something a person has to fix; the message says what."""


@dataclass
class Unpacked:
    """A verified backup, unpacked into a temporary directory."""

    path: Path
    root: Path
    manifest: dict

    @property
    def database_file(self):
        return self.root / self.manifest["database"]

    @property
    def media_names(self):
        prefix = f"{MEDIA_PREFIX}/"
        return sorted(
            name[len(prefix) :] for name in self.manifest["files"] if name.startswith(prefix)
        )


# What is backed up --------------------------------------------------------------------


def site_counts(using="default"):
    return {
        "pages": Page.objects.using(using).filter(depth__gt=1).count(),
        "images": get_image_model().objects.using(using).count(),
        "documents": get_document_model().objects.using(using).count(),
    }


def media_storage_note():
    """Why media are not in the backup, or None when MEDIA_ROOT is backed up."""
    if isinstance(storages["default"], FileSystemStorage):
        return None
    bucket = getattr(settings, "AWS_STORAGE_BUCKET_NAME", None)
    where = f"the S3 bucket {bucket!r}" if bucket else "object storage"
    return (
        f"Media are on {where}, so this backup holds the database only: back up the "
        "bucket with the storage's own versioning (and replication), and keep it as long "
        "as the database backups."
    )


def media_files(media_root):
    """(archive name, path) of every uploaded file in MEDIA_ROOT, renditions excepted."""
    media_root = Path(media_root)
    if not media_root.is_dir():
        return []
    found = []
    for path in sorted(media_root.rglob("*")):
        relative = path.relative_to(media_root)
        if relative.parts[0] == RENDITIONS_FOLDER or not path.is_file() or path.is_symlink():
            continue
        found.append((f"{MEDIA_PREFIX}/{relative.as_posix()}", path))
    return found


def rendition_tables():
    """Tables whose rows point at rendition files: their data is not backed up."""
    rendition_model = get_image_model().get_rendition_model()
    return [rendition_model._meta.db_table]


# PostgreSQL and SQLite ----------------------------------------------------------------


def postgres_environment(settings_dict):
    """libpq's environment for pg_dump and pg_restore, built from a Django database's
    settings (DATABASE_URL): the password travels in PGPASSWORD, never on a command
    line where ``ps`` would show it."""
    _args, extra = DatabaseClient.settings_to_cmd_args_env({"OPTIONS": {}, **settings_dict}, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def run_postgres_tool(arguments, settings_dict):
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
            arguments,
            env=postgres_environment(settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise BackupError(
            f"{arguments[0]} was not found on the PATH: install the PostgreSQL client "
            "(apt-get install postgresql-client), the server's major version or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def dump_database(connection, path):
    """Write the database behind ``connection`` to ``path``, renditions' rows left out."""
    if connection.vendor == "postgresql":
        run_postgres_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *[f"--exclude-table-data={table}" for table in rendition_tables()],
                f"--file={path}",
            ],
            connection.settings_dict,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)  # SQLite's online backup API
            existing = {
                name
                for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for table in rendition_tables():
                if table in existing:
                    copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a model's table name
            copy.commit()
            copy.execute("VACUUM")
        finally:
            copy.close()
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def check_database_file(engine, path):
    """Refuse a database file that its own tool cannot read."""
    if engine == "postgresql":
        try:
            run_postgres_tool(["pg_restore", "--list", str(path)], {})
        except BackupError as exc:
            raise BackupError(f"The PostgreSQL dump in the backup is unreadable: {exc}") from None
    else:
        try:
            copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            finally:
                copy.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"The SQLite database in the backup is unreadable: {exc}") from None
        if result != "ok":
            raise BackupError(f"The SQLite database in the backup is damaged: {result}")


def database_label(connection):
    name = connection.settings_dict.get("NAME")
    return f"{connection.vendor} database {str(name)!r}"


def existing_tables(connection):
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor, include_views=True))


def load_database(connection, backup, force=False):
    """Restore the backup's database into ``connection``'s database.

    Everything is checked first: the engine, that the target is empty (unless
    ``force``), that the dump is readable. pg_restore runs in a single transaction and
    SQLite's backup API replaces the file in one step, so a failure changes nothing.
    """
    engine = backup.manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"The backup holds a {engine} database but DATABASE_URL names a "
            f"{connection.vendor} database: restore it into {engine}, or move the content "
            "across with export_content and load_content."
        )
    tables = existing_tables(connection)
    if tables and not force:
        shown = ", ".join(tables[:3]) + (", …" if len(tables) > 3 else "")
        raise BackupError(
            f"The {database_label(connection)} is not empty: it has {len(tables)} tables "
            f"({shown}). Restore into an empty database (create one and point DATABASE_URL "
            "at it), or give FORCE=1 (--force) to replace what the backup holds."
        )
    check_database_file(engine, backup.database_file)
    if engine == "postgresql":
        arguments = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
        ]
        if force:
            arguments += ["--clean", "--if-exists"]
        connection.close()  # hold no connection while pg_restore drops and creates
        run_postgres_tool([*arguments, str(backup.database_file)], connection.settings_dict)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{backup.database_file}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()


# The archive ---------------------------------------------------------------------------


class HashingReader:
    """A file object that hashes what is read from it (tarfile reads each member once)."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def backup_name(now=None):
    now = now or datetime.now(UTC)
    return f"mediation-{now:%Y%m%dT%H%M%SZ}.tar"


def create_backup(connection, directory, counts, media_root=None, now=None):
    """Write a backup archive into ``directory``; return its path and manifest.

    ``counts`` (pages, images, documents: see ``site_counts``) go into the manifest, and
    a restore compares the restored site with them.

    The archive is written as ``<name>.partial`` (readable by its owner only) and
    renamed when complete, so a failed run never leaves something that looks whole.
    """
    now = now or datetime.now(UTC)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / backup_name(now)
    if final.exists():
        raise BackupError(f"{final} already exists: wait a second and run the backup again.")
    partial = final.with_name(final.name + ".partial")
    note = media_storage_note()
    media = [] if note else media_files(media_root or settings.MEDIA_ROOT)
    manifest = {
        "format": FORMAT,
        "created": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "engine": connection.vendor,
        "database": DATABASE_MEMBERS.get(connection.vendor, "database"),
        "counts": counts,
        "media": note or "MEDIA_ROOT without image renditions (Wagtail makes them again)",
        "versions": {"django": django.get_version(), "wagtail": wagtail.__version__},
        "files": {},
    }
    try:
        with tempfile.TemporaryDirectory(prefix="mediation-backup-") as tmp:
            dump = Path(tmp) / manifest["database"]
            dump_database(connection, dump)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
                for name, path in [(manifest["database"], dump), *media]:
                    manifest["files"][name] = add_file(tar, name, path)
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
        partial.rename(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return final, manifest


def add_file(tar, name, path):
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as file:
        reader = HashingReader(file)
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def safe_member_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup names a file outside its own folders: {name!r}.")
    return path


@contextmanager
def unpacked(path):
    """Verify a backup archive and unpack it into a temporary directory.

    Every member the manifest lists is read in full and its size and SHA-256 compared:
    a missing, truncated or altered file is refused before anything is restored.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(
            f"There is no backup at {path}: give the path of a .tar file written by "
            "`make backup` (BACKUP=var/backups/mediation-….tar)."
        )
    with tempfile.TemporaryDirectory(prefix="mediation-restore-") as tmp:
        root = Path(tmp)
        try:
            with tarfile.open(path, mode="r:") as tar:
                manifest = read_manifest(tar, path)
                for name, expected in manifest["files"].items():
                    extract_checked(tar, name, expected, root, path)
        except (tarfile.TarError, EOFError) as exc:
            raise BackupError(
                f"{path} is not a complete backup archive (truncated or corrupt: {exc}). "
                "Use another backup."
            ) from None
        yield Unpacked(path=path, root=root, manifest=manifest)


def read_manifest(tar, path):
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(
            f"{path} has no {MANIFEST}: the archive is truncated, or was not written by "
            "`make backup`. Use another backup."
        ) from None
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, AttributeError) as exc:
        raise BackupError(f"{path}: its {MANIFEST} is unreadable ({exc}).") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{path}: its {MANIFEST} is not a backup manifest.")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path} is in backup format {manifest.get('format')!r}; this release reads "
            f"format {FORMAT}."
        )
    if manifest.get("engine") not in DATABASE_MEMBERS or manifest.get("database") not in (
        manifest.get("files") or {}
    ):
        raise BackupError(f"{path}: its {MANIFEST} names no database dump.")
    return manifest


def extract_checked(tar, name, expected, root, path):
    relative = safe_member_name(name)
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(
            f"{path} lacks {name}, which its manifest lists: the archive is incomplete."
        ) from None
    source = tar.extractfile(member)
    if source is None:
        raise BackupError(f"{path}: {name} is not a regular file.")
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise BackupError(
            f"{path}: checksum mismatch for {name} (the manifest records "
            f"{expected.get('size')} bytes, sha256 {str(expected.get('sha256'))[:12]}…; "
            f"the archive holds {size} bytes, sha256 {digest.hexdigest()[:12]}…). The backup "
            "is damaged: use another one."
        )


def restore_media(backup, media_root=None):
    """Copy the backup's media into MEDIA_ROOT (files of the same name are replaced,
    others left alone); return how many, or None when media live on object storage."""
    if media_storage_note():
        return None
    media_root = Path(media_root or settings.MEDIA_ROOT)
    for name in backup.media_names:
        target = media_root / safe_member_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(backup.root / MEDIA_PREFIX / name, target)
    return len(backup.media_names)
