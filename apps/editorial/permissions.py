TRANSLATORS = "Translators"
EDITING_GROUPS = {"Editors", "Moderators"}


def is_translator_only(user):
    """A translator who is not also an editor, a moderator or a superuser."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = set(user.groups.values_list("name", flat=True))
    return TRANSLATORS in names and not names & EDITING_GROUPS
