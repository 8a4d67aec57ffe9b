"""People, the organisations they work for, the areas partnerships cover, and partnerships.

The roles follow the guide (seed 003): a police lead who owns the Local Profile, a PCC lead,
points of contact in the policing team and the local authority (4.29), and partnership
members with a role that decides what they may read and do.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse

from socprofiles.core.models import BaseModel


class OrganisationKind(models.TextChoices):
    """Kinds of partner, after the GAIN partner list (seed 000) and the guide (4.19-4.24)."""

    POLICE_FORCE = "police_force", "Police force"
    NCA = "nca", "National Crime Agency"
    ROCU = "rocu", "Regional Organised Crime Unit"
    PCC_OFFICE = "pcc_office", "Police and Crime Commissioner's office"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HMRC = "hmrc", "HM Revenue and Customs"
    DWP = "dwp", "Department for Work and Pensions"
    HOME_OFFICE = "home_office", "Home Office (Immigration Enforcement, Border Force)"
    DEPARTMENT_FOR_BUSINESS = "department_for_business", "Department for Business and Trade"
    IPO = "ipo", "Intellectual Property Office"
    DVLA = "dvla", "Driver and Vehicle Licensing Agency"
    DVSA = "dvsa", "Driver and Vehicle Standards Agency"
    GLAA = "glaa", "Gangmasters and Labour Abuse Authority"
    GAMBLING_COMMISSION = "gambling_commission", "Gambling Commission"
    ENVIRONMENT_AGENCY = "environment_agency", "Environment Agency"
    CHARITY_COMMISSION = "charity_commission", "Charity Commission"
    TRADING_STANDARDS = "trading_standards", "Trading Standards"
    MHRA = "mhra", "Medicines and Healthcare products Regulatory Agency"
    FOOD_STANDARDS_AGENCY = "food_standards_agency", "Food Standards Agency"
    ILLEGAL_MONEY_LENDING = "illegal_money_lending", "Illegal Money Lending Team"
    ACRO = "acro", "ACRO Criminal Records Office"
    SIA = "sia", "Security Industry Authority"
    HSE = "hse", "Health and Safety Executive"
    NHS = "nhs", "NHS and health"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue service"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation service"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    OTHER = "other", "Other"


class VettingLevel(models.TextChoices):
    """National security vetting and police vetting levels, lowest first."""

    NONE = "none", "None recorded"
    BPSS = "bpss", "Baseline Personnel Security Standard (BPSS)"
    NPPV1 = "nppv1", "Non-Police Personnel Vetting level 1"
    RV = "rv", "Recruitment Vetting (police)"
    NPPV2 = "nppv2", "Non-Police Personnel Vetting level 2"
    CTC = "ctc", "Counter-Terrorist Check (CTC)"
    NPPV3 = "nppv3", "Non-Police Personnel Vetting level 3"
    MV = "mv", "Management Vetting (police)"
    SC = "sc", "Security Check (SC)"
    DV = "dv", "Developed Vetting (DV)"


class AreaKind(models.TextChoices):
    FORCE_AREA = "force_area", "Police force area"
    BCU = "bcu", "Basic command unit"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    CSP = "csp", "Community safety partnership"
    WARD = "ward", "Electoral ward"
    MSOA = "msoa", "Middle layer super output area"
    LSOA = "lsoa", "Lower layer super output area"
    CUSTOM = "custom", "Custom area"


class Area(BaseModel):
    """A geography a partnership covers or data is summarised by. Codes are the official
    ONS (or force) codes; a custom area has none. Parent/child forms the area hierarchy."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=AreaKind.choices)
    code = models.CharField(
        max_length=32, blank=True, help_text="Official ONS or force code, e.g. E06000047."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=~Q(code=""), name="area_unique_kind_code"
            )
        ]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("accounts:area_detail", kwargs={"pk": self.pk})


class Organisation(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=40, choices=OrganisationKind.choices)
    code = models.CharField(
        max_length=32, blank=True, help_text="An official code where one exists (ONS, force)."
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="The area the organisation serves, where it is local.",
    )
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation_detail", kwargs={"slug": self.slug})


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    full_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="The organisation the person works for.",
    )
    vetting_level = models.CharField(
        max_length=16, choices=VettingLevel.choices, default=VettingLevel.NONE
    )
    vetting_expires_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(
        default=False,
        help_text="A fictional demo account: may log in only while demo log-ins are enabled "
        "(DEBUG), and is then exempt from two-factor authentication.",
    )
    is_service_account = models.BooleanField(
        default=False,
        help_text="A machine account that uses API tokens and never logs in interactively.",
    )

    class Meta:
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class PartnershipRole(models.TextChoices):
    """What a person may do in a partnership. Owner: the Local Profile owner (police lead,
    guide 4.9) and anyone they delegate management to. Author: analysts who write the
    profile. Member: partnership members. Reader: read-only readers such as oversight."""

    OWNER = "owner", "Owner"
    AUTHOR = "author", "Author"
    MEMBER = "member", "Member"
    READER = "reader", "Reader"


class Partnership(BaseModel):
    """A local multi-agency SOC partnership (guide 4.3-4.6) covering an area."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="partnerships")
    description = models.TextField(blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        help_text="The police force that commissions and owns the Local Profile (guide 4.9).",
    )
    organisations: models.ManyToManyField[Organisation, PartnershipOrganisation] = (
        models.ManyToManyField(
            Organisation, through="PartnershipOrganisation", related_name="partnerships"
        )
    )
    police_lead = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The senior police lead who owns the Local Profile (guide 4.9).",
    )
    pcc_lead = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Police and Crime Commissioner's lead (guide 4.13-4.15).",
    )
    police_contact = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Point of contact in the policing team (guide 4.29).",
    )
    council_contact = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Point of contact in the local authority (guide 4.29).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:partnership_detail", kwargs={"slug": self.slug})


class PartnershipOrganisation(BaseModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="member_organisations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnership_links"
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class PartnershipMembership(BaseModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=PartnershipRole.choices)

    class Meta:
        ordering = ["partnership__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="partnership_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.partnership}"


class ApiToken(BaseModel):
    """A bearer token for a service account. Only a SHA-256 digest of the key is stored;
    the key itself is shown once, when the token is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, help_text="The key's public start, to recognise it.")
    key_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
