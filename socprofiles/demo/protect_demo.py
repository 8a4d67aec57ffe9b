"""Fictional Protect and Prevent data for the demo: the postcode districts the County
Durham and Darlington partnership covers (each under the local authority most of it lies
in), about 300 self-assessment results across them, and twelve partner referrals from
submitted to closed. Every result and referral is invented (fixed seed); the people in
the referrals are described, never named; any resemblance is chance.

Results and referrals are dated within the demo profile's period, so a review of the
profile shows them in its Protect and Prevent section."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

# Districts mainly in each local authority of the force area. DH4 and DH5 (mostly
# Sunderland) and DL6 to DL11 (North Yorkshire) are left out.
DISTRICTS = {
    "E06000047": ["DH1", "DH2", "DH3", "DH6", "DH7", "DH8", "DH9", "DL4", "DL5", "DL12", "DL13",
                  "DL14", "DL15", "DL16", "DL17"],  # County Durham
    "E06000005": ["DL1", "DL2", "DL3"],  # Darlington
}  # fmt: skip
# Fictional shares of each segment (per cent), a little different in each local authority.
SEGMENT_WEIGHTS = {
    "E06000047": {"already_protected": 7, "confident_careful": 13, "aware_inconsistent": 15,
                  "careful_unaware": 12, "over_confident": 12, "worried_unprotected": 14,
                  "isolated_at_risk": 12, "unaware": 15},
    "E06000005": {"already_protected": 10, "confident_careful": 16, "aware_inconsistent": 17,
                  "careful_unaware": 11, "over_confident": 14, "worried_unprotected": 11,
                  "isolated_at_risk": 8, "unaware": 13},
}  # fmt: skip
RESULTS = 300
NO_DISTRICT_SHARE = 0.08
MODEL = "fraud_cyber@1"

FICTIONAL = " (Fictional, for the demonstration.)"
# (referrer, category, where, description, tactical changes, then what became of it:
#  status, owning agency slug, route, outcome)
REFERRALS: list[tuple[str, str, str, str, dict[str, float], str, str, str, str]] = [
    ("durham.council", "exploitation", "DL1",
     "A 14-year-old boy, excluded from school, has been seen getting into different cars near "
     "the station late at night and now has new clothes and two phones.",
     {"physical": 4, "victim_vulnerability": 4}, "closed", "darlington-borough-council",
     "children_safeguarding", "diverted"),
    ("durham.nhs", "fraud_victim", "DH7",
     "A man in his eighties attending clinic says he sends money to a 'friend' he met online "
     "who needs help with a medical bill abroad; he has taken out a loan to do it.",
     {"financial": 8, "victim_vulnerability": 4}, "closed", "durham-constabulary",
     "op_signature", "safeguarded"),
    ("durham.tradingstandards", "fraud_victim", "DH9",
     "An elderly woman living alone has had three doorstep callers this month quoting for "
     "roof repairs; she paid a cash deposit and they did not come back.",
     {"financial": 4, "victim_vulnerability": 3}, "assigned", "durham-trading-standards",
     "trading_standards", ""),
    ("durham.hmrc", "business", "DL14",
     "A hand car wash pays its workers in cash; several appear to live on site and do not "
     "speak to customers.",
     {"physical": 2, "community": 2}, "assigned", "glaa", "police_investigation", ""),
    ("durham.fire", "premises", "DH1",
     "During a home fire safety visit, crews found a flat with many mattresses, covered "
     "windows and a smell of cannabis; the tenant seemed frightened.",
     {"community": 4}, "closed", "durham-constabulary", "police_investigation", "disrupted"),
    ("darlington.council", "premises", "DL3",
     "Housing officers report a tenant with learning disabilities whose flat is used by "
     "visitors from outside the area; neighbours report callers at all hours.",
     {"victim_vulnerability": 4}, "triaged", "", "", ""),
    ("durham.police.contact", "exploitation", "DH6",
     "A 16-year-old reported missing three times this month has each time been found in a "
     "different town with older associates.",
     {"physical": 4, "psychological": 4, "victim_vulnerability": 4}, "assigned",
     "durham-county-council", "children_safeguarding", ""),
    ("durham.council", "exploitation", "DL5",
     "A young man with a learning disability has been befriended by a group who now use his "
     "bank account; he says he 'owes them'.",
     {"financial": 4, "victim_vulnerability": 4}, "closed", "durham-county-council",
     "adult_safeguarding", "safeguarded"),
    ("durham.nhs", "fraud_victim", "DL1",
     "A patient in her seventies was told by a caller claiming to be her bank to move her "
     "savings to a 'safe account'; she has moved several thousand pounds.",
     {"financial": 8}, "triaged", "", "", ""),
    ("durham.tradingstandards", "business", "DH1",
     "A shop sells vapes and tobacco far below market price, takes cash only and receives "
     "stock from unmarked vans late in the evening.",
     {}, "submitted", "", "", ""),
    ("durham.hmrc", "fraud_victim", "DH8",
     "A man in his sixties is being pressed to put more into an online investment scheme he "
     "saw advertised on social media and has remortgaged his home.",
     {}, "submitted", "", "", ""),
    ("darlington.council", "premises", "DL1",
     "An empty shop unit has its windows covered and night-time deliveries; a resident fears "
     "it is being used to grow cannabis.",
     {}, "submitted", "", "", ""),
]  # fmt: skip
BASE_TACTICAL = {
    "physical": 1, "psychological": 2, "financial": 2, "community": 1, "environment": 0,
    "geographic_scope": 0, "victim_vulnerability": 2, "confidence": 2,
}  # fmt: skip


def _period(partnership: Any) -> tuple[dt.date, dt.date]:
    """The demo profile's period, or the last five months if there is no profile."""
    from socprofiles.profiles.models import Profile
    from socprofiles.profiles.selectors import month_end

    from . import fixtures

    profile = Profile.objects.filter(partnership=partnership, title=fixtures.PROFILE_TITLE).first()
    if profile is not None:
        return dt.date.fromisoformat(f"{profile.period_start}-01"), month_end(profile.period_end)
    today = timezone.localdate()
    return today - dt.timedelta(days=150), today


def load_self_assessment(partnership: Any, seed: int = 2027) -> int:
    """The partnership's districts and fictional results; 0 if the districts are there."""
    from socprofiles.accounts.models import Area, AreaKind
    from socprofiles.selfassessment import services
    from socprofiles.selfassessment.models import PostcodeDistrict, Result

    if PostcodeDistrict.objects.filter(partnership=partnership).exists():
        return 0
    authorities = {
        a.code: a
        for a in Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, code__in=list(DISTRICTS))
    }
    services.districts_set(
        actor=None, partnership=partnership,
        assignments=[(d, authorities.get(code)) for code, ds in DISTRICTS.items() for d in ds],
    )  # fmt: skip
    rng = random.Random(seed)
    start, end = _period(partnership)
    days = (end - start).days
    places = [(code, d) for code, ds in DISTRICTS.items() for d in ds]
    weights = [3 if d in ("DH1", "DL1", "DL3", "DH9", "DL14") else 1 for _c, d in places]
    rows = []
    for _ in range(RESULTS):
        code, district = rng.choices(places, weights=weights)[0]
        segments = SEGMENT_WEIGHTS[code]
        segment = rng.choices(list(segments), weights=list(segments.values()))[0]
        rows.append(Result(
            segment=segment, model=MODEL,
            postcode_district="" if rng.random() < NO_DISTRICT_SHARE else district,
            completed_on=start + dt.timedelta(days=rng.randrange(days + 1)),
        ))  # fmt: skip
    Result.objects.bulk_create(rows)
    return len(rows)


def load_referrals(partnership: Any) -> int:
    """Twelve fictional referrals, from submitted to closed; 0 if any are there."""
    from socprofiles.accounts.models import Organisation, User
    from socprofiles.referrals import services
    from socprofiles.referrals.models import Referral

    if Referral.objects.filter(partnership=partnership).exists():
        return 0
    coordinator = User.objects.get(username="durham.analyst")
    start, end = _period(partnership)
    step = max(1, (end - start).days // (len(REFERRALS) + 1))
    for number, row in enumerate(REFERRALS):
        username, category, where, text, changes, status, agency, route, outcome = row
        referral = services.referral_submit(
            actor=User.objects.get(username=username), partnership=partnership,
            category=category, where=where, description=text + FICTIONAL,
        )  # fmt: skip
        received = start + dt.timedelta(days=step * number)
        if status != "submitted":
            services.referral_triage(
                actor=coordinator, referral=referral, answers={**BASE_TACTICAL, **changes},
                notes="Checked against police and council systems." + FICTIONAL,
            )  # fmt: skip
        if agency:
            services.referral_assign(
                actor=coordinator, referral=referral,
                owner_agency=Organisation.objects.get(slug=agency), route=route,
            )  # fmt: skip
        if status == "closed":
            services.referral_close(
                actor=coordinator, referral=referral, outcome=outcome,
                closed_on=min(received + dt.timedelta(days=21), end),
                notes="Closed at the partnership's tasking meeting." + FICTIONAL,
            )  # fmt: skip
        # Dated within the profile's period (the services stamp today).
        moment = timezone.make_aware(dt.datetime.combine(received, dt.time(10, 30)))
        Referral.objects.filter(pk=referral.pk).update(
            created_at=moment,
            triaged_at=moment + dt.timedelta(days=2) if status != "submitted" else None,
            assigned_at=moment + dt.timedelta(days=3) if agency else None,
        )
    return len(REFERRALS)
