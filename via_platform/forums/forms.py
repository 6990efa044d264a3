"""Forms of the forum pages: topics, replies, edits, flags, watching and the filters.

Forms only check what a person typed; the rules (who may post, rate limits, lengths)
live in services.py and permissions.py, whose errors the views put back on these forms
so nothing typed is lost. Images are checked like library documents (size, extension
and sniffed content); the content type stored is the sniffed one, never the browser's.
"""

from __future__ import annotations

import os

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image

from via_platform.forums import services
from via_platform.forums.models import FlagReason, WatchLevel

IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
MAX_IMAGE_SIZE = 5 * 1024 * 1024
# Read from the header, before any decoding: a small file can claim 30000 × 30000
# pixels, which a reader's browser would try to decode (a decompression bomb).
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGES = 3
TAG_SUGGESTIONS = ("knelpunt", "vraag", "ervaring", "werkbezoek")
HEAD_BYTES = 2048


def check_image(upload) -> None:
    """Extension, size and sniffed content of one image; each refusal names the file.
    On success the upload's content_type is the sniffed type (services.add_images
    stores it, and the image view serves it)."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in IMAGE_TYPES:
        raise ValidationError(
            gettext(
                "“%(name)s” is not an image we accept. Choose a file ending in: %(extensions)s."
            )
            % {"name": name, "extensions": ", ".join(f".{e}" for e in IMAGE_TYPES)},
            code="extension",
        )
    if upload.size > MAX_IMAGE_SIZE:
        raise ValidationError(
            gettext("“%(name)s” is too large (%(size)s). The limit is %(limit)s per image.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_IMAGE_SIZE),
            },
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(gettext("“%(name)s” is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    sniffed = filetype.guess(head) if head else None
    if sniffed is None or sniffed.mime != IMAGE_TYPES[extension]:
        raise ValidationError(
            gettext(
                "“%(name)s” is not really a .%(extension)s image: its content does not match "
                "its name. Save it again in that format, or choose another file."
            )
            % {"name": name, "extension": extension},
            code="content",
        )
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        width = height = MAX_IMAGE_PIXELS  # too big for Pillow to even open
    finally:
        upload.seek(0)
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            gettext("“%(name)s” has too many pixels. The limit is %(limit)s million pixels.")
            % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    upload.content_type = sniffed.mime


def parse_tags(text: str) -> list[str]:
    return services.clean_tags(part for part in (text or "").split(",") if part.strip())


MARKDOWN_HELP = _(
    "You can format your message with Markdown (see “How to format your message” below) "
    "and mention a member with @ and their handle."
)


class PostForm(forms.Form):
    """The text of a post, up to MAX_IMAGES images with their descriptions, and the
    post it answers. Subclasses add a title and tags."""

    body = forms.CharField(
        label=_("Message"),
        help_text=MARKDOWN_HELP,
        max_length=services.MAX_BODY_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write a message.")},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    image_slots = MAX_IMAGES

    def __init__(self, *args, with_images: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_images = with_images
        if with_images:
            for n in range(1, self.image_slots + 1):
                self.fields[f"image_{n}"] = forms.FileField(
                    label=_("Image %(n)s") % {"n": n},
                    required=False,
                    allow_empty_file=True,  # check_image names the empty file
                    help_text=_("A JPEG, PNG, GIF or WebP image of at most %(limit)s.")
                    % {"limit": filesizeformat(MAX_IMAGE_SIZE)},
                    widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp"}),
                )
                self.fields[f"alt_{n}"] = forms.CharField(
                    label=_("Description of image %(n)s") % {"n": n},
                    required=False,
                    max_length=300,
                    help_text=_(
                        "What the image shows, for people who cannot see it. Required "
                        "with an image."
                    ),
                )

    def image_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        if not self.with_images:
            return []
        return [(self[f"image_{n}"], self[f"alt_{n}"]) for n in range(1, self.image_slots + 1)]

    def has_image_errors(self) -> bool:
        return any(
            self.errors.get(f"image_{n}") or self.errors.get(f"alt_{n}")
            for n in range(1, self.image_slots + 1)
        )

    def clean(self):
        cleaned = super().clean()
        if not self.with_images:
            return cleaned
        images = []
        for n in range(1, self.image_slots + 1):
            upload = cleaned.get(f"image_{n}")
            alt = (cleaned.get(f"alt_{n}") or "").strip()
            if upload:
                try:
                    check_image(upload)
                except ValidationError as exc:
                    self.add_error(f"image_{n}", exc)
                    continue
                if not alt:
                    self.add_error(f"alt_{n}", gettext("Describe what the image shows."))
                    continue
                images.append((upload, alt))
            elif alt:
                # A browser forgets chosen files when a page comes back (a preview, an
                # error): ask again instead of dropping the image without a word.
                self.add_error(
                    f"image_{n}",
                    gettext(
                        "Choose the image again (your browser does not keep it when the "
                        "page comes back), or clear its description."
                    ),
                )
        cleaned["images"] = images
        return cleaned

    def chose_images(self) -> bool:
        """Did the person fill in an image slot (so must choose files again)?"""
        return bool(
            self.with_images
            and self.is_bound
            and any(
                self.files.get(f"image_{n}") or (self.data.get(f"alt_{n}") or "").strip()
                for n in range(1, self.image_slots + 1)
            )
        )


class TopicForm(PostForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=services.MAX_TITLE_LENGTH,
        error_messages={"required": _("Give your topic a title.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separate tags with commas, at most five. For example: %(examples)s.")
        % {"examples": ", ".join(TAG_SUGGESTIONS)},
    )
    is_question = forms.BooleanField(
        label=_("This is a question"),
        required=False,
        help_text=_("You, or a moderator, can then mark the reply that answers it."),
    )

    reply_to = None  # a topic answers nothing

    field_order = ["title", "body", "tags", "is_question"]

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))


class EditForm(forms.Form):
    """An edit: the text, and for the first post of a forum topic its title and tags."""

    title = forms.CharField(
        label=_("Title"),
        max_length=services.MAX_TITLE_LENGTH,
        error_messages={"required": _("Give your topic a title.")},
    )
    body = PostForm.base_fields["body"]
    tags = TopicForm.base_fields["tags"]

    def __init__(self, *args, with_title: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
            del self.fields["tags"]

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags", ""))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this message?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation for the moderators"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Notifications"), choices=WatchLevel.choices)


class OpenQuestionsCheckbox(forms.CheckboxInput):
    """Sends ?vragen=open when ticked."""

    def format_value(self, value):
        return "open"


class ForumFilterForm(forms.Form):
    """Search and filters of a forum, in the query string (works without JavaScript)."""

    q = forms.CharField(label=_("Search in this forum"), required=False, max_length=200)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    vragen = forms.BooleanField(
        label=_("Only open questions"), required=False, widget=OpenQuestionsCheckbox
    )

    def __init__(self, *args, tags: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        chosen = (self.data.get("tag") or "").strip().lower() if self.is_bound else ""
        names = sorted({*tags, *([chosen] if chosen else [])})
        self.fields["tag"].choices = [("", _("All tags")), *((n, n) for n in names)]

    def clean_tag(self) -> str:
        return (self.cleaned_data.get("tag") or "").strip().lower()
