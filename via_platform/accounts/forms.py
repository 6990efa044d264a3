from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from via_platform.accounts.models import Profile, User
from via_platform.accounts.services import process_photo
from via_platform.organisations.models import Organisation, OrganisationKind
from via_platform.organisations.services import propose_organisation


class ProfileForm(forms.ModelForm):
    """Name, work and visibility in one form; nothing about origin is ever asked."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    new_organisation = forms.CharField(
        label=_("Or propose an organisation that is not in the list"),
        max_length=200,
        required=False,
        help_text=_("An editor checks it before it appears in the directory."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Type of the proposed organisation"),
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    # A plain file field: process_photo() sniffs, checks and re-encodes the upload and
    # says in plain words what is wrong with it.
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("JPEG, PNG, WebP or GIF, at most 5 MB. We remove location and camera data."),
    )

    class Meta:
        model = Profile
        fields = [
            "photo",
            "function",
            "sector",
            "region",
            "organisation",
            "bio",
            *[f"{field}_visibility" for field in Profile.VISIBLE_FIELDS],
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            **{f"{field}_visibility": forms.RadioSelect for field in Profile.VISIBLE_FIELDS},
        }
        labels = {
            "name_visibility": _("Who sees my name?"),
            "photo_visibility": _("Who sees my photo?"),
            "function_visibility": _("Who sees my function?"),
            "sector_visibility": _("Who sees my sector?"),
            "region_visibility": _("Who sees my region?"),
            "organisation_visibility": _("Who sees my organisation?"),
            "bio_visibility": _("Who sees what I wrote about myself?"),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        # Approved organisations, plus the one this person proposed and still waits.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(approved=True) | Q(pk=self.instance.organisation_id)
        )
        self.order_fields(
            ["first_name", "last_name", "photo", "remove_photo", "function", "sector", "region",
             "organisation", "new_organisation", "new_organisation_kind", "bio"]
        )  # fmt: skip

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if "photo" in self.changed_data and photo:
            return process_photo(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_organisation") and not cleaned.get("new_organisation_kind"):
            self.add_error(
                "new_organisation_kind", _("Choose what kind of organisation you propose.")
            )
        if cleaned.get("new_organisation") and cleaned.get("organisation"):
            raise ValidationError(
                _("Choose an organisation from the list or propose a new one, not both.")
            )
        return cleaned

    def save(self, commit: bool = True) -> Profile:
        profile = super().save(commit=False)
        self.user.first_name = self.cleaned_data["first_name"]
        self.user.last_name = self.cleaned_data["last_name"]
        if self.cleaned_data.get("remove_photo") and profile.photo:
            profile.photo.delete(save=False)
            profile.photo = None
        if self.cleaned_data.get("new_organisation"):
            profile.organisation = propose_organisation(
                self.cleaned_data["new_organisation"],
                self.cleaned_data["new_organisation_kind"],
                proposed_by=self.user,
            )
        if commit:
            self.user.save(update_fields=["first_name", "last_name"])
            profile.save()
        return profile


class ConfirmWithPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Single sign-on accounts have no password here: they confirm with their address.
            self.fields["password"] = forms.EmailField(label=_("Your email address"))

    def clean_password(self):
        value = self.cleaned_data["password"]
        if self.user.has_usable_password():
            ok = self.user.check_password(value)
        else:
            ok = value.strip().lower() == self.user.email.lower()
        if not ok:
            raise ValidationError(_("That is not your current password."), code="wrong_password")
        return value


class DeleteAccountForm(ConfirmWithPasswordForm):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and personal data are removed, and that my "
            "contributions stay under the name “Former member”."
        )
    )
