"""Reads for sharing, feedback and FOI. Each returns only what the person may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from socprofiles.profiles.models import Profile, ProfileVersion

from . import permissions
from .models import Feedback, FoiRequest, ShareRequest, ShareStatus, StandingRecipient


def share_requests_for(*, user: Any, profile: Profile) -> list[ShareRequest]:
    found = profile.share_requests.select_related(
        "recipient__organisation", "requested_by", "owner_decision_by", "approved_by", "revoked_by"
    )
    if permissions.can_see_requests(user, profile):
        return list(found)
    return []


def share_request_get(*, user: Any, profile: Profile, pk: Any) -> ShareRequest:
    found = profile.share_requests.select_related("profile__partnership").filter(pk=pk).first()
    if found is None or not permissions.can_see_requests(user, profile):
        raise Http404("No such request.")
    return found


def shared_with(*, user: Any) -> list[tuple[Profile, str, Any]]:
    """Profiles of other partnerships a person may read: by an approved grant (until when)
    or as a standing recipient."""
    rows: list[tuple[Profile, str, Any]] = []
    grants = ShareRequest.objects.filter(recipient=user, status=ShareStatus.APPROVED)
    for grant in grants.select_related("profile__partnership"):
        if grant.is_active():
            rows.append((grant.profile, "Shared with you", grant.expires_on))
    for standing in StandingRecipient.objects.filter(user=user).select_related("partnership"):
        for profile in standing.partnership.profiles.filter(versions__isnull=False).distinct():
            rows.append((profile, f"Standing copy ({standing.label})", None))
    return rows


def standing_recipients(*, profile: Profile) -> QuerySet[StandingRecipient]:
    return StandingRecipient.objects.filter(partnership=profile.partnership).select_related(
        "user__organisation"
    )


def feedback_for(*, user: Any, version: ProfileVersion) -> list[Feedback]:
    found = version.feedback.select_related("author__organisation", "answered_by")
    if permissions.can_see_all_feedback(user, version.profile):
        return list(found)
    return list(found.filter(author=user))


def feedback_get(*, user: Any, version: ProfileVersion, pk: Any) -> Feedback:
    found = version.feedback.select_related("version__profile").filter(pk=pk).first()
    if found is None or not permissions.can_see_feedback(user, found):
        raise Http404("No such feedback.")
    return found


def foi_log(*, user: Any, profile: Profile) -> list[FoiRequest]:
    if not permissions.can_keep_foi_log(user, profile):
        return []
    return list(profile.foi_requests.select_related("referred_to", "decided_by"))


def foi_get(*, user: Any, profile: Profile, pk: Any) -> FoiRequest:
    found = profile.foi_requests.filter(pk=pk).first()
    if found is None or not permissions.can_keep_foi_log(user, profile):
        raise Http404("No such FOI request.")
    return found
