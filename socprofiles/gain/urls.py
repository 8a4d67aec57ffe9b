from django.urls import path

from . import views

app_name = "gain"

urlpatterns = [
    path("gain/", views.overview, name="overview"),
    path("gain/holdings/", views.holdings, name="holdings"),
    path("gain/holdings/<uuid:pk>/", views.holding_detail, name="holding_detail"),
    path("gain/requests/", views.requests, name="requests"),
    path("gain/requests/new/", views.request_new, name="request_new"),
    path("gain/requests/<uuid:pk>/", views.request_detail, name="request_detail"),
    path("gain/disclosures/", views.disclosures, name="disclosures"),
    path("gain/disclosures/<uuid:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("gain/joint-work/", views.joint_work, name="joint_work"),
]
