from django.urls import path

from . import views

app_name = "datasets"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/datasets/",
        views.partnership_datasets,
        name="partnership_datasets",
    ),
    path("partnerships/<slug:slug>/datasets/new/", views.dataset_create, name="dataset_create"),
    path("datasets/<uuid:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<uuid:pk>/edit/", views.dataset_edit, name="dataset_edit"),
    path("datasets/<uuid:pk>/upload/", views.dataset_upload, name="dataset_upload"),
    path(
        "datasets/<uuid:pk>/clearance/request/",
        views.clearance_request,
        name="clearance_request",
    ),
    path(
        "datasets/<uuid:pk>/clearance/decision/",
        views.clearance_decide,
        name="clearance_decide",
    ),
    path("datasets/files/<int:pk>/", views.file_detail, name="file_detail"),
    path("datasets/files/<int:pk>/progress/", views.file_progress, name="file_progress"),
    path("datasets/files/<int:pk>/delete/", views.file_delete, name="file_delete"),
    path("reference-data/", views.reference_data, name="reference_data"),
    path("feeds/", views.feed_list, name="feed_list"),
]
