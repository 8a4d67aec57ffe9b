from django.urls import path

from . import views

app_name = "ocgs"

urlpatterns = [
    path("ocgs/", views.group_list, name="group_list"),
    path("ocgs/priorities/", views.priorities, name="priorities"),
    path("ocgs/priorities.csv", views.priorities_csv, name="priorities_csv"),
    path("ocgs/<uuid:pk>/", views.group_detail, name="group_detail"),
    path("ocgs/<uuid:pk>/score/", views.group_score, name="group_score"),
    path("ocgs/<uuid:pk>/actions/", views.group_actions, name="group_actions"),
    path("ocgs/<uuid:pk>/members/", views.member_add, name="member_add"),
    path("ocgs/<uuid:pk>/members/<uuid:member_pk>/", views.member_detail, name="member_detail"),
    path(
        "ocgs/<uuid:pk>/members/<uuid:member_pk>/score/",
        views.member_score,
        name="member_score",
    ),
    path(
        "ocgs/<uuid:pk>/members/<uuid:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("ocgs/<uuid:pk>/associations/", views.association_add, name="association_add"),
    path(
        "ocgs/<uuid:pk>/associations/<uuid:association_pk>/remove/",
        views.association_remove,
        name="association_remove",
    ),
    path("ocgs/<uuid:pk>/network/", views.network, name="network"),
    path("ocgs/<uuid:pk>/network.<slug:fmt>", views.network_export, name="network_export"),
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/<uuid:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<uuid:pk>/participants/", views.participant_add, name="participant_add"),
    path(
        "operations/<uuid:pk>/participants/<uuid:participant_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("operations/<uuid:pk>/outcomes/", views.outcome_add, name="outcome_add"),
    path(
        "operations/<uuid:pk>/outcomes/<uuid:outcome_pk>/remove/",
        views.outcome_remove,
        name="outcome_remove",
    ),
    path("operations/<uuid:pk>/summary/", views.operation_summary, name="operation_summary"),
    path(
        "operations/<uuid:pk>/summary.csv",
        views.operation_summary_csv,
        name="operation_summary_csv",
    ),
]
