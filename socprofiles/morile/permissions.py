"""Who may do what in a MoRiLE assessment. Deny by default.

Any member of the partnership (readers too) sees the assessment and its agreed results.
Owners and authors run it: the list of issues, the scorers, the stages, the agreed scores
and the shortlist. Invited scorers (never readers) score while scoring is open, alone:
nobody sees another's scores until the consensus step, when the organisers and the
scorers see them all.
"""

from __future__ import annotations

from typing import Any

from socprofiles.accounts.models import PartnershipRole
from socprofiles.accounts.permissions import CONTRIBUTOR_ROLES, partnership_role

from .models import Assessment, Stage


def can_view_assessment(user: Any, assessment: Assessment) -> bool:
    return partnership_role(user, assessment.partnership) is not None


def can_manage_assessment(user: Any, assessment: Assessment) -> bool:
    return partnership_role(user, assessment.partnership) in CONTRIBUTOR_ROLES


def is_scorer(user: Any, assessment: Assessment) -> bool:
    role = partnership_role(user, assessment.partnership)
    if role is None or role == PartnershipRole.READER:
        return False
    return assessment.scorers.filter(user=user).exists()


def can_score(user: Any, assessment: Assessment) -> bool:
    return assessment.stage == Stage.SCORING and is_scorer(user, assessment)


def can_see_everyones_scores(user: Any, assessment: Assessment) -> bool:
    if assessment.stage not in (Stage.CONSENSUS, Stage.CLOSED):
        return False
    return can_manage_assessment(user, assessment) or is_scorer(user, assessment)


def can_agree(user: Any, assessment: Assessment) -> bool:
    return assessment.stage == Stage.CONSENSUS and can_manage_assessment(user, assessment)
