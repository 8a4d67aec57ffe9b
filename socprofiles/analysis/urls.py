from django.urls import path

from . import views

app_name = "analysis"

urlpatterns = [
    path("partnerships/<slug:slug>/analysis/", views.analysis, name="analysis"),
    path(
        "partnerships/<slug:slug>/analysis/<int:pk>/figures/<slug:name>.<slug:fmt>",
        views.figure,
        name="figure",
    ),
    path(
        "partnerships/<slug:slug>/analysis/<int:pk>/map.geojson",
        views.hotspots_map_data,
        name="map_data",
    ),
]
