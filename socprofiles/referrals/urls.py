from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("partnerships/<slug:slug>/referrals/", views.referral_list, name="list"),
    path("partnerships/<slug:slug>/referrals/new/", views.referral_new, name="new"),
    path("partnerships/<slug:slug>/referrals.csv", views.referral_export, name="export"),
    path("partnerships/<slug:slug>/referrals/counts/", views.referral_counts, name="counts"),
    path(
        "partnerships/<slug:slug>/referrals/counts.csv",
        views.referral_counts_csv,
        name="counts_csv",
    ),
    path("referrals/<uuid:pk>/", views.referral_detail, name="detail"),
    path("referrals/<uuid:pk>/triage/", views.referral_triage, name="triage"),
    path("referrals/<uuid:pk>/assign/", views.referral_assign, name="assign"),
    path("referrals/<uuid:pk>/close/", views.referral_close, name="close"),
]
