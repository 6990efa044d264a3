from django.urls import path

from via_platform.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]
