"""StreamField blocks shared by every page type of every domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote.html"


class LinkTargetBlock(blocks.StructBlock):
    """A link to a page on the platform or to an external address."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an external address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": [_("Choose either a page or an address.")]}
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)
    link = LinkTargetBlock(label=_("Link"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"), required=False, help_text=_("Leave empty to use the document title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "cms/blocks/document.html"


class EmbedWithTranscriptBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    embed = EmbedBlock(label=_("Video or audio address"))
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("Required for accessibility: what is said and shown."),
    )

    class Meta:
        icon = "media"
        label = _("Video with transcript")
        template = "cms/blocks/embed.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="cms/blocks/rich_text.html"
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentBlock()
    embed = EmbedWithTranscriptBlock()
