"""A progress bar for long commands: drawn on a terminal, silent otherwise.

``Progress(total, "Reading", stream=self.stderr)`` draws one line, redrawn in
place (``\\r``) when the shown figure changes, and ends it with a new line on
``close()``. When the stream is not a terminal (``isatty()`` false: a pipe, a
file, a test's ``StringIO``) it writes nothing at all, so logs and captured
output stay clean.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from django.core.management.base import OutputWrapper

WIDTH = 30


class Progress:
    def __init__(
        self, total: int | None, label: str = "", stream=None, width: int = WIDTH, show=True
    ):
        self.stream = sys.stderr if stream is None else stream
        self.total, self.label, self.width = total, label, width
        self.done = 0
        self.shown: tuple | None = None
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(show and isatty and isatty())

    def __enter__(self):
        self.draw()
        return self

    def __exit__(self, *exc):
        self.close()

    def __call__(self, count: int = 1) -> None:
        self.advance(count)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.draw()

    def line(self) -> str:
        label = f"{self.label} " if self.label else ""
        if not self.total:
            return f"{label}{self.done}"
        share = min(self.done, self.total) / self.total
        filled = int(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        return f"{label}[{bar}] {self.done}/{self.total} {int(share * 100):3d}%"

    def draw(self) -> None:
        if not self.enabled:
            return
        figure = (
            self.done * 100 // self.total if self.total else self.done,
            self.done >= (self.total or 0),
        )
        if figure == self.shown:
            return
        self.shown = figure
        self._write("\r" + self.line())

    def finish(self) -> None:
        """All done (records the loader left unchanged are not counted one by one)."""
        if self.total:
            self.done = max(self.done, self.total)
        self.draw()
        self.close()

    def close(self) -> None:
        if self.enabled and self.shown is not None:
            self.shown = None
            self._write("\r" + self.line() + "\n")
            self.enabled = False

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()


class RecordCounter:
    """The ``stdout`` to give the loader: the loader writes one line per record it creates
    or updates, and each line advances ``progress``; ``out``, when given, still receives
    the lines (``--verbosity 2``)."""

    def __init__(self, progress: Progress, out=None):
        self.progress, self.out = progress, out

    def write(self, text, *args, **kwargs):
        self.progress.advance()
        if self.out is not None:
            self.out.write(text, *args, **kwargs)


@contextmanager
def loading(total: int, command, verbosity: int):
    """The ``stdout`` to give the loader in a command's run of ``total`` records: a
    "Loading" bar on the command's stderr when it is a terminal, or, with ``--verbosity 2``,
    the loader's line per record on the command's stdout instead."""
    verbose = verbosity > 1
    with Progress(total, "Loading", command.stderr, show=not verbose) as progress:
        yield RecordCounter(progress, command.stdout if verbose else None)
        progress.finish()
