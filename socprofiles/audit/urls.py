from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("partnerships/<slug:slug>/audit/", views.partnership_audit, name="partnership_audit"),
    path(
        "partnerships/<slug:slug>/audit.csv",
        views.partnership_audit_csv,
        name="partnership_audit_csv",
    ),
]
