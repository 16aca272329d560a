"""StreamField blocks shared by news stories and topic pages.

Each block renders through its own template under
``templates/components/streamfield/blocks/`` and has a preview value for the
admin's block previews.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from apps.core.rules.attribution import adds_to_quote, names_speaker
from apps.core.translation_fields import LANGUAGES
from apps.core.visibility import is_public, restricted_paths

BLOCK_TEMPLATES = "components/streamfield/blocks"
RICH_TEXT_FEATURES = ["bold", "italic", "link"]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = f"{BLOCK_TEMPLATES}/paragraph_block.html"
        preview_value = (
            "<p>The United Nations must enhance its capacity to provide mediation support.</p>"
        )
        description = _("A paragraph of text with links.")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = f"{BLOCK_TEMPLATES}/heading_block.html"
        preview_value = "Good offices and mediation"
        form_classname = "title"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    speaker = SnippetChooserBlock("people.Person", required=False, label=_("Speaker"))
    attribution = blocks.CharBlock(
        required=False,
        label=_("Attribution"),
        help_text=_("The rest of the sentence, e.g. “he told the General Assembly”."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context.update(quote_caption(value))
        return context

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = f"{BLOCK_TEMPLATES}/quote_block.html"
        preview_value = {
            "text": "Today we are able to offer more consistent and professional support.",
            "attribution": "he told the General Assembly.",
        }


def quote_caption(value):
    """What a quote's caption shows: the speaker once, the attribution only when it adds
    something (:mod:`apps.core.rules.attribution`).

    ``{"show_speaker": bool, "attribution": str}``: an attribution that names the
    speaker ("said General Assembly President Nassir Abdulaziz Al-Nasser, who organized
    the meeting") stands alone, without the speaker's name and role before it; a bare
    "he said." or «قال ذلك.» is left out.
    """
    attribution = (value.get("attribution") or "").strip()
    speaker = value.get("speaker")
    names = [getattr(speaker, f"name_{code}", "") for code in LANGUAGES] if speaker else []
    if attribution and not adds_to_quote(attribution):
        attribution = ""
    named = bool(attribution) and names_speaker(attribution, names)
    return {"show_speaker": bool(speaker) and not named, "attribution": attribution}


class ImageBlock(blocks.StructBlock):
    """A photograph with its caption and credit.

    The source of a page may give a credit line without the photograph (the Arabic seed
    does): the block then keeps the credit line as data, with no image, and renders
    nothing until an editor attaches the real photograph. The site never shows a picture
    in place of one it does not have.
    """

    image = ImageChooserBlock(
        required=False,
        label=_("Image"),
        help_text=_("Nothing is shown until the photograph is attached here."),
    )
    caption = blocks.CharBlock(
        required=False,
        label=_("Caption"),
        help_text=_("Leave empty to use the image's own caption."),
    )
    credit = blocks.CharBlock(
        required=False,
        label=_("Credit line"),
        help_text=_(
            "The credit as the source gives it, kept while the photograph is missing; "
            "the image's own credit wins once one is attached."
        ),
    )

    class Meta:
        icon = "image"
        label = _("Image with credit")
        template = f"{BLOCK_TEMPLATES}/image_block.html"


class CharterQuotationBlock(blocks.StructBlock):
    provision = blocks.PageChooserBlock(
        page_type="charter.CharterProvisionPage", label=_("Charter provision")
    )
    intro = blocks.TextBlock(
        required=False,
        label=_("Introduction"),
        help_text=_("The words leading to the quotation, e.g. “Article 99 provides that”."),
    )
    text = blocks.TextBlock(
        label=_("Quotation"),
        help_text=_(
            "The words quoted, exactly as the source gives them; mark an error of the "
            "source with [sic] (in Arabic «[كذا]») right after it and explain it in the note."
        ),
    )
    note = blocks.TextBlock(
        required=False,
        label=_("Note"),
        help_text=_("An editor's note shown under the quotation, e.g. what the Charter reads."),
    )

    # The quotation always shows; the link to the provision only while the public may
    # see that page (not a draft, not private), on the site and in the API.

    def public_provision(self, value, context):
        provision = value.get("provision")
        request = (context or {}).get("request")
        return provision if is_public(provision, restricted_paths(request)) else None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["provision"] = self.public_provision(value, parent_context)
        return context

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context=context)
        if self.public_provision(value, context) is None:
            representation["provision"] = None
        return representation

    class Meta:
        icon = "doc-full"
        label = _("Charter quotation")
        template = f"{BLOCK_TEMPLATES}/charter_quotation_block.html"
        preview_value = {
            "intro": "Article 99 of the Charter provides that the Secretary-General may",
            "text": "bring to the attention of the Security Council any matter which in his "
            "opinion may threaten the maintenance of international peace and security",
        }


class NewsBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()


class TopicBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = ImageBlock()
    charter_quotation = CharterQuotationBlock()
