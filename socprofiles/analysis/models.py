"""Analysis results, cached per data version: a page never recomputes what has not
changed, and a new import (or a new version of the analysis) gives a new result."""

from __future__ import annotations

from django.db import models

from socprofiles.accounts.models import Area, Partnership


class AnalysisResult(models.Model):
    id = models.BigAutoField(primary_key=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="analysis_results"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    period_start = models.CharField(max_length=7)
    period_end = models.CharField(max_length=7)
    data_version = models.CharField(
        max_length=64, help_text="Hash of the input files, the indicator mapping and the code."
    )
    result = models.JSONField()
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "area", "period_start", "period_end", "data_version"],
                name="analysis_unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.period_start}..{self.period_end}"
