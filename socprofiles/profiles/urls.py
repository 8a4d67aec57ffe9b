from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/profiles/",
        views.partnership_profiles,
        name="partnership_profiles",
    ),
    path("profiles/reviews/", views.reviews, name="reviews"),
    path("profiles/<uuid:pk>/", views.profile_detail, name="profile_detail"),
    path("profiles/<uuid:pk>/commissioning/", views.commissioning_edit, name="commissioning"),
    path("profiles/<uuid:pk>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("profiles/<uuid:pk>/stage/<slug:action>/", views.profile_transition, name="transition"),
    path(
        "profiles/<uuid:pk>/clearances/<uuid:clearance_pk>/",
        views.clearance_decide,
        name="clearance_decide",
    ),
    path("profiles/<uuid:pk>/override/", views.clearance_override, name="override"),
    path("profiles/<uuid:pk>/draft/", views.draft_view, name="draft"),
    path("profiles/<uuid:pk>/versions/<int:number>/", views.version_view, name="version_detail"),
    path("profiles/<uuid:pk>/<slug:ref>/figures/<slug:name>.png", views.figure, name="figure"),
    path("profiles/<uuid:pk>/<slug:ref>/document.<slug:fmt>", views.download, name="download"),
    path("profiles/<uuid:pk>/compare/", views.compare, name="compare"),
]
