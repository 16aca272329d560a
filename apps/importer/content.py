"""The structured fixture format: one YAML file per page, snippet or image.

See ``fixtures/README.md`` for the format. :func:`read_content` turns a folder
of such files into :class:`ContentRecord` objects (no database access); a record's
``type`` is the label of a model with a content key (``news.NewsStoryPage``).
:func:`write_content` writes records back.
"""

from __future__ import annotations

import datetime
import heapq
import re
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


# libyaml's parser and emitter where PyYAML was built with them (its wheels are): a
# story's file parsed in a tenth of the time of the pure-Python parser, which was half
# of loading an exported archive.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_SafeLoader):
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
    return list(_read_folder(path))


def _read_folder(path):
    """The records of ``path``'s ``*.yaml`` files one at a time, in a stable order:
    ContentError for a missing or empty folder, a bad file or a key used twice."""
    path = Path(path)
    if not path.is_dir():
        raise ContentError(path, "no such folder")
    seen = {}
    for file in sorted(path.rglob("*.yaml")):
        record = read_file(file, path)
        if record.key in seen:
            raise ContentError(
                record.origin, f"key {record.key!r} is also used by {seen[record.key]}"
            )
        seen[record.key] = record.origin
        yield record
    if not seen:
        raise ContentError(path, "no content files (*.yaml) found")


# A string that may be another record's key (``news/some-story``, ``home``), as a
# field's value or as a ``page:KEY`` link target in markup.
_KEY_LIKE = re.compile(r"[a-z0-9][a-z0-9/_\-]*")
_PAGE_LINK = re.compile(r"\(\s*page:([a-z0-9][a-z0-9/_\-]*)\s*\)")


def _named(value, found):
    """Add to ``found`` every string in ``value`` (a field's value: text, a list, a
    mapping) that may name another record: more than the loader will resolve (a text
    that happens to look like a key), never less, which is all a run's order needs."""
    if isinstance(value, str):
        if _KEY_LIKE.fullmatch(value):
            found.add(value)
        elif "page:" in value:
            found.update(_PAGE_LINK.findall(value))
    elif isinstance(value, dict):
        for item in value.values():
            _named(item, found)
    elif isinstance(value, list):
        for item in value:
            _named(item, found)


def placing_order(records, stored):
    """``records`` in the order the loader writes them: images and people first, then
    pages parents-first, each group in the given order. ``stored(key)`` says whether a
    parent outside ``records`` exists; a page without one, or a home page with one, is
    an error, and so are parents that form a cycle."""
    in_run = {record.key for record in records}
    order = [record for record in records if not record.is_page]
    pages = [record for record in records if record.is_page]
    placed = set()
    while pages:
        waiting = []
        for record in pages:
            parent = record.parent
            if record.is_root:
                if parent:
                    raise ContentError(record.origin, "the home page has no parent")
            elif not parent:
                raise ContentError(record.origin, "'parent' is missing: give the parent's key")
            elif parent not in placed:
                if parent in in_run:
                    waiting.append(record)
                    continue
                if not stored(parent):
                    raise ContentError(record.origin, f"parent {parent!r} does not exist")
            order.append(record)
            placed.add(record.key)
        if len(waiting) == len(pages):
            raise ContentError(pages[0].origin, "the parents form a cycle")
        pages = waiting
    return order


class ContentFolder:
    """A folder of content files, read for a run in batches (``load_content``): memory
    follows the size of a batch, not of the folder.

    Every file is read once at the start, for its key, type and parent and the keys it
    names, and checked (valid YAML, known type, unique key, a parent for every page)
    before the database is opened; only those are kept. :meth:`batches` then reads the
    files again, a batch at a time, in the loader's order (:func:`placing_order`),
    except that a record comes after, or in the same batch as, every record it names:
    its parent, the people it quotes, the pages it links to. Records naming one another
    (two stories related to each other) always share a batch. In one batch, the run is
    the one a single :meth:`Loader.load` of the whole folder makes.
    """

    def __init__(self, path):
        self.path = Path(path)
        outlines, named, canonical = [], {}, {}
        for record in _read_folder(self.path):
            found = set()
            _named([record.parent, record.fields], found)
            found.discard(record.key)
            # The same keys are named by many records: each string kept once.
            named[record.key] = tuple(canonical.setdefault(key, key) for key in found)
            # The record without its fields.
            outlines.append(
                ContentRecord(record.key, record.type, parent=record.parent, origin=record.origin)
            )
        # Parents outside the folder are looked for by the loader, in the database.
        self.outlines = placing_order(outlines, stored=lambda key: True)
        position = {outline.key: i for i, outline in enumerate(self.outlines)}
        # What each record names, as positions in that order.
        self.needs = [
            sorted(position[key] for key in named[outline.key] if key in position)
            for outline in self.outlines
        ]

    def __len__(self):
        return len(self.outlines)

    def batches(self, size):
        """Lists of about ``size`` records (more where records naming one another must
        stay together), in an order the loader can write one after the other."""
        batch = []
        for group in self._groups():
            batch += group
            if len(batch) >= size:
                yield self._read(batch)
                batch = []
        if batch:
            yield self._read(batch)

    def _read(self, positions):
        return [
            read_file(self.path / self.outlines[i].origin, self.path) for i in sorted(positions)
        ]

    def _groups(self):
        """The records in groups that name one another, each group after every group it
        names; of the groups ready, the one with the earliest record in the loader's
        order first, so that a record waits for what it names rather than pulling it
        forward (a topic page naming Charter articles is written after them, the other
        sections keep their places)."""
        groups = list(self._components())
        group_of = {}
        for number, group in enumerate(groups):
            for member in group:
                group_of[member] = number
        waiting_for = [0] * len(groups)
        named_by = [[] for _ in groups]
        for number, group in enumerate(groups):
            named = {group_of[other] for member in group for other in self.needs[member]}
            named.discard(number)
            waiting_for[number] = len(named)
            for other in named:
                named_by[other].append(number)
        ready = [
            (min(group), number) for number, group in enumerate(groups) if not waiting_for[number]
        ]
        heapq.heapify(ready)
        while ready:
            _first, number = heapq.heappop(ready)
            yield groups[number]
            for other in named_by[number]:
                waiting_for[other] -= 1
                if not waiting_for[other]:
                    heapq.heappush(ready, (min(groups[other]), other))

    def _components(self):
        """The records in groups that name one another (the strongly connected
        components of "names"), each after the groups it names: Tarjan's algorithm,
        without recursion (a chain of stories each naming the one before is as deep as
        the archive)."""
        needs = self.needs
        order, low, on_stack, stack, counter = {}, {}, set(), [], 0
        for root in range(len(needs)):
            if root in order:
                continue
            work = [(root, 0)]
            while work:
                node, next_edge = work.pop()
                if next_edge == 0:
                    order[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack.add(node)
                edges = needs[node]
                while next_edge < len(edges):
                    other = edges[next_edge]
                    next_edge += 1
                    if other not in order:
                        work.append((node, next_edge))
                        work.append((other, 0))
                        break
                    if other in on_stack:
                        low[node] = min(low[node], order[other])
                else:
                    if low[node] == order[node]:
                        group = []
                        while True:
                            member = stack.pop()
                            on_stack.discard(member)
                            group.append(member)
                            if member == node:
                                break
                        yield group
                    if work:
                        parent = work[-1][0]
                        low[parent] = min(low[parent], low[node])


class _Dumper(_SafeDumper):
    pass


def _str_representer(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(
    datetime.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v.isoformat())
)


def record_path(record: ContentRecord, folders: set[str]) -> Path:
    """``news/story`` → ``news/story.yaml``; a key that others live under (one of
    ``folders``, :func:`key_folders`) → ``key/index.yaml``."""
    if record.key in folders:
        return Path(record.key) / "index.yaml"
    return Path(record.key + ".yaml")


def key_folders(keys) -> set[str]:
    """The keys' folders: ``news`` and ``news/2024`` for ``news/2024/story``."""
    folders = set()
    for key in keys:
        parts = key.split("/")
        folders.update("/".join(parts[:n]) for n in range(1, len(parts)))
    return folders


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
    folders = key_folders(r.key for r in records)
    return [write_record(record, path, folders) for record in records]


def write_record(record: ContentRecord, path: Path, folders: set[str]) -> Path:
    """Write ``record`` under the folder ``path``; ``folders`` as :func:`record_path`."""
    target = Path(path) / record_path(record, folders)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_record(record), encoding="utf-8")
    return target
