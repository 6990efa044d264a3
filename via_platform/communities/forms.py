"""Forms of a community's member pages: filters, member actions, invitations, messages."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from via_platform.communities.models import MembershipState, Role

MAX_QUERY_LENGTH = 200
MAX_INVITATIONS = 50
MAX_MESSAGE_LENGTH = 2000


class MemberFilterForm(forms.Form):
    """The filters of the members list, in the query string so they work without JavaScript.

    `organisations` are the (id, name) pairs of the members' organisations; `status` is
    only there for coordinators, who alone see membership requests.
    """

    q = forms.CharField(label=_("Search by name"), required=False, max_length=MAX_QUERY_LENGTH)
    rol = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    organisatie = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Members")), (MembershipState.REQUESTED, _("Requests to join"))],
    )

    def __init__(self, *args, organisations=(), coordinator: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [
            ("", _("All organisations")),
            *((str(pk), name) for pk, name in organisations),
        ]
        if coordinator:
            self.fields["q"].label = _("Search by name or email address")
        else:
            del self.fields["status"]

    def filters(self) -> dict:
        """The valid filters; a wrong value shows an error and the others still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q", ""),
            "role": data.get("rol", ""),
            "organisation_id": data.get("organisatie"),
            "status": data.get("status", ""),
        }


class MemberActionForm(forms.Form):
    """One coordinator action on one membership (the buttons on the members list)."""

    ACTIONS = ("approve", "decline", "role", "remove")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    role = forms.ChoiceField(label=_("Role"), required=False, choices=Role.choices)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next = forms.CharField(required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("action") == "role" and not data.get("role"):
            raise ValidationError(_("Choose a role."))
        return data


def split_addresses(text: str) -> list[str]:
    """Addresses separated by new lines, commas, semicolons or spaces; each once."""
    seen: dict[str, str] = {}
    for part in re.split(r"[\s,;]+", text):
        part = part.strip().strip("<>")
        if part and part.lower() not in seen:
            seen[part.lower()] = part
    return list(seen.values())


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        max_length=MAX_INVITATIONS * 260,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emails"].help_text = gettext(
            "One per line, or separated by commas. At most %(max)s at a time."
        ) % {"max": MAX_INVITATIONS}

    def clean_emails(self) -> list[str]:
        addresses = split_addresses(self.cleaned_data["emails"])
        if not addresses:
            raise ValidationError(_("Enter at least one email address."))
        if len(addresses) > MAX_INVITATIONS:
            raise ValidationError(
                _("You can invite at most %(max)s people at a time; you entered %(count)s.")
                % {"max": MAX_INVITATIONS, "count": len(addresses)}
            )
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            raise ValidationError(
                ngettext(
                    "This is not a valid email address: %(addresses)s",
                    "These are not valid email addresses: %(addresses)s",
                    len(invalid),
                )
                % {"addresses": ", ".join(invalid)}
            )
        return [address.lower() for address in addresses]


class ComposeMessageForm(forms.Form):
    """A message to the members: all of them, one role, or one organisation's people."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    audience = forms.ChoiceField(label=_("To"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            ("", _("All members")),
            (_("By role"), [(f"rol:{value}", label) for value, label in Role.choices]),
            *(
                [(_("By organisation"), [(f"org:{pk}", name) for pk, name in organisations])]
                if organisations
                else []
            ),
        ]

    def audience_filters(self) -> tuple[str, int | None]:
        """(role, organisation id) for services.send_message and services.members_of."""
        audience = self.cleaned_data.get("audience", "")
        if audience.startswith("rol:"):
            return audience.removeprefix("rol:"), None
        if audience.startswith("org:"):
            return "", int(audience.removeprefix("org:"))
        return "", None
