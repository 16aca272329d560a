"""A word-level diff of two plain texts, as escaped HTML with ``<del>`` and ``<ins>``.

Words are runs of letters and digits in any script (Arabic included), kept with the
spaces and punctuation between them, so the diff of an edited sentence marks the
words that changed and leaves the rest as it reads.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Change:
    op: str  # "equal", "delete" or "insert"
    text: str


def tokens(text):
    return TOKENS.findall(text or "")


def word_diff(old, new):
    """The changes that turn ``old`` into ``new``, word by word."""
    a, b = tokens(old), tokens(new)
    changes = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            changes.append(Change("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            changes.append(Change("insert", "".join(b[j1:j2])))
    return changes


TAGS = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}


def diff_html(old, new):
    """The diff as HTML; the texts are escaped, never interpreted."""
    return format_html_join(
        "", "{}", ((format_html(TAGS[c.op], c.text),) for c in word_diff(old, new))
    )
