from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest

from .models import (
    ApiToken,
    Area,
    Organisation,
    Partnership,
    PartnershipMembership,
    PartnershipOrganisation,
    User,
)


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = (
        "username",
        "full_name",
        "organisation",
        "vetting_level",
        "is_active",
        "is_demo",
    )
    list_filter = ("is_active", "is_superuser", "is_demo", "is_service_account", "vetting_level")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Platform",
            {
                "fields": (
                    "full_name",
                    "job_title",
                    "organisation",
                    "vetting_level",
                    "vetting_expires_on",
                    "is_demo",
                    "is_service_account",
                )
            },
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)


class MembershipInline(admin.TabularInline):
    model = PartnershipMembership
    extra = 0
    raw_id_fields = ("user",)


class PartnershipOrganisationInline(admin.TabularInline):
    model = PartnershipOrganisation
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "area", "lead_organisation", "is_active")
    search_fields = ("name", "slug")
    raw_id_fields = ("area", "police_lead", "pcc_lead", "police_contact", "council_contact")
    inlines = [PartnershipOrganisationInline, MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_digest", "last_used_at")
    search_fields = ("name", "user__username", "prefix")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are issued with `manage.py api_token_create`, which shows the key once.
        return False
