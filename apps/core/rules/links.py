"""Where a link may point: plainly ``http(s)://host…`` or a path on this site ``/…``."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_HTTP = re.compile(r"https?://[^\s/?#\\<>\"'`]+(?:[/?#][^\s\\<>\"`]*)?", re.IGNORECASE)
_SITE = re.compile(r"/(?![/\\])[^\s\\<>\"`]*")


def safe_target(target):
    """``target`` when it is plainly ``http(s)://host…`` or a site path ``/…``; else None.

    Nothing is decoded first: ``java&#115;cript:`` or ``%6Aavascript:`` is simply not
    http(s) and is dropped. ``//host`` (protocol-relative) and ``/\\host`` (which
    browsers read as ``//host``) are dropped too.
    """
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
