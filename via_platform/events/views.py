"""The agenda and the event pages: the list with its filters, an event's detail with
registering and cancelling, and the coordinators' attendee list with its exports.
Routes on AgendaIndexPage and EventPage (see models.py); the rules are in services.py,
who may see what in permissions.py.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect

from via_platform.accounts import audit
from via_platform.accounts.models import AuditEvent, LabourMarketRegion
from via_platform.communities import permissions as community_permissions
from via_platform.events import permissions
from via_platform.events.forms import (
    AgendaFilterForm,
    AttendanceForm,
    AttendanceSearchForm,
    OccurrenceForm,
    RegistrationForm,
)
from via_platform.events.models import (
    EventPage,
    Occurrence,
    Registration,
    RegistrationState,
)
from via_platform.exports import csv_response, xlsx_response

AGENDA_PER_PAGE = 20
ACTIVE_STATES = (RegistrationState.REGISTERED, RegistrationState.WAITLISTED)


def _feed_url(name: str, *args) -> str:
    """The iCalendar feeds (feeds.py) are plain Django URLs under /agenda/, since
    Wagtail's page URLs allow no dot."""
    return reverse(f"events:{name}", args=args)


def _services():
    from via_platform.events import services

    return services


def _with_counts(occurrences):
    """Each date with `registered_count`, in the same query."""
    return occurrences.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__state=RegistrationState.REGISTERED)
        )
    )


def _places_left(occurrence) -> int | None:
    capacity = occurrence.event.capacity
    if capacity is None:
        return None
    return max(capacity - occurrence.registered_count, 0)


# The agenda ---------------------------------------------------------------------------


def _month_range(month: str):
    year, number = (int(part) for part in month.split("-"))
    zone = timezone.get_current_timezone()
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return start, end


def agenda(request, index_page):
    user = request.user
    logged_in = user.is_authenticated
    now = timezone.now()
    communities = list(
        community_permissions.visible_to(user).order_by("title").values_list("pk", "title")
    )
    regions = list(LabourMarketRegion.objects.order_by("name").values_list("pk", "name"))
    form = AgendaFilterForm(request.GET, communities=communities, regions=regions)
    filters = form.filters()
    mine = logged_in and request.GET.get("mijn") == "1"
    past = request.GET.get("eerder") == "1"

    events = permissions.visible_to(user, EventPage.objects.all())
    occurrences = Occurrence.objects.filter(event__in=events.values("pk"))
    if past:
        occurrences = occurrences.filter(end__lt=now).order_by("-start", "pk")
    else:
        occurrences = occurrences.filter(end__gte=now).order_by("start", "pk")
    if mine:
        occurrences = occurrences.filter(
            registrations__user=user, registrations__state__in=ACTIVE_STATES
        )
    if filters["community_id"]:
        occurrences = occurrences.filter(event__community_id=filters["community_id"])
    if filters["event_type"]:
        occurrences = occurrences.filter(event__event_type=filters["event_type"])
    if filters["event_format"]:
        occurrences = occurrences.filter(event__event_format=filters["event_format"])
    if filters["region_id"]:
        occurrences = occurrences.filter(event__community__region_id=filters["region_id"])
    if filters["month"]:
        start, end = _month_range(filters["month"])
        occurrences = occurrences.filter(start__gte=start, start__lt=end)

    occurrences = _with_counts(occurrences).select_related("event__community__region")
    if logged_in:
        my_state = Registration.objects.filter(occurrence=OuterRef("pk"), user=user).values(
            "state"
        )[:1]
        occurrences = occurrences.annotate(my_state=Subquery(my_state))

    page_obj = Paginator(occurrences, AGENDA_PER_PAGE).get_page(request.GET.get("page"))
    for occurrence in page_obj:
        occurrence.places_left = _places_left(occurrence)
        state = getattr(occurrence, "my_state", None)
        occurrence.my_state_label = RegistrationState(state).label if state else ""

    personal_feed_url = ""
    if logged_in:
        from via_platform.events.feeds import personal_feed_path

        personal_feed_url = request.build_absolute_uri(personal_feed_path(user))
    base_query = request.GET.copy()
    for key in ("page", "mijn", "eerder"):
        base_query.pop(key, None)
    return TemplateResponse(
        request,
        "events/agenda.html",
        {
            "page": index_page,
            "self": index_page,
            "form": form,
            "page_obj": page_obj,
            "mine": mine,
            "past": past,
            "is_filtered": any(filters.values()),
            "tab_query": base_query.urlencode(),
            "public_feed_url": _feed_url("public_feed"),
            "personal_feed_url": personal_feed_url,
            "renew_feed_url": _feed_url("renew_token"),
            "RegistrationState": RegistrationState,
        },
    )


# An event -----------------------------------------------------------------------------


def _check_view(request, event) -> None:
    if not permissions.can_view(request.user, event):
        raise Http404


def _login(request, event):
    _check_view(request, event)
    return redirect_to_login(event.get_url(request))


def _registration_status(event, occurrence, now) -> str:
    """Why registering is not possible now ("" when it is)."""
    if not event.registration_required:
        return _("No registration needed: just come.")
    if event.cancelled or occurrence.cancelled:
        return _("This date is cancelled.")
    if occurrence.start <= now:
        return _("Registration is closed: this date has started.")
    if event.registration_opens and event.registration_opens > now:
        opens = timezone.localtime(event.registration_opens)
        return _("Registration opens on %(date)s.") % {"date": opens.strftime("%d-%m-%Y %H:%M")}
    if event.registration_closes and event.registration_closes <= now:
        return _("Registration is closed.")
    return ""


def _occurrences_for_page(event, now):
    """The dates to show: upcoming ones; for an event that is over, all of them."""
    occurrences = _with_counts(event.occurrences.select_related("event"))
    upcoming = list(occurrences.filter(end__gte=now).order_by("start"))
    if upcoming:
        return upcoming, False
    return list(occurrences.order_by("start")), True


def _render_detail(request, event, bound_form=None, bound_occurrence_id=None, status=200):
    user = request.user
    now = timezone.now()
    occurrences, is_past = _occurrences_for_page(event, now)
    registrations = {}
    if user.is_authenticated:
        registrations = {
            r.occurrence_id: r
            for r in Registration.objects.filter(user=user, occurrence__event=event)
        }
    services = _services()
    manager = permissions.can_manage(user, event)
    registered = any(r.state == RegistrationState.REGISTERED for r in registrations.values())
    dates = []
    for occurrence in occurrences:
        registration = registrations.get(occurrence.pk)
        position = None
        if registration is not None and registration.state == RegistrationState.WAITLISTED:
            position = services.waitlist_position(registration)
        places_left = _places_left(occurrence)
        if bound_form is not None and bound_occurrence_id == occurrence.pk:
            form = bound_form
        else:
            form = RegistrationForm(event=event, prefix=f"o{occurrence.pk}")
        dates.append(
            {
                "occurrence": occurrence,
                "registration": registration,
                "active": registration is not None and registration.state in ACTIVE_STATES,
                "position": position,
                "places_left": places_left,
                "full": places_left == 0,
                "closed": _registration_status(event, occurrence, now),
                "form": form,
            }
        )
    link_registration = next(
        (r for r in registrations.values() if r.state == RegistrationState.REGISTERED), None
    )
    return TemplateResponse(
        request,
        "events/event.html",
        {
            "page": event,
            "self": event,
            "dates": dates,
            "is_past": is_past,
            "is_series": event.is_series,
            "can_manage": manager,
            "is_registered": registered,
            "show_link": bool(event.online_link)
            and permissions.can_see_link(user, event, link_registration),
            "can_register": permissions.can_register(user, event),
            "event_feed_url": _feed_url("event_download", event.pk),
            "speakers": list(event.speakers.all()),
            "materials": list(event.materials.select_related("document")),
            "RegistrationState": RegistrationState,
        },
        status=status,
    )


def event_detail(request, event):
    _check_view(request, event)
    return _render_detail(request, event)


def _posted_occurrence(request, event):
    form = OccurrenceForm(request.POST)
    if not form.is_valid():
        raise Http404
    return get_object_or_404(
        Occurrence.objects.select_related("event"), pk=form.cleaned_data["occurrence"], event=event
    )


@csrf_protect
def register(request, event):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request, event)
    _check_view(request, event)
    if not permissions.can_register(request.user, event):
        raise PermissionDenied
    occurrence = _posted_occurrence(request, event)
    form = RegistrationForm(request.POST, event=event, prefix=f"o{occurrence.pk}")
    if not form.is_valid():
        return _render_detail(request, event, form, occurrence.pk, status=400)
    try:
        registration = _services().register(
            request.user,
            occurrence,
            dietary_needs=form.cleaned_data.get("dietary_needs", ""),
            accessibility_needs=form.cleaned_data.get("accessibility_needs", ""),
        )
    except ValidationError as error:
        if error.code == "rate":  # the answers stay in the form, to send again later
            form.add_error(None, error.messages)
            return _render_detail(request, event, form, occurrence.pk, status=429)
        messages.error(request, " ".join(error.messages))
        return redirect(event.get_url(request))
    if registration.state == RegistrationState.WAITLISTED:
        position = _services().waitlist_position(registration)
        messages.warning(
            request,
            _("This date is full. You are on the waitlist (number %(position)s).")
            % {"position": position},
        )
    else:
        messages.success(request, _("You are registered."))
    return redirect(event.get_url(request))


@csrf_protect
def cancel(request, event):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return _login(request, event)
    _check_view(request, event)
    occurrence = _posted_occurrence(request, event)
    try:
        _services().cancel(request.user, occurrence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event.get_url(request))
    messages.success(request, _("Your registration is cancelled."))
    return redirect(event.get_url(request))


# Coordinators: attendees, attendance, exports -----------------------------------------


def _check_manager(request, event) -> None:
    _check_view(request, event)
    if not permissions.can_manage(request.user, event):
        raise PermissionDenied


def _chosen_occurrence(request, event):
    """The date of `?datum=<id>`, else the next one, else the last one."""
    occurrences = event.occurrences.order_by("start")
    chosen = request.GET.get("datum") or request.POST.get("datum")
    if chosen and chosen.isdecimal():  # isdigit() takes '²', which int() refuses
        return get_object_or_404(occurrences, pk=int(chosen))
    upcoming = occurrences.filter(end__gte=timezone.now()).first()
    occurrence = upcoming or occurrences.last()
    if occurrence is None:
        raise Http404
    return occurrence


def _registrations(occurrence):
    return (
        Registration.objects.filter(occurrence=occurrence)
        .select_related("user__profile__organisation")
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    )


def _search(registrations, q: str):
    for term in q.split():
        registrations = registrations.filter(
            Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(user__email__icontains=term)
        )
    return registrations


def _name(user) -> str:
    return user.get_full_name() or user.email


def _organisation(user) -> str:
    try:
        organisation = user.profile.organisation
    except ObjectDoesNotExist:
        return ""
    return organisation.name if organisation is not None else ""


def _attendees_url(request, event, occurrence, q: str = "") -> str:
    query = {"datum": occurrence.pk}
    if q:
        query["q"] = q
    return f"{event.get_url(request)}deelnemers/?{urlencode(query)}"


@csrf_protect
def attendees(request, event):
    if not request.user.is_authenticated:
        return _login(request, event)
    _check_manager(request, event)
    if request.method == "POST":
        return _mark_attendance(request, event)
    occurrence = _chosen_occurrence(request, event)
    search = AttendanceSearchForm(request.GET)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    everyone = _registrations(occurrence)
    rows = list(_search(everyone.exclude(state=RegistrationState.CANCELLED), q))
    counts = dict(
        Registration.objects.filter(occurrence=occurrence)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    return TemplateResponse(
        request,
        "events/attendees.html",
        {
            "page": event,
            "self": event,
            "occurrence": occurrence,
            "occurrences": list(event.occurrences.order_by("start")),
            "search": search,
            "q": q,
            "rows": [{"registration": r, "name": _name(r.user)} for r in rows],
            "registered_count": counts.get(RegistrationState.REGISTERED, 0),
            "waitlisted_count": counts.get(RegistrationState.WAITLISTED, 0),
            "attended_count": Registration.objects.filter(
                occurrence=occurrence, attended=True
            ).count(),
            "export_query": urlencode({"datum": occurrence.pk}),
            "RegistrationState": RegistrationState,
        },
    )


def _mark_attendance(request, event):
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("user", "occurrence"),
        pk=form.cleaned_data["registration"],
        occurrence__event=event,
    )
    attended = form.cleaned_data["attended"]
    try:
        _services().set_attendance(request.user, registration, attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = _name(registration.user)
        if attended:
            messages.success(request, _("%(name)s is marked present.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is marked absent.") % {"name": name})
    return redirect(_attendees_url(request, event, registration.occurrence, form.cleaned_data["q"]))


def _export_header() -> list[str]:
    return [
        _("Name"), _("Email address"), _("Organisation"), _("State"), _("Asked at"),
        _("Dietary needs"), _("Accessibility needs"), _("Attended"),
    ]  # fmt: skip


def _export_rows(occurrence):
    for r in _registrations(occurrence).iterator(chunk_size=500):
        attended = "" if r.attended is None else (_("yes") if r.attended else _("no"))
        yield [
            _name(r.user),
            r.user.email,
            _organisation(r.user),
            r.get_state_display(),
            timezone.localtime(r.requested_at).strftime("%Y-%m-%d %H:%M"),
            r.dietary_needs,
            r.accessibility_needs,
            attended,
        ]


def _filename(event, occurrence, extension: str) -> str:
    day = timezone.localtime(occurrence.start).date().isoformat()
    return f"deelnemers-{event.slug}-{day}.{extension}"


def _audit_export(request, occurrence, extension: str) -> None:
    audit.record(
        AuditEvent.Action.EXPORTED,
        actor=request.user,
        target=audit.target_of(occurrence),
        detail=f"attendees {extension}",
    )


def export_csv(request, event):
    if not request.user.is_authenticated:
        return _login(request, event)
    _check_manager(request, event)
    occurrence = _chosen_occurrence(request, event)
    _audit_export(request, occurrence, "csv")
    return csv_response(
        _export_header(), _export_rows(occurrence), _filename(event, occurrence, "csv")
    )


def export_xlsx(request, event):
    if not request.user.is_authenticated:
        return _login(request, event)
    _check_manager(request, event)
    occurrence = _chosen_occurrence(request, event)
    _audit_export(request, occurrence, "xlsx")
    return xlsx_response(
        _export_header(),
        _export_rows(occurrence),
        _filename(event, occurrence, "xlsx"),
        sheet_title=_("Attendees"),
    )
