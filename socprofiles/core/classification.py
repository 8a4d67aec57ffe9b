"""Government Security Classifications as the platform applies them.

Local Profiles are produced at OFFICIAL so they can be shared (guide 3.13, 4.40);
OFFICIAL-SENSITIVE is allowed with a handling note. The platform is not accredited for
SECRET or TOP SECRET, so anything so marked is refused, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .exceptions import ServiceError


class Classification(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


_REFUSED = ("SECRET", "TOP SECRET", "TOP-SECRET", "TOPSECRET")

NOT_ACCREDITED_MESSAGE = (
    "This system is not accredited for {marking} material. Do not upload or type it here: "
    "handle it on a system accredited for {marking}."
)


@dataclass(frozen=True)
class Marking:
    """What a page's classification banner shows."""

    classification: Classification
    handling_note: str = ""

    @property
    def label(self) -> str:
        return str(self.classification.label)

    @property
    def css(self) -> str:
        return self.classification.value.lower()


OFFICIAL = Marking(Classification.OFFICIAL)


def classification_parse(value: str, *, handling_note: str = "") -> Marking:
    """Read a marking typed by a person or found in a file; refuse what we may not hold."""
    normalised = " ".join(value.upper().replace("_", " ").split())
    for refused in _REFUSED:
        if normalised == refused or normalised.startswith(refused + " "):
            marking = "TOP SECRET" if "TOP" in refused else "SECRET"
            raise ServiceError(
                NOT_ACCREDITED_MESSAGE.format(marking=marking), field="classification"
            )
    compact = normalised.replace(" ", "-")
    if compact in {
        "OFFICIAL-SENSITIVE",
        "OFFICIAL-SENSITIVE-PERSONAL",
        "OFFICIAL-SENSITIVE-COMMERCIAL",
    }:
        if not handling_note.strip():
            raise ServiceError(
                "OFFICIAL-SENSITIVE material needs a handling note saying who may see it and how "
                "to store it.",
                field="handling_note",
            )
        return Marking(Classification.OFFICIAL_SENSITIVE, handling_note.strip())
    if compact == "OFFICIAL":
        return Marking(Classification.OFFICIAL, handling_note.strip())
    raise ServiceError(
        f"{value!r} is not a marking this system uses: use OFFICIAL or OFFICIAL-SENSITIVE.",
        field="classification",
    )
