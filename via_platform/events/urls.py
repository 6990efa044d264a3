"""iCalendar feeds under /agenda/, mounted before Wagtail's catch-all. Each path is
specific (ends in .ics, or is the renewal action), so the AgendaIndexPage at /agenda/
and its event pages are still served by Wagtail."""

from django.urls import path

from via_platform.events import feeds

app_name = "events"

urlpatterns = [
    path("feed.ics", feeds.public_feed, name="public_feed"),
    path("netwerk/<int:community_id>.ics", feeds.community_feed, name="community_feed"),
    path("persoonlijk/vernieuwen/", feeds.renew_token, name="renew_token"),
    path("persoonlijk/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("evenement/<int:event_id>.ics", feeds.event_download, name="event_download"),
]
