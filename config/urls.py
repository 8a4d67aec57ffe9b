from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("socprofiles.core.urls")),
    path("", include("socprofiles.accounts.urls")),
    path("", include("socprofiles.audit.urls")),
    path("", include("socprofiles.datasets.urls")),
    path("", include("socprofiles.morile.urls")),
    path("", include("socprofiles.analysis.urls")),
    path("", include("socprofiles.sharing.urls")),
    path("", include("socprofiles.actions.urls")),
    path("", include("socprofiles.ocgs.urls")),
    path("", include("socprofiles.gain.urls")),
    path("", include("socprofiles.selfassessment.urls")),
    path("", include("socprofiles.referrals.urls")),
    path("", include("socprofiles.profiles.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "socprofiles.core.views.error_400"
handler403 = "socprofiles.core.views.error_403"
handler404 = "socprofiles.core.views.error_404"
handler500 = "socprofiles.core.views.error_500"
