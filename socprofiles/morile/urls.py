from django.urls import path

from . import views

app_name = "morile"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/assessments/",
        views.partnership_assessments,
        name="partnership_assessments",
    ),
    path("assessments/<uuid:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:pk>/issues/add/", views.issue_add, name="issue_add"),
    path("assessments/<uuid:pk>/issues/import/", views.issues_import, name="issues_import"),
    path("assessments/<uuid:pk>/scorers/", views.scorer_invite, name="scorer_invite"),
    path(
        "assessments/<uuid:pk>/stage/<slug:action>/",
        views.assessment_stage,
        name="assessment_stage",
    ),
    path("assessments/<uuid:pk>/score/", views.my_scoring, name="my_scoring"),
    path(
        "assessments/<uuid:pk>/issues/<uuid:issue_pk>/score/",
        views.issue_score,
        name="issue_score",
    ),
    path("assessments/<uuid:pk>/consensus/", views.consensus, name="consensus"),
    path(
        "assessments/<uuid:pk>/issues/<uuid:issue_pk>/agree/",
        views.issue_agree,
        name="issue_agree",
    ),
    path("assessments/<uuid:pk>/grading/", views.grading, name="grading"),
    path("assessments/<uuid:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("assessments/<uuid:pk>/matrix/", views.matrix, name="matrix"),
    path(
        "assessments/<uuid:pk>/matrix.<slug:fmt>",
        views.matrix_export,
        name="matrix_export",
    ),
    path("morile/models/", views.model_list, name="model_list"),
    path("morile/models/<str:model_id>/", views.model_detail, name="model_detail"),
]
