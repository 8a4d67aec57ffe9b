from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "socprofiles.core"
    label = "core"
    verbose_name = "Core"


class PlatformAdminConfig(admin_apps.AdminConfig):
    """Django admin with our site class: platform administrators only."""

    default = False
    default_site = "socprofiles.core.admin_site.PlatformAdminSite"
