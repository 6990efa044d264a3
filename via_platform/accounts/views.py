"""Profile, public member page and privacy self-service. Thin: rules live in services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from via_platform.accounts import audit, privacy
from via_platform.accounts.audit import target_of
from via_platform.accounts.forms import ConfirmWithPasswordForm, DeleteAccountForm, ProfileForm
from via_platform.accounts.models import AuditEvent, Profile, User
from via_platform.accounts.services import get_profile


@login_required
def profile_edit(request):
    profile = get_profile(request.user)
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=profile, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile_edit")
    return render(request, "accounts/profile_edit.html", {"form": form, "profile": profile})


def member_detail(request, user_id: int):
    """A member's page. Anonymous visitors see only what the person made public."""
    member = get_object_or_404(
        User.objects.select_related("profile__region", "profile__organisation"),
        pk=user_id,
        is_active=True,
        anonymised_at__isnull=True,
    )
    profile = getattr(member, "profile", None) or Profile(user=member)
    viewer = request.user
    if not (viewer.is_authenticated and viewer.is_active) and not profile.is_public():
        raise Http404
    shown = {field: profile.is_visible(field, viewer) for field in Profile.VISIBLE_FIELDS}
    return render(
        request,
        "accounts/member_detail.html",
        {"member": member, "profile": profile, "shown": shown, "is_me": viewer == member},
    )


def _privacy_page(request, export_form=None, delete_form=None):
    """The privacy page, with whichever form was just submitted keeping its input."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "export_form": export_form
            or ConfirmWithPasswordForm(user=request.user, prefix="export"),
            "delete_form": delete_form or DeleteAccountForm(user=request.user, prefix="delete"),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def privacy_overview(request):
    return _privacy_page(request)


@never_cache
@sensitive_post_parameters("export-password")
@login_required
def privacy_export(request):
    form = ConfirmWithPasswordForm(request.POST or None, user=request.user, prefix="export")
    if request.method == "POST" and form.is_valid():
        data = privacy.export_user_data(request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False, default=str),
            content_type="application/json; charset=utf-8",
        )
        filename = f"mijn-gegevens-via-leernetwerken-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return _privacy_page(request, export_form=form)


@never_cache
@sensitive_post_parameters("delete-password")
@login_required
def privacy_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user, prefix="delete")
    if request.method == "POST" and form.is_valid():
        privacy.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted. Thank you for taking part."))
        return redirect("/")
    return _privacy_page(request, delete_form=form)


@never_cache
@sensitive_post_parameters("password")
@login_required
def sign_out_everywhere(request):
    """End every other session of this person (a lost phone, a shared computer).

    The password is stored again under a new salt (an account without one, single
    sign-on, gets a new unusable one). That changes the hash each session was signed in
    with, so Django no longer accepts the other sessions; this one goes on under a new key.
    """
    user = request.user
    form = ConfirmWithPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if user.has_usable_password():
            user.set_password(form.cleaned_data["password"])
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
        update_session_auth_hash(request, user)
        audit.record(AuditEvent.Action.SIGNED_OUT_EVERYWHERE, actor=user, target=target_of(user))
        messages.success(
            request, _("You are signed out on all other devices and browsers. This one stays.")
        )
        return redirect("accounts:sign_out_everywhere")
    return render(
        request,
        "accounts/sign_out_everywhere.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
