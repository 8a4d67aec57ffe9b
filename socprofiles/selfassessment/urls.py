from django.urls import path

from . import views

app_name = "selfassessment"

urlpatterns = [
    # Public: no sign-in, nothing stored until the final submission.
    path("self-assessment/", views.start, name="start"),
    path("self-assessment/questions/<slug:key>/", views.question, name="question"),
    path("self-assessment/area/", views.area, name="area"),
    path("self-assessment/check/", views.check, name="check"),
    path("self-assessment/result/", views.result, name="result"),
    # Results for the partnership's members.
    path("partnerships/<slug:slug>/self-assessment/", views.results, name="results"),
    path("partnerships/<slug:slug>/self-assessment.csv", views.results_csv, name="results_csv"),
    path(
        "partnerships/<slug:slug>/self-assessment/chart-<str:code>.<slug:fmt>",
        views.chart,
        name="chart",
    ),
    path("partnerships/<slug:slug>/self-assessment/districts/", views.districts, name="districts"),
]
