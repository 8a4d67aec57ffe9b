"""Partner data sets (the guide's 4.30-4.32 sources) and the records imported into them.

Each DataSet is a registry entry: who owns it, what it is, where it came from and under
what licence, how it is marked, who may see it and whether its owner has cleared it for
publication in a profile. Each imported file is a DataFile. Records live in typed tables
per kind; the police.uk tables are append-only fact tables loaded in bulk (ADR 0009).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from socprofiles.accounts.models import Organisation, Partnership
from socprofiles.core.classification import Classification
from socprofiles.core.models import BaseModel


class DataSetKind(models.TextChoices):
    POLICE_STREET = "police_street", "police.uk street crime"
    POLICE_OUTCOMES = "police_outcomes", "police.uk outcomes"
    POLICE_STOP_SEARCH = "police_stop_search", "police.uk stop and search"
    IMD2019_RANK = "imd2019_rank", "Indices of Deprivation 2019, File 1: IMD rank and decile"
    IMD2019_DOMAINS = "imd2019_domains", "Indices of Deprivation 2019, File 2: domains"
    IMD2019_POPULATION = "imd2019_population", "Indices of Deprivation 2019, File 6: population"
    CENSUS2011_POPULATION = "census2011_population", "2011 Census LSOA population and households"
    LSOA_BOUNDARIES = "lsoa_boundaries", "LSOA 2011 boundaries"
    WARD_BOUNDARIES = "ward_boundaries", "Ward boundaries"
    LA_BOUNDARIES = "la_boundaries", "Local authority boundaries"
    FEED = "feed", "Partner feed (declarative mapping)"


class Visibility(models.TextChoices):
    PARTNERSHIP = "partnership", "All members of the partnership"
    CONTRIBUTORS = (
        "contributors",
        "The partnership's owners and authors, and the owning organisation",
    )
    OWNING_ORGANISATION = (
        "owning_organisation",
        "Only the owning organisation (and the profile owner)",
    )


class Clearance(models.TextChoices):
    NOT_REQUESTED = "not_requested", "Not requested"
    REQUESTED = "requested", "Requested"
    CLEARED = "cleared", "Cleared for publication"
    REFUSED = "refused", "Not cleared"


class DataSet(BaseModel):
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
        help_text="Empty for public reference data every partnership may use.",
    )
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="datasets", help_text="Data owner."
    )
    kind = models.CharField(max_length=40, choices=DataSetKind.choices)
    feed = models.CharField(
        max_length=60, blank=True, help_text="The feed mapping's name, for partner feeds."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the data comes from.")
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.TextField(blank=True)
    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.OFFICIAL
    )
    handling_note = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(
        max_length=30, choices=Visibility.choices, default=Visibility.PARTNERSHIP
    )
    clearance = models.CharField(
        max_length=20, choices=Clearance.choices, default=Clearance.NOT_REQUESTED
    )
    clearance_note = models.TextField(blank=True)
    clearance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clearance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("datasets:dataset_detail", kwargs={"pk": self.pk})


class FileStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    IMPORTED = "imported", "Imported"
    ALREADY_IMPORTED = "already_imported", "Already imported"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"


class DataFile(models.Model):
    """One file given to a data set, and what became of it. Its number (a big integer, not
    a UUID) tags every record it brought, so bulk loads stay cheap."""

    id = models.BigAutoField(primary_key=True)
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    encoding = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=FileStatus.choices, default=FileStatus.QUEUED)
    message = models.TextField(blank=True)
    report = models.JSONField(default=list, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    out_of_area = models.PositiveIntegerField(default=0)
    unplaced = models.PositiveIntegerField(default=0)
    max_rejected = models.PositiveIntegerField(default=0)
    first_row_id = models.BigIntegerField(null=True, blank=True)
    last_row_id = models.BigIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("datasets:file_detail", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status not in (FileStatus.QUEUED, FileStatus.RUNNING)


# Append-only fact tables for police.uk data. Their DDL is written per database in
# migration 0002 (identity key without a B-tree, the file number filled from a
# transaction setting, BRIN index on PostgreSQL) so COPY can load them at close to raw
# speed; Django reads them but never alters them.


class StreetCrime(models.Model):
    id = models.BigAutoField(primary_key=True)
    data_file_id = models.BigIntegerField()
    crime_id = models.TextField(null=True)
    month = models.CharField(max_length=7)
    reported_by = models.TextField(null=True)
    falls_within = models.TextField(null=True)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    location = models.TextField(null=True)
    lsoa_code = models.CharField(max_length=9, null=True)
    lsoa_name = models.TextField(null=True)
    crime_type = models.TextField()
    last_outcome = models.TextField(null=True)
    context = models.TextField(null=True)

    class Meta:
        managed = False
        db_table = "datasets_streetcrime"

    def __str__(self) -> str:
        return f"StreetCrime {self.pk} of file {self.data_file_id}"


class CrimeOutcome(models.Model):
    id = models.BigAutoField(primary_key=True)
    data_file_id = models.BigIntegerField()
    crime_id = models.TextField(null=True)
    month = models.CharField(max_length=7)
    reported_by = models.TextField(null=True)
    falls_within = models.TextField(null=True)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    location = models.TextField(null=True)
    lsoa_code = models.CharField(max_length=9, null=True)
    lsoa_name = models.TextField(null=True)
    outcome_type = models.TextField()

    class Meta:
        managed = False
        db_table = "datasets_crimeoutcome"

    def __str__(self) -> str:
        return f"CrimeOutcome {self.pk} of file {self.data_file_id}"


class StopSearch(models.Model):
    id = models.BigAutoField(primary_key=True)
    data_file_id = models.BigIntegerField()
    search_type = models.TextField()
    searched_at = models.TextField(help_text="ISO 8601 date and time, as published.")
    part_of_operation = models.BooleanField(null=True)
    operation = models.TextField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    gender = models.TextField(null=True)
    age_range = models.TextField(null=True)
    self_defined_ethnicity = models.TextField(null=True)
    officer_defined_ethnicity = models.TextField(null=True)
    legislation = models.TextField(null=True)
    object_of_search = models.TextField(null=True)
    outcome = models.TextField(null=True)
    outcome_linked = models.BooleanField(null=True)
    outer_clothing_removed = models.BooleanField(null=True)
    lsoa_code = models.CharField(max_length=9, null=True)

    class Meta:
        managed = False
        db_table = "datasets_stopsearch"

    def __str__(self) -> str:
        return f"StopSearch {self.pk} of file {self.data_file_id}"


# Reference tables by LSOA (smaller; loaded through the ORM). ------------------------


class LsoaRecord(models.Model):
    id = models.BigAutoField(primary_key=True)
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    data_file = models.ForeignKey(DataFile, on_delete=models.CASCADE, related_name="+")
    lsoa_code = models.CharField(max_length=9)
    lsoa_name = models.CharField(max_length=100, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    lad_name = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.lsoa_name}"


class Imd2019Rank(LsoaRecord):
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "lsoa_code"], name="imd_rank_unique_lsoa")
        ]


DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "barriers", "living")


class Imd2019Domains(LsoaRecord):
    imd_rank = models.PositiveIntegerField()
    imd_decile = models.PositiveSmallIntegerField()
    income_rank = models.PositiveIntegerField()
    income_decile = models.PositiveSmallIntegerField()
    employment_rank = models.PositiveIntegerField()
    employment_decile = models.PositiveSmallIntegerField()
    education_rank = models.PositiveIntegerField()
    education_decile = models.PositiveSmallIntegerField()
    health_rank = models.PositiveIntegerField()
    health_decile = models.PositiveSmallIntegerField()
    crime_rank = models.PositiveIntegerField()
    crime_decile = models.PositiveSmallIntegerField()
    barriers_rank = models.PositiveIntegerField()
    barriers_decile = models.PositiveSmallIntegerField()
    living_rank = models.PositiveIntegerField()
    living_decile = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "lsoa_code"], name="imd_domains_unique_lsoa")
        ]


class Imd2019Population(LsoaRecord):
    total = models.PositiveIntegerField()
    children_0_15 = models.PositiveIntegerField()
    aged_16_59 = models.PositiveIntegerField()
    aged_60_plus = models.PositiveIntegerField()
    working_age = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "lsoa_code"], name="imd_population_unique_lsoa"
            )
        ]


class CensusPopulation(LsoaRecord):
    msoa_code = models.CharField(max_length=9)
    msoa_name = models.CharField(max_length=100)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    residents = models.PositiveIntegerField()
    household_residents = models.PositiveIntegerField()
    communal_residents = models.PositiveIntegerField()
    hectares = models.FloatField()
    households = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "lsoa_code"], name="census_unique_lsoa")
        ]


class BoundaryKind(models.TextChoices):
    LSOA = "lsoa", "LSOA"
    WARD = "ward", "Ward"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class Boundary(models.Model):
    """A polygon in WGS84 longitude/latitude, stored as WKB, with its bounding box and an
    interior point (for placing the area inside larger ones)."""

    id = models.BigAutoField(primary_key=True)
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    data_file = models.ForeignKey(DataFile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=BoundaryKind.choices)
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=120, blank=True)
    geometry = models.BinaryField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    point_lon = models.FloatField()
    point_lat = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "kind", "code"], name="boundary_unique_code")
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FeedRecord(models.Model):
    """A row of a partner feed, its fields as the feed mapping declares them."""

    id = models.BigAutoField(primary_key=True)
    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="feed_records")
    data_file = models.ForeignKey(DataFile, on_delete=models.CASCADE, related_name="+")
    natural_key = models.CharField(max_length=64)
    lsoa_code = models.CharField(max_length=9, blank=True)
    area_code = models.CharField(max_length=12, blank=True)
    period = models.DateField(null=True, blank=True)
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "natural_key"], name="feed_unique_key")
        ]
        indexes = [models.Index(fields=["dataset", "lsoa_code"])]

    def __str__(self) -> str:
        return f"{self.natural_key[:12]} in {self.dataset_id}"


class LsoaPlacement(models.Model):
    """Where each LSOA sits: MSOA, ward, local authority, community safety partnership and
    force area. Rebuilt from the census look-up, boundaries and the area tree; every
    record with an LSOA code is placed by joining here."""

    lsoa_code = models.CharField(max_length=9, primary_key=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    msoa_code = models.CharField(max_length=9, blank=True)
    msoa_name = models.CharField(max_length=100, blank=True)
    lad_code = models.CharField(max_length=9, blank=True, db_index=True)
    lad_name = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=120, blank=True)
    csp = models.ForeignKey(
        "accounts.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    force_area = models.ForeignKey(
        "accounts.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    point_lon = models.FloatField(null=True, blank=True)
    point_lat = models.FloatField(null=True, blank=True)
    residents = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.lsoa_code} {self.lsoa_name}"
