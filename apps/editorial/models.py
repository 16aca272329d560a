from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask

from apps.core.permissions import is_translator


class ModerationTask(AbstractGroupApprovalTask):
    """Group approval (Moderators) that leaves a page in moderation open to translators.

    Wagtail locks a page under review for everyone outside the reviewing groups;
    here translators may still add the other language while it waits, and the
    moderator's approval publishes the page with their work.
    """

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) and not is_translator(user)

    @classmethod
    def get_description(cls):
        return _("Moderators approve; translators may keep translating meanwhile")

    class Meta:
        verbose_name = _("moderation task")
        verbose_name_plural = _("moderation tasks")
