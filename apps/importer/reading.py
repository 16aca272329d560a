"""Reading an archive: files → parsed documents, batch after batch, parsed in two
other processes ahead of the batch being written.

Parsing is plain Python over text (:mod:`apps.importer.parsers`: no Django settings, no
database), and a :class:`~apps.importer.records.ParsedDocument` is plain frozen data,
so files can be parsed in other processes and their documents sent back. The files
of an archive are handed, a chunk of :data:`CHUNK` at a time, to two parsing processes,
which keep one batch ahead of the importing process: while the loader writes batch *n*
(in the importing process, where the database connection and the run's transaction
are), batch *n + 1* is parsed on the machine's other core, and the first batch is
parsed by both. Nothing else changes: the batches come back in order, each file's
document in the order of the paths; a file that cannot be read or parsed comes back as
its :class:`ParseError` (file and line), for the command to stop on or skip exactly as
if it had parsed it itself; at most two batches are held at once, so memory stays flat.
Should the parsing processes fail to run, the importing process parses the files
itself.

The parsing processes are started with ``spawn`` (fresh interpreters, which import the
parsers and the importing program's main module without running it): a forked copy of
the importing process would share its open database connection. A few files (one
chunk or less) are parsed in the importing process, as starting the others would cost
more than it saves.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from .parsers import ParseError, parse_document
from .records import ParsedDocument


def read_file(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ParseError(str(path), None, f"cannot be read: {exc.strerror}") from exc


def parse_files(paths) -> list[ParsedDocument | ParseError]:
    """Each file's parsed document, or the :class:`ParseError` saying why it has none, in
    the order of ``paths``."""
    parsed = []
    for path in paths:
        try:
            parsed.append(parse_document(read_file(path), name=str(path)))
        except ParseError as exc:
            parsed.append(exc)
    return parsed


# Files a parsing process is given at a time, and how many such processes there are.
CHUNK = 250
PARSERS = 2


@contextmanager
def parsed_batches(batches):
    """An iterator over the parsed documents of each batch of paths in ``batches`` (a
    list of lists), in order, each batch parsed while the caller works on the one before.
    Leaving the block (at the end, or on an error) cancels what was handed out and not
    begun, and waits for the chunks being parsed (a second or so)."""
    if sum(len(batch) for batch in batches) <= CHUNK:
        yield (parse_files(batch) for batch in batches)
        return
    pool = ProcessPoolExecutor(PARSERS, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield _ahead(pool, batches)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ahead(pool, batches):
    """Batch after batch; as each chunk of a batch is collected, a chunk of the next is
    handed to ``pool``, so that the next batch is parsed while this one is written, and
    no more than two batches are parsed or held at once."""
    chunks = (
        (number, batch[start : start + CHUNK])
        for number, batch in enumerate(batches)
        for start in range(0, len(batch), CHUNK)
    )
    window = max(1, -(-max(len(batch) for batch in batches) // CHUNK))
    pending = deque()

    def hand_out():
        while len(pending) < window:
            chunk = next(chunks, None)
            if chunk is None:
                return
            number, paths = chunk
            try:
                future = pool.submit(parse_files, paths)
            except BrokenProcessPool:
                future = None
            pending.append((number, paths, future))

    for number in range(len(batches)):
        hand_out()
        parsed = []
        while pending and pending[0][0] == number:
            _number, paths, future = pending.popleft()
            parsed += _parsed(future, paths)
            hand_out()
        yield parsed


def _parsed(future, paths):
    """The chunk's documents from its parsing process; parsed here when the parsing
    processes could not run (``spawn`` starts the importing program again in a fresh
    interpreter, which a program read from standard input cannot be)."""
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            pass
    return parse_files(paths)
