TRANSLATORS = "Translators"
EDITING_GROUPS = {"Editors", "Moderators"}


def _groups(user):
    if not user.is_authenticated:
        return set()
    return set(user.groups.values_list("name", flat=True))


def is_translator(user):
    return TRANSLATORS in _groups(user)


def is_translator_only(user):
    """A translator who is not also an editor, a moderator or a superuser."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = _groups(user)
    return TRANSLATORS in names and not names & EDITING_GROUPS
