from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("profiles/shared/", views.shared_with_me, name="shared_with_me"),
    path("profiles/<uuid:pk>/sharing/", views.sharing, name="sharing"),
    path(
        "profiles/<uuid:pk>/sharing/<uuid:request_pk>/<slug:step>/",
        views.share_step,
        name="share_step",
    ),
    path("profiles/<uuid:pk>/standing/", views.standing_add, name="standing_add"),
    path(
        "profiles/<uuid:pk>/standing/<uuid:standing_pk>/remove/",
        views.standing_remove,
        name="standing_remove",
    ),
    path("profiles/<uuid:pk>/versions/<int:number>/feedback/", views.feedback, name="feedback"),
    path(
        "profiles/<uuid:pk>/versions/<int:number>/feedback/<uuid:feedback_pk>/answer/",
        views.feedback_answer,
        name="feedback_answer",
    ),
    path("profiles/<uuid:pk>/foi/", views.foi, name="foi"),
    path("profiles/<uuid:pk>/foi/<uuid:foi_pk>/decide/", views.foi_decide, name="foi_decide"),
]
