"""The link grammar and where a link may point.

A link is written ``[text](target)``. The text holds no square brackets and is not
blank; the target may hold one level of balanced parentheses
(``[x](https://en.wikipedia.org/wiki/Foo_(bar))``). ``\\[`` is a literal bracket that
never opens a link, and square brackets that do not form a link (``[sic]``, ``[](x)``,
``[ ](x)``) are text.

A link may point only plainly to ``http(s)://host…`` or to a path on this site ``/…``.
Nothing is decoded first: ``java&#115;cript:`` or ``%6Aavascript:`` is simply not
http(s). ``//host`` (protocol-relative) and ``/\\host`` (which browsers read as
``//host``) are refused too.

Plain functions over ``str``; the parsers, the markup converter and the model
validators all use them.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINK = re.compile(r"(?<!\\)\[(?P<text>[^\[\]]*)\]\((?P<target>(?:[^()]|\([^()]*\))*)\)")
ESCAPED_BRACKET = "\\["

_HTTP = re.compile(r"https?://[^\s/?#\\<>\"'`]+(?:[/?#][^\s\\<>\"`]*)?", re.IGNORECASE)
_SITE = re.compile(r"/(?![/\\])[^\s\\<>\"`]*")


def escape_text(text):
    """Plain text as markup: an opening bracket is written ``\\[`` so it is never a link."""
    return text.replace("[", ESCAPED_BRACKET)


def unescape(text):
    """Markup text as plain text: ``\\[`` is the bracket itself."""
    return text.replace(ESCAPED_BRACKET, "[")


def split_links(text):
    """``(text, target)`` pieces of ``text`` in order.

    Plain text comes with ``target`` None and its escapes undone; a link comes with its
    text and its target as written (neither stripped nor checked: see :func:`safe_target`).
    """
    position = 0
    for match in LINK.finditer(text):
        if not match.group("text").strip():
            continue  # "[](…)" and "[ ](…)" are not links: left as text
        if plain := unescape(text[position : match.start()]):
            yield plain, None
        yield match.group("text"), match.group("target")
        position = match.end()
    if plain := unescape(text[position:]):
        yield plain, None


def link_texts(text):
    """``text`` with every link replaced by its text, escapes undone."""
    return "".join(piece for piece, _target in split_links(text or ""))


def safe_target(target):
    """``target`` stripped when it is plainly ``http(s)://host…`` or a site path ``/…``;
    else None (also for an empty or ``#`` target)."""
    target = (target or "").strip()
    if not target or target == "#":
        return None
    if _HTTP.fullmatch(target) or _SITE.fullmatch(target):
        return target
    return None


def is_safe_target(target):
    return safe_target(target) is not None


def validate_link_target(value):
    """Only web addresses and paths on this site may be links: never ``javascript:``."""
    if value and not is_safe_target(value):
        raise ValidationError(
            _("Enter a web address (https://…) or a path on this site (/…)."), code="invalid"
        )
