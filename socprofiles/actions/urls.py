from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("partnerships/<slug:slug>/actions/", views.plan, name="plan"),
    path(
        "partnerships/<slug:slug>/actions/from-profile/<uuid:profile_pk>/",
        views.from_profile,
        name="from_profile",
    ),
    path("partnerships/<slug:slug>/actions/plan.<slug:fmt>", views.plan_export, name="export"),
    path("partnerships/<slug:slug>/actions/import/", views.plan_import, name="import"),
    path("partnerships/<slug:slug>/actions/meeting/", views.meeting, name="meeting"),
    path("partnerships/<slug:slug>/actions/dashboard/", views.dashboard, name="dashboard"),
    path(
        "partnerships/<slug:slug>/actions/dashboard.csv",
        views.dashboard_csv,
        name="dashboard_csv",
    ),
    path("partnerships/<slug:slug>/disruptions/", views.disruptions, name="disruptions"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/<uuid:pk>/", views.action_detail, name="action_detail"),
    path("actions/<uuid:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "actions/<uuid:pk>/milestones/<uuid:milestone_pk>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("actions/<uuid:pk>/progress/", views.progress_add, name="progress_add"),
    path("meetings/<uuid:pk>/", views.meeting_record, name="meeting_record"),
]
