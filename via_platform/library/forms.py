"""The front-end form for proposing and editing a practice.

Long texts are plain textareas; review.text_to_rich_text turns them into sanitised
paragraphs. Attachments are checked one by one (review.check_upload) and every refusal
names the file; the typed values stay in the form.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from via_platform.accounts.models import LabourMarketRegion
from via_platform.communities.models import CommunityPage, Theme
from via_platform.library import review
from via_platform.library.models import (
    EVIDENCE_EXPLANATIONS,
    EvidenceLevel,
    PracticeDocument,
    PracticePage,
    TargetGroup,
    members_only_error,
)
from via_platform.organisations.models import Organisation

LINK_LINE = re.compile(r"^(?P<title>.*?)\s*(?P<url>https?://\S+)\s*$", re.I)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)  # review.check_upload names the empty file
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def parse_links(text: str) -> list[tuple[str, str]]:
    """One link per line: an address, or a title followed by the address."""
    links, errors = [], []
    validate = URLValidator(schemes=["http", "https"])
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = LINK_LINE.match(line)
        url = match.group("url").rstrip(".,;)") if match else ""
        try:
            if not url:
                raise ValidationError("no address")
            validate(url)
        except ValidationError:
            errors.append(
                gettext("Line %(number)s has no web address starting with https://: “%(line)s”")
                % {"number": number, "line": line[:100]}
            )
            continue
        title = match.group("title").strip(" \t-–—:|") or _title_from_url(url)
        links.append((title[:250], url[:500]))
    if len(links) > review.MAX_LINKS:
        errors.append(
            gettext("Add at most %(max)s links; you added %(count)s.")
            % {"max": review.MAX_LINKS, "count": len(links)}
        )
    if errors:
        raise ValidationError(errors)
    return links


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


def links_to_text(links) -> str:
    return "\n".join(
        link.url
        if link.title in (link.url, _title_from_url(link.url))
        else f"{link.title} {link.url}"
        for link in links
    )


class PracticeForm(forms.Form):
    """Propose a practice (`practice=None`) or edit one's own submission."""

    # Required fields say so with aria-required (nlds_field); the `required` attribute
    # would make the design system paint every empty field as invalid before anyone typed.
    use_required_attribute = False

    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what and for whom. At most 600 characters."),
    )
    problem = forms.CharField(
        label=_("Problem (knelpunt)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went wrong, or what was missing? Leave a blank line between paragraphs."),
    )
    approach = forms.CharField(
        label=_("Approach"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What did you do, with whom, step by step?"),
    )
    results = forms.CharField(
        label=_("Results"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What changed? Numbers help: how many people found or kept work."),
    )
    evidence_level = forms.ChoiceField(
        label=_("Evidence level"),
        widget=forms.RadioSelect,
        initial=EvidenceLevel.PRACTICE,
    )
    theme = forms.ChoiceField(
        label=_("Werkagenda theme"),
        required=False,
        choices=[("", _("No particular theme")), *Theme.choices],
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        required=False,
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ModelChoiceField(
        label=_("Labour market region"),
        required=False,
        queryset=LabourMarketRegion.objects.all(),
        empty_label=_("No particular region"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("No organisation"),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email address"), required=False)
    duration = forms.CharField(
        label=_("Duration"),
        max_length=200,
        required=False,
        help_text=_("For example: six months"),
    )
    cost = forms.CharField(
        label=_("Cost indication"),
        max_length=200,
        required=False,
        help_text=_("For example: € 2,500 per participant"),
    )
    links = forms.CharField(
        label=_("Research and links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One link per line: the web address, or a title followed by the address. For "
            "example: Evaluation report https://example.org/evaluation.pdf"
        ),
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities"),
        required=False,
        queryset=CommunityPage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The coordinators of the communities you choose review your practice, and their "
            "members hear of it once it is published. Without a community, the editors review it."
        ),
    )
    members_only = forms.BooleanField(
        label=_("Only for members of the chosen communities"),
        required=False,
        help_text=_("Possible when all chosen communities keep their content for members."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    remove_documents = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        required=False,
        queryset=PracticeDocument.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, practice: PracticePage | None = None, **kwargs):
        self.user = user
        self.practice = practice
        if practice is None:
            kwargs.setdefault("initial", self._initial_for_new(user))
        else:
            # What the submitter sent last: the latest revision.
            kwargs.setdefault(
                "initial", self._initial_from(practice.get_latest_revision_as_object())
            )
        super().__init__(*args, **kwargs)
        self.fields["evidence_level"].choices = [
            (
                value,
                format_html(
                    '<span class="site-submit__choice">{}</span> '
                    '<span class="site-submit__explanation">{}</span>',
                    label,
                    EVIDENCE_EXPLANATIONS[value],
                ),
            )
            for value, label in EvidenceLevel.choices
        ]
        communities = review.member_communities(user)
        organisations = Organisation.objects.approved()
        if practice is not None:
            communities = communities | practice.communities.all()
            if practice.organisation_id:
                organisations = organisations | Organisation.objects.filter(
                    pk=practice.organisation_id
                )
            self.fields["remove_documents"].queryset = PracticeDocument.objects.filter(
                page=practice
            ).select_related("document")
            self.fields["remove_documents"].label_from_instance = lambda item: item.document.title
            self.fields["remove_documents"].to_field_name = "document_id"
        else:
            del self.fields["remove_documents"]
        profile = getattr(user, "profile", None)
        if profile is not None and profile.organisation_id:
            organisations = organisations | Organisation.objects.filter(pk=profile.organisation_id)
        self.fields["communities"].queryset = communities.distinct().order_by("title")
        self.fields["organisation"].queryset = organisations.distinct().order_by("name")
        limit = review.max_upload_size()
        self.fields["attachments"].help_text = gettext(
            "Up to %(max)s files: %(extensions)s. At most %(limit)s per file."
        ) % {
            "max": review.MAX_FILES,
            "extensions": ", ".join(f".{e}" for e in review.allowed_extensions()),
            "limit": filesizeformat(limit) if limit else "–",
        }
        self.fields["attachments"].widget.attrs["accept"] = ",".join(
            f".{e}" for e in review.allowed_extensions()
        )

    @staticmethod
    def _initial_for_new(user) -> dict:
        profile = getattr(user, "profile", None)
        return {
            "organisation": profile.organisation_id if profile is not None else None,
            "region": getattr(profile, "region_id", None),
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
            "evidence_level": EvidenceLevel.PRACTICE,
        }

    @staticmethod
    def _initial_from(practice: PracticePage) -> dict:
        return {
            "title": practice.title,
            "summary": practice.summary,
            "problem": review.rich_text_to_text(practice.problem),
            "approach": review.rich_text_to_text(practice.approach),
            "results": review.rich_text_to_text(practice.results),
            "evidence_level": practice.evidence_level,
            "theme": practice.theme,
            "target_groups": [t.pk for t in practice.target_groups.all()],
            "region": practice.region_id,
            "organisation": practice.organisation_id,
            "contact_name": practice.contact_name,
            "contact_email": practice.contact_email,
            "duration": practice.duration,
            "cost": practice.cost,
            "links": links_to_text(practice.links.all()),
            "communities": [c.pk for c in practice.communities.all()],
            "members_only": practice.members_only,
        }

    @property
    def has_communities(self) -> bool:
        return self.fields["communities"].queryset.exists()

    def clean_links(self):
        return parse_links(self.cleaned_data.get("links", ""))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            try:
                review.check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        error = members_only_error(cleaned.get("members_only"), cleaned.get("communities") or [])
        if error:
            self.add_error("members_only", error)
        kept = 0
        if self.practice is not None:
            kept = PracticeDocument.objects.filter(page=self.practice).count() - len(
                cleaned.get("remove_documents") or []
            )
        if kept + len(cleaned.get("attachments") or []) > review.MAX_FILES:
            self.add_error(
                "attachments",
                gettext("A practice can have at most %(max)s attachments.")
                % {"max": review.MAX_FILES},
            )
        return cleaned

    def submission(self) -> review.Submission:
        data = self.cleaned_data
        return review.Submission(
            fields={
                "title": data["title"].strip(),
                "summary": data["summary"].strip(),
                "problem": review.text_to_rich_text(data["problem"]),
                "approach": review.text_to_rich_text(data["approach"]),
                "results": review.text_to_rich_text(data.get("results", "")),
                "evidence_level": data["evidence_level"],
                "theme": data.get("theme", ""),
                "region": data.get("region"),
                "organisation": data.get("organisation"),
                "contact_name": data.get("contact_name", "").strip(),
                "contact_email": data.get("contact_email", ""),
                "duration": data.get("duration", "").strip(),
                "cost": data.get("cost", "").strip(),
                "members_only": bool(data.get("members_only")),
            },
            target_groups=list(data.get("target_groups") or []),
            communities=list(data.get("communities") or []),
            links=data.get("links") or [],
            files=data.get("attachments") or [],
        )

    def documents_to_remove(self) -> list:
        items = self.cleaned_data.get("remove_documents") or []
        return [item.document for item in items]


class RequestChangesForm(forms.Form):
    """A reviewer asks for changes; the comment tells the submitter what to do."""

    use_required_attribute = False  # see PracticeForm

    comment = forms.CharField(
        label=_("What should change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The submitter sees this comment and can then edit and resubmit."),
        error_messages={
            "required": _("Say what should change, so the submitter knows what to do.")
        },
    )
