from django.conf import settings
from django.db import models
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


class TranslationRecord(models.Model):
    """The source text a translation was made from, for one unit of a page.

    A unit is a translated field, a block of a translated StreamField or a translated
    column of an inline row (see :mod:`apps.editorial.units`), known by its field and
    the id of the source's block or row (``block_id``, empty for a whole field). The
    record is written when a revision changes the unit's translation, and when a
    translator marks it as still correct; when the source's text differs from
    ``source_text`` afterwards, the translation needs an update. Content itself is only
    ever stored in the page and its revisions.
    """

    TRANSLATED = "translated"
    CONFIRMED = "confirmed"

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="translation_records",
        verbose_name=_("page"),
    )
    language = models.CharField(_("translation language"), max_length=8)
    field = models.CharField(_("field"), max_length=100)
    block_id = models.CharField(_("block"), max_length=64, blank=True)
    translation_block_id = models.CharField(_("translation block"), max_length=64, blank=True)
    source_text = models.TextField(_("source text translated"))
    how = models.CharField(
        _("recorded by"),
        max_length=10,
        choices=[(TRANSLATED, _("translation saved")), (CONFIRMED, _("marked as still correct"))],
        default=TRANSLATED,
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("translation record")
        verbose_name_plural = _("translation records")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language", "field", "block_id"],
                name="editorial_one_record_per_unit",
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.field} {self.block_id} [{self.language}]"
