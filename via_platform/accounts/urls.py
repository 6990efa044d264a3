from django.urls import path

from via_platform.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profiel/", views.profile_edit, name="profile_edit"),
    path("privacy/", views.privacy_overview, name="privacy"),
    path("privacy/download/", views.privacy_export, name="privacy_export"),
    path("privacy/verwijderen/", views.privacy_delete, name="privacy_delete"),
    path("overal-uitloggen/", views.sign_out_everywhere, name="sign_out_everywhere"),
]

member_urlpatterns = [
    path("<int:user_id>/", views.member_detail, name="member_detail"),
]
