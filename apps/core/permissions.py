"""Who is a translator, and which languages a translator may write.

``settings.TRANSLATOR_GROUPS`` names the groups of translators and, for each, the
languages its members may write: ``"translation"`` (the default, for the group
"Translators") is the language of each page that is not its ``source_language``; a
list of codes (``["ar"]``) is those languages on every page. A member of one of these
groups who is not also an editor, a moderator or a superuser changes nothing else: the
page form disables every other field (:mod:`apps.core.forms`) and the translation view
offers only those languages.
"""

from django.conf import settings

from .translation_fields import LANGUAGES

TRANSLATORS = "Translators"
EDITING_GROUPS = {"Editors", "Moderators"}
# The language of a page that is not its source language.
TRANSLATION = "translation"


def translator_groups():
    return getattr(settings, "TRANSLATOR_GROUPS", {TRANSLATORS: TRANSLATION})


def _groups(user):
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


def is_translator(user):
    return bool(_groups(user) & set(translator_groups()))


def is_translator_only(user):
    """A translator who is not also an editor, a moderator or a superuser."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = _groups(user)
    return bool(names & set(translator_groups())) and not names & EDITING_GROUPS


def translation_languages(user, page=None):
    """The language codes ``user`` may write on ``page``; None when not limited.

    For a translator with ``"translation"``: the languages other than the page's source
    language (with no page, or a page without one, every language)."""
    if not is_translator_only(user):
        return None
    config = translator_groups()
    source = getattr(page, "source_language", None)
    allowed = set()
    for name in _groups(user) & set(config):
        languages = config[name]
        if languages == TRANSLATION:
            allowed |= {code for code in LANGUAGES if code != source}
        else:
            allowed |= {code for code in languages if code in LANGUAGES}
    return allowed
