"""Text hygiene shared by the importer, the admin forms, the templates and the feeds.

Plain functions over ``str``; no database.
"""

import html
import re

from django.utils.html import strip_tags

# Bidirectional embeddings, overrides and isolates: LRE RLE PDF LRO RLO (U+202A–U+202E)
# and LRI RLI FSI PDI (U+2066–U+2069). In a one-line name they only serve to make the
# text read differently from what it is ("Trojan Source"), and an unclosed one reorders
# whatever follows it on the page. The marks U+200E/U+200F (LRM/RLM) and the Arabic
# letter mark U+061C are ordinary punctuation for mixed Arabic and Latin text: kept.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_WITHOUT_BIDI_CONTROLS = str.maketrans("", "", BIDI_CONTROLS)


def strip_bidi_controls(text):
    """``text`` without bidi embedding, override and isolate controls; None stays None."""
    if not isinstance(text, str):
        return text
    return text.translate(_WITHOUT_BIDI_CONTROLS)


def normalise_space(text):
    """Runs of any whitespace as one space, trimmed."""
    return " ".join(str(text or "").split())


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(value):
    """Stored HTML (a rich-text field) as plain text: tags removed, entities decoded once,
    whitespace collapsed.

    ``<p>a &lt;b&gt; &amp; <b>c</b></p>`` becomes ``a <b> & c``: the characters a reader
    sees. The result is text, not HTML: whoever puts it in a page or a feed escapes it,
    exactly once.
    """
    source = _BLOCK_END.sub(lambda m: m.group() + " ", str(value or ""))
    return normalise_space(html.unescape(strip_tags(source)))
