"""Forms of the agenda and event pages: the agenda's filters, registering (with the
optional questions), cancelling and marking attendance."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from via_platform.events.models import EventFormat, EventType

MAX_QUERY_LENGTH = 200
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class AgendaFilterForm(forms.Form):
    """The agenda's filters, in the query string so they work without JavaScript.

    `communities` and `regions` are (id, name) pairs: only the communities this person
    can see, so a hidden community's name never appears in the list.
    """

    netwerk = forms.TypedChoiceField(
        label=_("Network"), required=False, coerce=int, empty_value=None
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *EventType.choices]
    )
    vorm = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("All formats")), *EventFormat.choices]
    )
    regio = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    maand = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("As year-month, e.g. 2026-03."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    def __init__(self, *args, communities=(), regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["netwerk"].choices = [
            ("", _("All networks")),
            *((str(pk), name) for pk, name in communities),
        ]
        self.fields["regio"].choices = [
            ("", _("All regions")),
            *((str(pk), name) for pk, name in regions),
        ]

    def clean_maand(self) -> str:
        value = self.cleaned_data.get("maand", "").strip()
        # Years 0 and 10000 do not exist for datetime (the month's end is the next month).
        if value and (not MONTH_RE.match(value) or not 1000 <= int(value[:4]) <= 9998):
            raise forms.ValidationError(_("Enter a month as year-month, e.g. 2026-03."))
        return value

    def filters(self) -> dict:
        """The valid filters; a wrong value shows an error and the others still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "community_id": data.get("netwerk"),
            "event_type": data.get("type", ""),
            "event_format": data.get("vorm", ""),
            "region_id": data.get("regio"),
            "month": data.get("maand", ""),
        }


class RegistrationForm(forms.Form):
    """Registering for one date; the questions are there only when the event asks them.
    Prefixed per date (`o<id>-`), so a series can show one form per date."""

    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        required=False,
        max_length=300,
        help_text=_("For example vegetarian, halal or an allergy."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=300,
        help_text=_("For example step-free access, a hearing loop or a sign language interpreter."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if not event.ask_dietary:
            del self.fields["dietary_needs"]
        if not event.ask_accessibility:
            del self.fields["accessibility_needs"]


class OccurrenceForm(forms.Form):
    """Which date a register or cancel button is for."""

    occurrence = forms.IntegerField(min_value=1)


class AttendanceSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=MAX_QUERY_LENGTH)


class AttendanceForm(forms.Form):
    """One tap at the door: this person came (or did not)."""

    registration = forms.IntegerField(min_value=1)
    attended = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
    q = forms.CharField(required=False, max_length=MAX_QUERY_LENGTH)
