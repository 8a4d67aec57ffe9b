from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.sign_out, name="logout"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/profile/", views.profile, name="profile"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/<uuid:pk>/", views.area_detail, name="area_detail"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path(
        "partnerships/<slug:slug>/members/",
        views.partnership_members,
        name="partnership_members",
    ),
    path(
        "partnerships/<slug:slug>/members/<uuid:pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "partnerships/<slug:slug>/members/<uuid:pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "partnerships/<slug:slug>/positions/",
        views.partnership_positions,
        name="partnership_positions",
    ),
]
