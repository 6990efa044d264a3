"""The notification centre, preferences and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from via_platform.notifications import services
from via_platform.notifications.forms import PreferencesForm
from via_platform.notifications.models import Notification
from via_platform.notifications.registry import Category

PER_PAGE = 25


@login_required
def index(request):
    notifications = (
        Notification.objects.filter(recipient=request.user)
        .select_related("happening")
        .order_by("-created_at", "-pk")
    )
    if request.GET.get("filter") == "ongelezen":
        notifications = notifications.filter(read_at__isnull=True)
    page_obj = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {"page_obj": page_obj, "only_unread": request.GET.get("filter") == "ongelezen"},
    )


@login_required
@require_POST
def open_notification(request, notification_id: int):
    """Mark as read, then go to what it is about."""
    notification = services.mark_read(request.user, notification_id)
    if notification is None:
        return redirect("notifications:index")
    url = notification.happening.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return redirect(url)


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:index")


@login_required
def preferences(request):
    form = PreferencesForm(
        request.POST or None, initial_frequencies=services.preferences_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        for category, frequency in form.cleaned_data.items():
            services.set_preference(request.user, category, frequency)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST here without a session or CSRF token
def unsubscribe(request, token: str):
    """GET shows what will happen and a button; POST (also one-click) does it."""
    try:
        data = services.read_unsubscribe_token(token)
    except services.UnsubscribeError:
        return render(request, "notifications/unsubscribe.html", {"state": "invalid"}, status=400)
    category_label = Category(data["c"]).label
    if request.method != "POST":
        return render(
            request,
            "notifications/unsubscribe.html",
            {"state": "confirm", "category": category_label, "token": token},
        )
    try:
        services.unsubscribe(token)
    except services.UnsubscribeError as exc:
        state = "used" if str(exc) == "used" else "invalid"
        return render(request, "notifications/unsubscribe.html", {"state": state}, status=400)
    return render(
        request, "notifications/unsubscribe.html", {"state": "done", "category": category_label}
    )
