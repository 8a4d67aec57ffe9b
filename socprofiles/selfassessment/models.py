"""What the public self-assessment keeps: nothing about a person. A completed assessment
leaves one aggregate row (the segment, the scoring model's version, the postcode district
if the respondent gave one, and the date) and nothing else; the answers themselves live
only in a signed cookie in the respondent's browser until they submit (state.py).

A partnership lists the postcode districts it covers, each with the local authority most
of it lies in, so results can be counted by district, by local authority and for the
partnership (the platform has no postcode look-up; see docs/how-to/self-assessment.md)."""

from __future__ import annotations

import uuid

from django.db import models

from socprofiles.accounts.models import Area, Partnership
from socprofiles.core.models import BaseModel


class Result(models.Model):
    """One completed self-assessment, as an aggregate. Deliberately not a BaseModel: no
    creation time (only the date), no user, and a random key, so a row cannot be matched
    to a visit in a web server's log by its time or order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    segment = models.CharField(max_length=40)
    model = models.CharField(max_length=60, help_text="The scoring model, name@version.")
    postcode_district = models.CharField(
        max_length=4, blank=True, help_text="The outward part of a postcode, such as DH1."
    )
    completed_on = models.DateField()

    class Meta:
        ordering = ["completed_on"]
        indexes = [models.Index(fields=["postcode_district", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.segment} ({self.postcode_district or 'no district'})"


class PostcodeDistrict(BaseModel):
    """A postcode district the partnership covers, and the local authority it is counted
    in (the one most of the district lies in: districts cross boundaries)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="postcode_districts"
    )
    district = models.CharField(max_length=4)
    local_authority = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["district"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "district"], name="selfassessment_district_unique"
            )
        ]

    def __str__(self) -> str:
        return self.district
