from django.urls import path

from via_platform.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:notification_id>/open/", views.open_notification, name="open"),
    path("alles-gelezen/", views.read_all, name="read_all"),
    path("instellingen/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
