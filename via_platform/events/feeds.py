"""iCalendar feeds and downloads of the agenda.

Subscription feeds are fetched by calendar programs without a login, so the public and
community feeds show only what an anonymous visitor may see, and no feed ever carries
an online meeting link. The personal feed is found by a secret token in its URL; a
person can replace the token, which revokes the old URL. Only the download of one
event by a logged-in person who may see the link (a registered attendee, a
coordinator) includes it.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from via_platform.communities import permissions as community_permissions
from via_platform.communities.models import CommunityPage
from via_platform.events import ical, permissions
from via_platform.events.models import (
    CalendarToken,
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)

PAST = timedelta(days=31)
AHEAD = timedelta(days=365)
MAX_ITEMS = 2000
PUBLIC_CACHE = "public, max-age=900"


def _window(occurrences):
    now = timezone.now()
    return occurrences.filter(start__gte=now - PAST, start__lt=now + AHEAD)


def _response(body: bytes, filename: str, *, personal: bool, download: bool = False):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if personal:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = PUBLIC_CACHE
    return response


def _anonymous_occurrences(events):
    visible = permissions.visible_to(AnonymousUser(), events)
    return _window(
        Occurrence.objects.filter(event__in=visible.values("pk")).select_related("event")
    ).order_by("start")[:MAX_ITEMS]


@require_GET
def public_feed(request):
    body = ical.feed(
        _anonymous_occurrences(EventPage.objects.all()),
        name=_("VIA Leernetwerken – agenda"),
        request=request,
    )
    return _response(body, "via-agenda.ics", personal=False)


@require_GET
def community_feed(request, community_id: int):
    community = get_object_or_404(CommunityPage, pk=community_id)
    if not community_permissions.can_see(AnonymousUser(), community):
        raise Http404
    body = ical.feed(
        _anonymous_occurrences(EventPage.objects.filter(community=community)),
        name=_("%(community)s – agenda") % {"community": community.title},
        request=request,
    )
    return _response(body, f"{slugify(community.title) or 'netwerk'}.ics", personal=False)


@require_GET
def personal_feed(request, token: str):
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404
    person = found.user
    registrations = (
        Registration.objects.filter(
            user=person,
            occurrence__event__in=permissions.visible_to(person).values("pk"),
            occurrence__start__gte=timezone.now() - PAST,
        )
        .select_related("occurrence__event")
        .order_by("occurrence__start")[:MAX_ITEMS]
    )
    occurrences, statuses = [], {}
    for registration in registrations:
        occurrences.append(registration.occurrence)
        if registration.state == RegistrationState.CANCELLED:
            statuses[registration.occurrence_id] = "CANCELLED"
        elif registration.state == RegistrationState.WAITLISTED:
            statuses[registration.occurrence_id] = "TENTATIVE"
    body = ical.feed(
        occurrences, name=_("My agenda – VIA Leernetwerken"), statuses=statuses, request=request
    )
    return _response(body, "mijn-agenda.ics", personal=True)


@require_GET
def event_download(request, event_id: int):
    event = get_object_or_404(EventPage, pk=event_id)
    user = request.user
    if not permissions.can_view(user, event):
        raise Http404
    occurrences = list(event.occurrences.all())
    include_link = False
    if event.online_link and user.is_authenticated:
        registration = (
            Registration.objects.filter(
                user=user, occurrence__event=event, state=RegistrationState.REGISTERED
            )
            .order_by("pk")
            .first()
        )
        include_link = permissions.can_see_link(user, event, registration)
    body = ical.event_calendar(event, occurrences, include_link=include_link, request=request)
    return _response(
        body,
        f"{slugify(event.title) or 'evenement'}.ics",
        personal=user.is_authenticated,
        download=True,
    )


def personal_feed_path(user) -> str:
    """The path of the person's subscription feed; makes the token on first use."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return reverse("events:personal_feed", args=[token.token])


@login_required
@require_POST
def renew_token(request):
    """Replace the person's token: the old feed URL stops working at once."""
    CalendarToken.objects.filter(user=request.user).delete()
    CalendarToken.objects.create(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar link has been renewed. The old link no longer works: "
            "subscribe again with the new one."
        ),
    )
    target = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)
