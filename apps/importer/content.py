"""The structured fixture format: one YAML file per page, snippet or image.

See ``fixtures/README.md`` for the format. :func:`read_content` turns a folder
of such files into :class:`ContentRecord` objects (no database access); a record's
``type`` is the label of a model with a content key (``news.NewsStoryPage``).
:func:`write_content` writes records back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wagtail.models import Page

import yaml

from apps.core.models import ContentKeyMixin

RESERVED = ("key", "type", "parent", "source_language", "source_document")


class ContentError(Exception):
    """Bad content, with where it was found: ``origin`` is a file name, ``line`` optional."""

    def __init__(self, origin, message, line=None):
        self.origin, self.message, self.line = origin, message, line
        where = f"{origin}, line {line}" if line else str(origin)
        super().__init__(f"{where}: {message}")

    @classmethod
    def invalid(cls, origin, exc):
        """The messages of a ``ValidationError``, field by field."""
        if hasattr(exc, "message_dict"):
            message = "; ".join(
                f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()
            )
        else:
            message = " ".join(exc.messages)
        return cls(origin, message)


def describe_error(folder, exc: ContentError) -> str:
    """``folder/file.yaml, line 3: problem`` for a person to act on."""
    origin = (
        Path(folder) / exc.origin
        if exc.origin and not Path(exc.origin).is_absolute()
        else exc.origin
    )
    return f"{origin}, line {exc.line}: {exc.message}" if exc.line else f"{origin}: {exc.message}"


@dataclass
class ContentRecord:
    """One page, snippet or image to be written by the loader."""

    key: str
    type: str
    fields: dict[str, Any] = field(default_factory=dict)
    # Fields written only when the object is created (e.g. a title an importer had
    # to make up): an editor's later changes to them are never overwritten.
    initial: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None
    source_language: str | None = None
    source_document: str | None = None
    origin: str = ""
    imported: bool = False  # set when it came from a raw document

    @property
    def model(self):
        return ContentKeyMixin.model_for(self.type)

    @property
    def is_page(self):
        return issubclass(self.model, Page)

    @property
    def is_root(self):
        """A page whose parent is the tree's root (the home page), not another page."""
        return self.is_page and self.model.allowed_parent_page_models() == [Page]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text (dates are parsed by the loader)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_file(path: Path, base: Path) -> ContentRecord:
    origin = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except UnicodeDecodeError as exc:
        raise ContentError(origin, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(
            origin,
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            mark.line + 1 if mark else None,
        ) from exc
    if not isinstance(data, dict):
        raise ContentError(origin, "a content file must be a mapping of field names to values")
    for name in ("key", "type"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ContentError(origin, f"'{name}' is missing")
    types = sorted(model._meta.label for model in ContentKeyMixin.keyed_models())
    if data["type"] not in types:
        raise ContentError(
            origin, f"unknown type {data['type']!r}; expected one of {', '.join(types)}"
        )
    source_language = data.get("source_language")
    if source_language is not None and source_language not in ("en", "ar"):
        raise ContentError(origin, f"source_language must be 'en' or 'ar', not {source_language!r}")
    return ContentRecord(
        key=data["key"].strip(),
        type=data["type"],
        parent=data.get("parent"),
        source_language=source_language,
        source_document=data.get("source_document"),
        fields={k: v for k, v in data.items() if k not in RESERVED},
        origin=origin,
    )


def read_content(path: Path) -> list[ContentRecord]:
    """Every ``*.yaml`` file under ``path``, in a stable order; keys must be unique."""
    path = Path(path)
    if not path.is_dir():
        raise ContentError(path, "no such folder")
    records, seen = [], {}
    for file in sorted(path.rglob("*.yaml")):
        record = read_file(file, path)
        if record.key in seen:
            raise ContentError(
                record.origin, f"key {record.key!r} is also used by {seen[record.key]}"
            )
        seen[record.key] = record.origin
        records.append(record)
    if not records:
        raise ContentError(path, "no content files (*.yaml) found")
    return records


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(
    datetime.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v.isoformat())
)


def record_path(record: ContentRecord, all_keys: set[str]) -> Path:
    """``news/story`` → ``news/story.yaml``; a key that others live under → ``key/index.yaml``."""
    if any(other.startswith(record.key + "/") for other in all_keys):
        return Path(record.key) / "index.yaml"
    return Path(record.key + ".yaml")


def dump_record(record: ContentRecord) -> str:
    data = {"key": record.key, "type": record.type}
    if record.parent:
        data["parent"] = record.parent
    if record.source_language:
        data["source_language"] = record.source_language
    if record.source_document:
        data["source_document"] = record.source_document
    data.update(record.fields)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_content(records: list[ContentRecord], path: Path) -> list[Path]:
    path = Path(path)
    keys = {r.key for r in records}
    written = []
    for record in records:
        target = path / record_path(record, keys)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump_record(record), encoding="utf-8")
        written.append(target)
    return written
