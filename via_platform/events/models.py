"""The agenda: meetings, webinars, werkbezoeken, trainings and intervision, with their
occurrences (one, or a series), registrations with a waitlist, and attendance.

An `EventPage` is what editors and coordinators write; an `Occurrence` is one date of
it (a single event has exactly one; a series has one per date of its rule). People
register for an occurrence, so each date of a monthly intervision fills on its own.
"""

from __future__ import annotations

import functools
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
DEFAULT_TIME_ZONE = "Europe/Amsterdam"


class EventType(models.TextChoices):
    BIJEENKOMST = "bijeenkomst", _("Meeting")
    WEBINAR = "webinar", _("Webinar")
    WERKBEZOEK = "werkbezoek", _("Work visit")
    TRAINING = "training", _("Training")
    INTERVISIE = "intervisie", _("Intervision")


class EventFormat(models.TextChoices):
    FYSIEK = "fysiek", _("In person")
    ONLINE = "online", _("Online")
    HYBRIDE = "hybride", _("Hybrid")


class EventAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of the community only")


@functools.cache
def _time_zone_choices() -> list[tuple[str, str]]:
    """Read from the system's zoneinfo folder once per process, not per form or save."""
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class AgendaIndexPage(RoutablePageMixin, Page):
    """`/agenda/`: every upcoming event a person may see."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda")

    @path("")
    def agenda_view(self, request):
        from via_platform.events import views

        return views.agenda(request, self)


class EventPage(RoutablePageMixin, Page):
    """An event in the agenda (community-less, by editors) or in a community's subtree."""

    event_type = models.CharField(
        _("type"), max_length=20, choices=EventType.choices, default=EventType.BIJEENKOMST
    )
    event_format = models.CharField(
        _("format"), max_length=10, choices=EventFormat.choices, default=EventFormat.FYSIEK
    )
    summary = models.TextField(_("summary"), max_length=600)
    # The first (or only) date, in UTC; a series repeats it by `recurrence`.
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=_time_zone_choices, default=DEFAULT_TIME_ZONE
    )
    recurrence = models.CharField(
        _("repeats"),
        max_length=255,
        blank=True,
        help_text=_(
            "An iCalendar rule for a series, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=10 "
            "(the second Tuesday of the month, ten times). Empty for a single event."
        ),
    )
    exceptions = models.TextField(
        _("skipped dates"),
        blank=True,
        help_text=_("Dates of the series that do not take place, one per line (YYYY-MM-DD)."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, hearing loop, quiet room, parking, public transport."),
    )
    online_link = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to registered attendees: never in feeds or public pages."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=True)
    audience = models.CharField(
        _("who may come"),
        max_length=10,
        choices=EventAudience.choices,
        default=EventAudience.PUBLIC,
    )
    ask_dietary = models.BooleanField(_("ask for dietary needs"), default=False)
    ask_accessibility = models.BooleanField(_("ask for accessibility needs"), default=True)
    programme = RichTextField(_("programme"), blank=True, features=RICH_TEXT_FEATURES)
    report = RichTextField(
        _("report (verslag)"), blank=True, features=RICH_TEXT_FEATURES,
        help_text=_("Written afterwards: what was discussed and what comes next."),
    )  # fmt: skip
    cancelled = models.BooleanField(_("cancelled"), default=False)
    # The community whose subtree holds the event (none for agenda events); kept by
    # save() so that lists filter with a join instead of walking the tree.
    community = models.ForeignKey(
        "communities.CommunityPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="events",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("event_type"), FieldPanel("event_format")]),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_zone"),
                FieldPanel("recurrence"),
                FieldPanel("exceptions"),
            ],
            heading=_("What and when"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("address"),
                FieldPanel("accessibility"),
                FieldPanel("online_link"),
            ],
            heading=_("Where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("registration_required"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldRowPanel([FieldPanel("ask_dietary"), FieldPanel("ask_accessibility")]),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("programme"),
        InlinePanel("speakers", label=_("Speakers")),
        InlinePanel("materials", label=_("Materials")),
        FieldPanel("report"),
        FieldPanel("cancelled"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("programme"),
        index.SearchField("venue_name"),
        index.FilterField("audience"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.AgendaIndexPage", "communities.CommunityPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            raise ValidationError(
                {"registration_closes": _("Registration must close after it opens.")}
            )

    def save(self, *args, **kwargs):
        from via_platform.communities.models import CommunityPage

        parent = self.get_parent() if self.path else None
        if parent is not None:
            self.community = CommunityPage.objects.ancestor_of(parent, inclusive=True).first()
        return super().save(*args, **kwargs)

    @property
    def is_series(self) -> bool:
        return bool(self.recurrence)

    @path("")
    def detail_view(self, request):
        from via_platform.events import views

        return views.event_detail(request, self)

    @path("aanmelden/")
    def register_view(self, request):
        from via_platform.events import views

        return views.register(request, self)

    @path("afmelden/")
    def cancel_view(self, request):
        from via_platform.events import views

        return views.cancel(request, self)

    @path("deelnemers/")
    def attendees_view(self, request):
        from via_platform.events import views

        return views.attendees(request, self)

    # Wagtail's page URLs allow no dot, so not `deelnemers/export.csv`.
    @path("deelnemers/export/csv/")
    def export_csv_view(self, request):
        from via_platform.events import views

        return views.export_csv(request, self)

    @path("deelnemers/export/xlsx/")
    def export_xlsx_view(self, request):
        from via_platform.events import views

        return views.export_xlsx(request, self)


class Speaker(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or organisation"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]

    def __str__(self) -> str:
        return self.name


class Material(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=250, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]

    def __str__(self) -> str:
        return self.document.title


class Occurrence(models.Model):
    """One date of an event. Kept in step with the event by services.sync_occurrences."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(default=0)
    # A fingerprint of where it takes place (format, venue, address, link), so that
    # services.sync_occurrences notices a change of place and raises `sequence`.
    place = models.CharField(max_length=64, blank=True, editable=False)
    reminded_day_before = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_hour_before = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("date")
        verbose_name_plural = _("dates")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="one_occurrence_per_start")
        ]
        indexes = [models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.event.title} {self.start:%Y-%m-%d %H:%M}"


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    state = models.CharField(_("state"), max_length=20, choices=RegistrationState.choices)
    # First come, first served: the waitlist is ordered by when people asked.
    requested_at = models.DateTimeField(_("asked at"))
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"], name="one_registration_per_person"
            )
        ]
        indexes = [models.Index(fields=["occurrence", "state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.occurrence} ({self.state})"


def _token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's subscription feed URL; a new one revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return f"{self.user}"
