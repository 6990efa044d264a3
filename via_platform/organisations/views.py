"""The public directory of organisations."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from via_platform.organisations import services
from via_platform.organisations.models import Organisation, OrganisationKind

ORGANISATIONS_PER_PAGE = 30
MEMBERS_PER_PAGE = 50
MAX_QUERY_LENGTH = 200


class DirectoryFilterForm(forms.Form):
    """The filters of the directory, in the query string so they work without JavaScript."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=MAX_QUERY_LENGTH)
    soort = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("All types")), *OrganisationKind.choices],
    )


def index(request):
    form = DirectoryFilterForm(request.GET)
    form.is_valid()  # a wrong value shows an error; the valid filters still apply
    kind = form.cleaned_data.get("soort", "")
    query = form.cleaned_data.get("q", "")
    organisations = services.directory(request.user, kind=kind, query=query)
    page_obj = Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/index.html",
        {"form": form, "page_obj": page_obj, "is_filtered": bool(kind or query)},
    )


def detail(request, slug: str):
    organisation = get_object_or_404(Organisation.objects.approved(), slug=slug)
    profiles = services.visible_members(organisation, request.user)
    page_obj = Paginator(profiles, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    members = [
        {"name": services.member_label(p, request.user), "url": services.member_url(p)}
        for p in page_obj
    ]
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "page_obj": page_obj,
            "members": members,
            "is_member": services.is_member(request.user),
        },
    )
