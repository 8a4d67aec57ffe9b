"""Loads the demo partnership. Idempotent: running it again changes nothing that is
already there, so `make demo` can run it every time."""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from socprofiles.accounts import services as accounts
from socprofiles.accounts.models import (
    Area,
    AreaKind,
    Organisation,
    Partnership,
    PartnershipMembership,
    User,
)
from socprofiles.datasets import services as datasets
from socprofiles.datasets.models import Clearance, DataSet, FileStatus
from socprofiles.morile import services as morile
from socprofiles.morile.selectors import consensus, model_of

from . import fixtures

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"

Say = Callable[[str], None]


def _area(kind: str, code: str, name: str, parent: Area | None) -> Area:
    lookup: dict[str, Any] = {"kind": kind, "code": code} if code else {"kind": kind, "name": name}
    area, _ = Area.objects.update_or_create(**lookup, defaults={"name": name, "parent": parent})
    return area


def _census_rows() -> list[dict[str, str]]:
    """The shipped cut of the 2011 Census look-up, in its published (positional) layout."""
    with gzip.open(
        DATA_DIR / "census_2011_population_durham.csv.gz", "rt", encoding="utf-8"
    ) as handle:
        reader = csv.reader(handle)
        next(reader)
        return [
            {
                "lad_code": r[2],
                "lad_name": r[3].removesuffix(" UA"),
                "msoa_code": r[4],
                "msoa_name": r[5],
                "lsoa_code": r[6],
                "lsoa_name": r[7],
            }
            for r in reader
        ]


def load_areas(say: Say) -> None:
    code, name = fixtures.DURHAM_FORCE_AREA
    force = _area(AreaKind.FORCE_AREA, code, name, None)
    rows = _census_rows()
    existing = set(Area.objects.filter(kind=AreaKind.LSOA).values_list("code", flat=True))
    lads: dict[str, Area] = {}
    msoas: dict[str, Area] = {}
    new_lsoas = []
    for row in rows:
        lad = lads.get(row["lad_code"])
        if lad is None:
            lad = lads[row["lad_code"]] = _area(
                AreaKind.LOCAL_AUTHORITY, row["lad_code"], row["lad_name"], force
            )
        msoa = msoas.get(row["msoa_code"])
        if msoa is None:
            msoa = msoas[row["msoa_code"]] = _area(
                AreaKind.MSOA, row["msoa_code"], row["msoa_name"], lad
            )
        if row["lsoa_code"] not in existing:
            new_lsoas.append(
                Area(kind=AreaKind.LSOA, code=row["lsoa_code"], name=row["lsoa_name"], parent=msoa)
            )
    Area.objects.bulk_create(new_lsoas)
    for csp_name, lad_code in fixtures.DURHAM_CSPS:
        _area(AreaKind.CSP, "", csp_name, lads[lad_code])
    north_code, north_name = fixtures.NORTHUMBRIA_FORCE_AREA
    northumbria = _area(AreaKind.FORCE_AREA, north_code, north_name, None)
    for lad_code, lad_name in fixtures.NORTHUMBRIA_LADS:
        _area(AreaKind.LOCAL_AUTHORITY, lad_code, lad_name, northumbria)
    say(f"areas: 2 force areas, {len(lads) + 6} local authorities, {len(rows)} LSOAs")


def load_organisations(say: Say) -> None:
    for spec in fixtures.ORGANISATIONS:
        area = Area.objects.filter(code=spec.area_code).first() if spec.area_code else None
        Organisation.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "short_name": spec.short_name,
                "code": spec.code,
                "area": area,
                "website": spec.website,
            },
        )
    say(f"organisations: {len(fixtures.ORGANISATIONS)}")


def load_people(say: Say) -> None:
    created = 0
    for person in fixtures.PEOPLE:
        if User.objects.filter(username=person.username).exists():
            continue
        organisation = (
            Organisation.objects.get(slug=person.organisation) if person.organisation else None
        )
        accounts.user_create(
            username=person.username,
            full_name=person.full_name,
            email=f"{person.username}@demo.invalid",
            organisation=organisation,
            job_title=person.job_title,
            vetting_level=person.vetting,
            password=fixtures.DEMO_PASSWORD,
            is_demo=True,
            is_superuser=person.superuser,
        )
        created += 1
    say(f"people: {len(fixtures.PEOPLE)} fictional ({created} new)")


def _partnership(
    slug: str, name: str, area_code: str, lead_slug: str, owner_username: str, description: str
) -> Partnership:
    partnership = Partnership.objects.filter(slug=slug).first()
    if partnership is None:
        partnership = accounts.partnership_create(
            actor=None,
            name=name,
            slug=slug,
            area=Area.objects.get(kind=AreaKind.FORCE_AREA, code=area_code),
            lead_organisation=Organisation.objects.get(slug=lead_slug),
            owner=User.objects.get(username=owner_username),
            description=description,
        )
    return partnership


def load_partnerships(say: Say) -> None:
    durham = _partnership(
        fixtures.DEMO_SLUG,
        "County Durham and Darlington SOC Partnership",
        fixtures.DURHAM_FORCE_AREA[0],
        "durham-constabulary",
        "durham.owner",
        "The multi-agency partnership that tackles serious and organised crime across County "
        "Durham and Darlington, through the Safe Durham Partnership and Darlington's community "
        "safety partnership. (Demonstration: the people are fictional.)",
    )
    for slug in fixtures.DURHAM_MEMBER_ORGS:
        accounts.partnership_organisation_add(
            actor=None, partnership=durham, organisation=Organisation.objects.get(slug=slug)
        )
    northumbria = _partnership(
        fixtures.OTHER_SLUG,
        "Northumbria SOC Partnership",
        fixtures.NORTHUMBRIA_FORCE_AREA[0],
        "northumbria-police",
        "northumbria.owner",
        "A neighbouring partnership, present in the demonstration to show that partnerships "
        "cannot see each other's information.",
    )
    by_slug = {durham.slug: durham, northumbria.slug: northumbria}
    for person in fixtures.PEOPLE:
        if person.role is None:
            continue
        partnership = by_slug[person.partnership]
        user = User.objects.get(username=person.username)
        if not PartnershipMembership.objects.filter(partnership=partnership, user=user).exists():
            accounts.membership_add(
                actor=None, partnership=partnership, user=user, role=person.role
            )
    accounts.partnership_set_positions(
        actor=None,
        partnership=durham,
        positions={
            position: User.objects.get(username=username)
            for position, username in fixtures.POSITIONS.items()
        },
    )
    say(
        f"partnerships: {durham.slug} ({durham.memberships.count()} members, "
        f"{durham.member_organisations.count()} organisations), {northumbria.slug}"
    )


def _import(dataset: DataSet, paths: list[Path]) -> None:
    """Import shipped files this data set does not have yet (by content), as one batch."""
    have = set(dataset.files.filter(status=FileStatus.IMPORTED).values_list("sha256", flat=True))
    todo = [p for p in paths if hashlib.sha256(p.read_bytes()).hexdigest() not in have]
    data_files = [
        datasets.data_file_register(
            actor=None, dataset=dataset, path=path, original_name=path.name, keep_in_place=True
        )
        for path in todo
    ]
    datasets.data_file_import_many(data_files=data_files)
    for data_file in data_files:
        data_file.refresh_from_db()
        if data_file.status != FileStatus.IMPORTED:
            raise RuntimeError(f"The demo file {data_file} did not import: {data_file.message}")


def _dataset(partnership: Partnership | None, owner_slug: str, kind: str, **fields: str) -> DataSet:
    owner = Organisation.objects.get(slug=owner_slug)
    existing = DataSet.objects.filter(partnership=partnership, owner=owner, kind=kind).first()
    if existing is not None:
        return existing
    return datasets.dataset_create(
        actor=None,
        partnership=partnership,
        owner=owner,
        kind=kind,
        **fields,  # type: ignore[arg-type]
    )


OGL = "Open Government Licence v3.0"
OGL_TEXT = "Contains public sector information licensed under the Open Government Licence v3.0."
ONS_TEXT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)


_AREA = "(County Durham and Darlington)"
_IOD = "Ministry of Housing, Communities and Local Government, English Indices of Deprivation 2019"

# owner, kind, shipped file, title, source, attribution
REFERENCE = [
    ("ons", "census2011_population", "census_2011_population_durham.csv.gz",
     f"2011 Census: LSOA population and households {_AREA}",
     "Office for National Statistics, 2011 Census", ONS_TEXT),
    ("mhclg", "imd2019_rank", "File_1_-_IMD2019_Index_of_Multiple_Deprivation_durham.csv.gz",
     f"English Indices of Deprivation 2019, File 1: IMD rank and decile {_AREA}", _IOD, OGL_TEXT),
    ("mhclg", "imd2019_domains", "File_2_-_IoD2019_Domains_of_Deprivation_durham.csv.gz",
     f"English Indices of Deprivation 2019, File 2: domains {_AREA}", _IOD, OGL_TEXT),
    ("mhclg", "imd2019_population", "File_6_-_IoD2019_Population_Denominators_durham.csv.gz",
     f"English Indices of Deprivation 2019, File 6: population {_AREA}", _IOD, OGL_TEXT),
    ("ons", "lsoa_boundaries", "lsoa_boundaries_durham.geojson.gz",
     f"LSOA boundaries, December 2011, super generalised {_AREA}",
     "Office for National Statistics, Open Geography Portal", ONS_TEXT),
]  # fmt: skip


def load_datasets(say: Say) -> None:
    """Reference data for the force area and the force's 2022 street crime, imported with
    the real importers from the shipped files."""
    for owner, kind, name, title, source, attribution in REFERENCE:
        dataset = _dataset(
            None, owner, kind, title=title, source=source, licence=OGL, attribution=attribution
        )
        _import(dataset, [DATA_DIR / name])
    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    street = _dataset(
        durham,
        "durham-constabulary",
        "police_street",
        title="Durham Constabulary street-level crime, January to November 2022",
        description="Police recorded crime and anti-social behaviour, as published on "
        "data.police.uk.",
        source="data.police.uk",
        licence=OGL,
        attribution=OGL_TEXT,
    )
    _import(street, sorted((DATA_DIR / "police_uk").glob("*.csv.gz")))
    if street.clearance != Clearance.CLEARED:
        street.clearance = Clearance.CLEARED
        street.clearance_note = "Published open data (data.police.uk)."
        street.save(update_fields=["clearance", "clearance_note"])
    datasets.placement_refresh()
    rows = sum(f.imported for f in street.files.filter(status=FileStatus.IMPORTED))
    say(f"data sets: census, deprivation, LSOA boundaries, street crime ({rows:,} records)")


FICTIONAL = (
    "Fictional, made up for the demonstration by the platform's demo loader: no real group, "
    "person or referral is described."
)


RESPONDERS = ["Durham Constabulary", "Durham County Council", "Darlington Borough Council"]


def _fictional_feeds(codes: list[str]) -> dict[str, str]:
    """CSV texts for three partner feeds, made up with a fixed seed (so reloading changes
    nothing): an OCG mapping extract, NRM referrals and fraud reports by local authority."""
    import random

    rng = random.Random(2027)
    markets = ["Drugs", "Firearms", "Money laundering", "Modern slavery", "Acquisitive crime",
               "Fraud", "Cannabis cultivation"]  # fmt: skip
    ocg = [
        "OCG reference,OCG name,Member reference,Role,Crime markets,Band,Status,LSOA code,"
        "Date mapped"
    ]
    member = 0
    for group in range(1, 10):
        chosen = rng.sample(markets, rng.choice([1, 2, 2, 3]))
        if "Drugs" not in chosen and rng.random() < 0.6:
            chosen.append("Drugs")
        home = rng.choice(codes)
        for role in ["Principal", *rng.sample(["Significant", "Member", "Member", "Associate",
                                               "Facilitator"], rng.randint(2, 4))]:  # fmt: skip
            member += 1
            ocg.append(
                f"DUR-OCG-{group:02d},Operation demo {group},N{member:04d},{role},"
                f"{'; '.join(chosen)},{rng.choice(['1A', '1B', '2A', '2B', '3C'])},Active,"
                f"{home},2022-{rng.randint(1, 11):02d}-01"
            )
    nrm = ["Referral reference,Referral date,Exploitation type,Age group,LSOA code,First responder"]
    kinds = ["Criminal"] * 9 + ["Labour"] * 5 + ["Sexual"] * 4 + ["Domestic servitude"] * 2
    for number in range(1, 61):
        nrm.append(
            f"NRM-DEMO-{number:03d},2022-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d},"
            f"{rng.choice(kinds)},{rng.choice(['Adult', 'Adult', 'Child'])},{rng.choice(codes)},"
            f"{rng.choice(RESPONDERS)}"
        )
    fraud = ["Area code,Area name,Indicator,Period,Value,Unit"]
    for code, name, mean in (("E06000047", "County Durham", 110), ("E06000005", "Darlington", 40)):
        for month in range(1, 12):
            value = max(0, round(rng.gauss(mean, mean**0.5)))
            fraud.append(f"{code},{name},Fraud reports,2022-{month:02d}-01,{value},reports")
    return {"ocg_mapping": "\n".join(ocg), "nrm_referrals": "\n".join(nrm),
            "counts_by_area": "\n".join(fraud)}  # fmt: skip


def load_partner_feeds(say: Say) -> None:
    """Three fictional partner feeds, imported with the real importers, so the threat
    picture can show what police.uk cannot: OCGs and their markets, NRM referrals, fraud."""
    import tempfile

    from socprofiles.datasets.selectors import partnership_lsoa_codes

    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    codes = sorted(partnership_lsoa_codes(partnership=durham, fresh=True))
    texts = _fictional_feeds(codes)
    owners = {"ocg_mapping": "durham-constabulary", "nrm_referrals": "home-office-ie",
              "counts_by_area": "durham-trading-standards"}  # fmt: skip
    titles = {
        "ocg_mapping": "OCG mapping extract, 2022 (fictional)",
        "nrm_referrals": "National Referral Mechanism referrals, 2022 (fictional)",
        "counts_by_area": "Fraud reports by local authority, 2022 (fictional)",
    }
    with tempfile.TemporaryDirectory() as folder:
        for feed, text in texts.items():
            dataset = DataSet.objects.filter(partnership=durham, kind="feed", feed=feed).first()
            if dataset is None:
                dataset = datasets.dataset_create(
                    actor=None, partnership=durham,
                    owner=Organisation.objects.get(slug=owners[feed]),
                    kind="feed", feed=feed, title=titles[feed], description=FICTIONAL,
                    source="Demonstration data", attribution=FICTIONAL,
                )  # fmt: skip
            path = Path(folder) / f"{feed}_fictional.csv"
            path.write_text(text + "\n", encoding="utf-8")
            have = set(dataset.files.values_list("sha256", flat=True))
            if hashlib.sha256(path.read_bytes()).hexdigest() in have:
                continue
            data_file = datasets.data_file_register(
                actor=None, dataset=dataset, path=path, original_name=path.name
            )
            datasets.data_file_import_many(data_files=[data_file])
            data_file.refresh_from_db()
            if data_file.status != FileStatus.IMPORTED:
                raise RuntimeError(f"The demo feed {feed} did not import: {data_file.message}")
    say("partner feeds: OCG mapping, NRM referrals, fraud reports (fictional)")


def _nudge(levels: list[int], scorer: int, issue: int, size: int, index: int) -> int:
    """A scorer's level: the issue's, a step up or down on some factors by a fixed rule."""
    step = ((scorer * 7 + issue * 3 + index * 5) % 9) - 4  # -4..4
    level = levels[index] + (1 if step >= 3 else -1 if step <= -3 else 0)
    return min(max(level, 0), size - 1)


def load_assessment(say: Say) -> None:
    """A strategic assessment at the step of agreeing scores: twelve issues scored by six
    people from five organisations, ten agreed, the top six shortlisted."""
    partnership = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    if partnership.assessments.filter(title=fixtures.ASSESSMENT_TITLE).exists():
        say("assessment: already there")
        return
    owner = User.objects.get(username="durham.owner")
    assessment = morile.assessment_create(
        actor=owner,
        partnership=partnership,
        title=fixtures.ASSESSMENT_TITLE,
        purpose=fixtures.ASSESSMENT_PURPOSE,
    )
    model = model_of(assessment)
    issues = [
        morile.issue_add(actor=owner, assessment=assessment, name=name, theme=theme)
        for theme, name, _levels in fixtures.ASSESSMENT_ISSUES
    ]
    scorers = [User.objects.get(username=name) for name in fixtures.ASSESSMENT_SCORERS]
    for user in scorers:
        morile.scorer_invite(actor=owner, assessment=assessment, user=user)
    morile.assessment_open_scoring(actor=owner, assessment=assessment)
    for s, user in enumerate(scorers):
        for i, (issue, (_theme, _name, levels)) in enumerate(
            zip(issues, fixtures.ASSESSMENT_ISSUES, strict=True)
        ):
            values = {
                factor.key: factor.levels[_nudge(levels, s, i, len(factor.levels), f)].value
                for f, factor in enumerate(model.factors)
            }
            morile.score_submit(actor=user, issue=issue, values=values)
    morile.assessment_start_consensus(actor=owner, assessment=assessment)
    rows = {row.issue.pk: row for row in consensus(assessment=assessment)}
    for issue in issues[:10]:
        morile.score_agree(
            actor=owner,
            issue=issue,
            values=rows[issue.pk].suggested,
            rationale="Agreed at the partnership's scoring workshop from the scorers' medians.",
        )
    morile.assessment_shortlist(actor=owner, assessment=assessment, size=6)
    say(
        f"assessment: {assessment.title} ({len(issues)} issues, {len(scorers)} scorers, "
        "10 agreed, top 6 shortlisted)"
    )


def load_profile(say: Say) -> None:
    """A Durham Local Profile from the real data: commissioned, written, cleared by the
    partners whose data it uses, published as version 1 and in delivery."""
    from socprofiles.analysis.selectors import default_period
    from socprofiles.morile.models import Assessment
    from socprofiles.profiles import services as profiles
    from socprofiles.profiles.models import Profile, Stage

    from .profile_text import COMMISSIONING, NARRATIVE, RECOMMENDATIONS

    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    if Profile.objects.filter(partnership=durham, title=fixtures.PROFILE_TITLE).exists():
        say("profile: already published")
        return
    owner = User.objects.get(username="durham.owner")
    analyst = User.objects.get(username="durham.analyst")
    period = default_period(partnership=durham, months=5)  # so the previous period has data
    if period is None:
        raise RuntimeError("The demo profile needs the street crime loaded first.")
    profile = profiles.profile_commission(
        actor=owner, partnership=durham, title=fixtures.PROFILE_TITLE,
        period_start=period.start, period_end=period.end,
        assessment=Assessment.objects.filter(partnership=durham).first(),
        commissioning=COMMISSIONING,
    )  # fmt: skip
    profile = profiles.profile_transition(actor=owner, profile=profile, action="start_production")
    for section in profile.sections.all():
        if section.key in NARRATIVE:
            profiles.section_update(
                actor=analyst, section=section, narrative=NARRATIVE[section.key]
            )
    profiles.recommendations_set(actor=analyst, profile=profile, by_strand=RECOMMENDATIONS)
    profile = profiles.profile_transition(
        actor=analyst, profile=profile, action="send_to_consultation"
    )
    for clearance in profile.clearances.select_related("organisation"):
        decider = (
            User.objects.filter(
                organisation=clearance.organisation, memberships__partnership=durham
            )
            .exclude(memberships__role="reader")
            .first()
        )
        if decider is not None:
            profiles.clearance_decide(actor=decider, clearance=clearance, cleared=True,
                                      note="Cleared for the demonstration.")  # fmt: skip
    if profile.clearances.exclude(status="cleared").exists():
        profiles.clearance_override(
            actor=owner, profile=profile,
            reason="Demonstration: partners without a member here cannot clear.",
        )  # fmt: skip
    profiles.profile_transition(actor=owner, profile=profile, action="publish")
    profiles.profile_transition(actor=owner, profile=profile, action="start_delivery")
    profile.refresh_from_db()
    assert profile.stage == Stage.DELIVERING
    load_sharing(profile, owner)
    say(f"profile: {profile.title}, {period}, version 1 published, in delivery")


def load_sharing(profile: Any, owner: User) -> None:
    """The standing distribution, a request to share waiting for the partnership's approval,
    a reader's feedback with the owner's answer, and an FOI request decided."""
    import datetime as dt

    from django.utils import timezone

    from socprofiles.sharing import services as sharing

    for username, label in (("ne.regional.lead", "Regional policing lead"),
                            ("nca.liaison", "National Crime Agency")):  # fmt: skip
        sharing.standing_recipient_add(
            actor=owner, profile=profile, user=User.objects.get(username=username), label=label
        )
    request = sharing.share_request(
        actor=User.objects.get(username="durham.council"), profile=profile,
        recipient=User.objects.get(username="northumbria.owner"),
        recipient_kind="neighbouring_partnership",
        rationale="Two of the mapped groups supply Sunderland and Gateshead too: Northumbria "
        "needs the markets and priority locations sections for a joint plan.",
        expires_on=timezone.localdate() + dt.timedelta(days=180),
    )  # fmt: skip
    sharing.share_owner_decide(actor=owner, request=request, agree=True,
                               note="Agreed: the joint plan needs it.")  # fmt: skip
    feedback = sharing.feedback_send(
        actor=User.objects.get(username="darlington.reader"), version=profile.versions.get(),
        section_key="locations",
        text="Darlington town centre is named as a hotspot: can the next version say which "
        "licensed premises partners are concerned about?",
    )  # fmt: skip
    sharing.feedback_answer(
        actor=owner, feedback=feedback,
        answer="Yes: licensing will supply its premises data for the review.",
    )  # fmt: skip
    foi = sharing.foi_log(
        actor=User.objects.get(username="durham.analyst"), profile=profile,
        reference="FOI-2027-0142", received_on=timezone.localdate() - dt.timedelta(days=10),
        summary="A copy of the Local Profile and the number of organised crime groups mapped.",
    )  # fmt: skip
    sharing.foi_decide(
        actor=owner, foi=foi, decision="partly", exemptions=["s31", "s24"],
        reasoning="The number of groups is released; the profile is withheld: disclosure "
        "would prejudice the prevention and detection of crime (s31), public interest "
        "test favours withholding.",
    )  # fmt: skip


def load_action_plan(say: Say) -> None:
    """The profile's recommendations as the partnership's action plan, with owners,
    milestones (one overdue), progress and one action complete; and the disruptions partners
    recorded (seed 001: 71 Community Protection Warnings, 5 escalated to Notices)."""
    import datetime as dt

    from django.utils import timezone

    from socprofiles.actions import services as actions
    from socprofiles.actions.models import Action
    from socprofiles.profiles.models import Profile

    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    if Action.objects.filter(partnership=durham).exists():
        say("action plan: already there")
        return
    profile = Profile.objects.get(partnership=durham, title=fixtures.PROFILE_TITLE)
    owner = User.objects.get(username="durham.owner")
    created = actions.actions_from_profile(actor=owner, profile=profile)

    def made_get(start: str) -> Any:
        return next((a for a in created if a.recommendation.startswith(start)), None)

    today = timezone.localdate()
    org = {slug: Organisation.objects.get(slug=slug) for slug in (
        "durham-constabulary", "durham-county-council", "darlington-borough-council",
        "durham-trading-standards", "home-office-ie", "hmrc")}  # fmt: skip
    people = {u.username: u for u in User.objects.filter(username__in=[
        "durham.police.contact", "durham.council", "durham.tradingstandards",
        "darlington.council", "durham.hmrc"])}  # fmt: skip
    plan = {
        "Target the groups": (["durham-constabulary", "home-office-ie"], "durham.police.contact",
                              [("Joint tasking of the two-market groups agreed", -40, True),
                               ("First joint operation", -10, False)], "at_risk"),
        "Use POCA powers": (["durham-constabulary", "hmrc"], "durham.hmrc",
                               [("Financial investigator assigned to each group", -20, True)],
                               "on_track"),
        "Run diversion": (["durham-county-council", "darlington-borough-council"],
                               "durham.council",
                               [("Diversion offer agreed with schools", 30, False)], "on_track"),
        "Extend doorstep": (["durham-trading-standards"], "durham.tradingstandards",
                               [("Repeat victims identified from fraud reports", -30, True)],
                               "complete"),
        "Agree a joint": (["durham-constabulary", "darlington-borough-council"],
                               "darlington.council", [], "not_started"),
    }  # fmt: skip
    for key, (owners, person, milestones, status) in plan.items():
        action = made_get(key)
        if action is None:
            continue
        review_in = -5 if status == "at_risk" else 60  # the slipping action is due for review
        actions.action_update(
            actor=owner, action=action, owner_organisations=[org[o] for o in owners],
            owner=people[person], review_on=today + dt.timedelta(days=review_in),
        )  # fmt: skip
        for text, days, done in milestones:
            milestone = actions.milestone_add(
                actor=owner, action=action, text=text, due_on=today + dt.timedelta(days=days)
            )
            if done:
                finished = today + dt.timedelta(days=min(days, 0) - 2)
                actions.milestone_done(actor=owner, milestone=milestone, done_on=finished)
        if status != "not_started":
            actions.progress_add(
                actor=people[person], action=action, status=status,
                text={"at_risk": "The first operation slipped: surveillance capacity went to a "
                                 "murder inquiry.",
                      "on_track": "Started as planned; the first milestone is met.",
                      "complete": "All repeat victims identified were visited and offered "
                                  "call blockers."}[status],
                evidence="Tasking minutes and visit log." if status == "complete" else "",
            )  # fmt: skip
    police = org["durham-constabulary"]
    council = org["durham-county-council"]
    chief = User.objects.get(username="durham.owner")
    disrupt = made_get("Target the groups")
    cpws = actions.disruption_record(
        actor=chief, partnership=durham, power="cpw", agency=police, count=71,
        occurred_on=today - dt.timedelta(days=45), action=disrupt,
        notes="Warnings to occupiers of addresses used for drug supply.",
    )  # fmt: skip
    actions.disruption_record(
        actor=chief, partnership=durham, power="cpn", agency=council, count=5,
        occurred_on=today - dt.timedelta(days=20), action=disrupt, escalated_from=cpws,
        notes="Five warnings were breached and escalated to notices.",
    )  # fmt: skip
    from decimal import Decimal

    for power, agency, count, days, value in (
        ("closure_order", council, 1, 15, None), ("cash_forfeiture", police, 3, 25, "48250.00"),
        ("arrest", police, 14, 12, None), ("seizure", police, 6, 12, None),
        ("licence_review", council, 2, 35, None),
        ("immigration", org["home-office-ie"], 4, 28, None),
    ):  # fmt: skip
        actions.disruption_record(
            actor=chief, partnership=durham, power=power, agency=agency, count=count,
            occurred_on=today - dt.timedelta(days=days), action=disrupt,
            value_gbp=Decimal(value) if value else None,
        )  # fmt: skip
    say(f"action plan: {len(created)} actions from the profile, disruptions recorded")


DEMO_OCG = "DUR-OCG-2027-01"
# Fictional people, invented for the demo; postcodes in unused ZZ units.
DEMO_OCG_PEOPLE = [
    ("DUR-OCG-P01", "Kieran", "Ashdown", "1984-03-17", "DL1 9ZZ", "principal"),
    ("DUR-OCG-P02", "Mason", "Ashdown", "1987-11-02", "DL1 9ZZ", "significant"),
    ("DUR-OCG-P03", "Tyler", "Brack", "1995-06-23", "DH1 9ZZ", "member"),
    ("DUR-OCG-P04", "Leanne", "Fulwell", "1991-01-30", "DL3 9ZZ", "facilitator"),
    ("DUR-OCG-P05", "Connor", "Rudd", "2001-08-14", "DH7 9ZZ", "member"),
    ("DUR-OCG-P06", "Jade", "Ashdown", "1990-05-09", "DL1 9ZZ", ""),  # not in the group
]


def load_gain(say: Say) -> None:
    """Four agencies' fictional holdings, matched by the engine; a GAIN coordinator's
    request (hit at the force and the council, no hit elsewhere) and a disclosure request
    waiting for Durham County Council's decision."""
    from django.test.utils import override_settings

    from socprofiles.gain import services as gain
    from socprofiles.gain.models import HitRequest, Holding

    from .gain_demo import AGENCIES, holdings

    if HitRequest.objects.filter(purpose__startswith="Demo:").exists():
        say("GAIN holdings and requests: already there")
        return
    with override_settings(DEMO_LOGINS_ENABLED=True):
        for slug, kinds in holdings().items():
            organisation = Organisation.objects.get(slug=slug)
            actor = User.objects.get(username=AGENCIES[slug][0])
            for kind, rows in kinds.items():
                gain.holdings_load(actor=actor, organisation=organisation, kind=kind,
                                   rows=rows, source="demo")  # fmt: skip
        coordinator = User.objects.get(username="ne.gain")
        police = Holding.objects.get(organisation__slug="durham-constabulary",
                                     reference="DUR-P0005")  # fmt: skip
        request = gain.hit_request(
            actor=coordinator, kind="person",
            subject={k: police.values[k] for k in ("first_name", "surname", "dob")},
            purpose="Demo: Op Ashwell research - which partners know this person?",
        )  # fmt: skip
        council = Organisation.objects.get(slug="durham-county-council")
        if any(a["hit"] and a["organisation_id"] == str(council.pk) for a in request.answers):
            gain.disclosure_request(
                actor=coordinator, request=request, organisation=council,
                purpose="Identify the subject's address history and any tenancy concerns for "
                "a joint visit.",
                legal_gateway="Crime and Disorder Act 1998 s115",
            )  # fmt: skip
    counts = Holding.objects.values("organisation").distinct().count()
    say(f"GAIN: {Holding.objects.count()} fictional records of {counts} agencies, matched; "
        f"a request answered {request.hit_count} hit(s)")  # fmt: skip


def load_ocgs(say: Say) -> None:
    """A fictional group in Durham Constabulary's OCG register (its members the force's own
    person nominals, some scored with MoRiLE's tactical model, their links) and a joint
    operation in the style of seed 001's Op SLATE with three partner agencies' results."""
    import datetime as dt

    from django.test.utils import override_settings
    from django.utils import timezone

    from socprofiles.actions.models import Action
    from socprofiles.gain import services as gain
    from socprofiles.gain.models import Holding
    from socprofiles.ocgs import services as ocgs
    from socprofiles.ocgs.models import Group

    police = Organisation.objects.get(slug="durham-constabulary")
    if Group.objects.filter(organisation=police, reference=DEMO_OCG).exists():
        say("OCG register and joint operation: already there")
        return
    analyst = User.objects.get(username="durham.analyst")
    held = set(Holding.objects.filter(organisation=police, kind="person",
                                      reference__startswith="DUR-OCG-")
               .values_list("reference", flat=True))  # fmt: skip
    rows = [{"reference": ref, "first_name": first, "surname": last, "dob": dob,
             "postcode": postcode} for ref, first, last, dob, postcode, _r in DEMO_OCG_PEOPLE
            if ref not in held]  # fmt: skip
    if rows:
        # The force's analyst loads them; a demo account acts only with demo log-ins on.
        with override_settings(DEMO_LOGINS_ENABLED=True):
            gain.holdings_load(actor=analyst, organisation=police, kind="person", rows=rows,
                               source="demo")  # fmt: skip
    people = {h.reference: h for h in Holding.objects.filter(
        organisation=police, kind="person", reference__startswith="DUR-OCG-")}  # fmt: skip
    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    group = ocgs.group_create(
        actor=None, organisation=police, reference=DEMO_OCG, name="Operation Ashwell (fictional)",
        band="1B", threat_score=142,
        crime_markets=["Drugs", "Organised acquisitive crime", "Waste crime"],
        lead_officer=User.objects.get(username="durham.police.contact"), partnership=durham,
        notes="Family-led group supplying drugs and running an illegal waste site; intimidates "
        "local businesses. Fictional, for the demonstration.",
    )  # fmt: skip
    tactical = {"physical": 4, "psychological": 4, "financial": 2, "community": 4,
                "environment": 2, "geographic_scope": 2, "victim_vulnerability": 3,
                "confidence": 3}  # fmt: skip
    ocgs.group_score(actor=None, group=group, answers=tactical,
                     rationale="Graded B2; surveillance confirmed the yard.")  # fmt: skip
    members = {}
    for ref, _first, _last, _dob, _postcode, role in DEMO_OCG_PEOPLE:
        if role:
            members[ref] = ocgs.member_add(actor=None, group=group, nominal=people[ref], role=role)
    for ref, changes in (("DUR-OCG-P01", {"physical": 8}), ("DUR-OCG-P02", {}),
                         ("DUR-OCG-P04", {"physical": 1, "victim_vulnerability": 2})):  # fmt: skip
        ocgs.member_score(actor=None, member=members[ref], answers={**tactical, **changes})
    for left, right, kind, note in (
        ("DUR-OCG-P01", "DUR-OCG-P02", "family", "Brothers"),
        ("DUR-OCG-P01", "DUR-OCG-P06", "family", "Sister; holds the tenancy of the yard"),
        ("DUR-OCG-P02", "DUR-OCG-P03", "associate", "Runs the street-level supply"),
        ("DUR-OCG-P04", "DUR-OCG-P01", "financial", "Launders cash through her car wash"),
        ("DUR-OCG-P05", "DUR-OCG-P03", "communication", ""),
    ):
        ocgs.association_add(actor=None, group=group, left=people[left], right=people[right],
                             kind=kind, note=note)  # fmt: skip
    target = Action.objects.filter(partnership=durham,
                                   recommendation__startswith="Target the groups")  # fmt: skip
    ocgs.group_actions_set(actor=None, group=group, actions=list(target))
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[
        "durham-county-council", "dvsa", "environment-agency"])}  # fmt: skip
    operation = ocgs.operation_create(
        actor=None, lead_organisation=police, name="Op Ashwell day of action (fictional)",
        planned_on=timezone.localdate() - dt.timedelta(days=21), group=group,
        description="Multi-agency disruption at the group's yard and on the roads around it, "
        "coordinated through GAIN, in the style of Op SLATE.",
        powers="Warrants at two addresses, ANPR and vehicle checks, seizure of uninsured "
        "vehicles.",
    )  # fmt: skip
    for slug, powers in (
        ("durham-county-council", "Tenancy enforcement at the site, licensing checks."),
        ("dvsa", "Roadside checks of vehicles and trade plates, prohibition notices."),
        ("environment-agency", "Inspection of the waste site, enforcement notices."),
    ):
        ocgs.participant_add(actor=None, operation=operation, organisation=orgs[slug],
                             powers=powers)  # fmt: skip
    for org, measure, quantity, note in (
        (police, "vehicles_seized", 23, "Uplifted from the highway"),
        (police, "arrests", 3, ""),
        (police, "other", 1, "Land Rover Discovery stolen in a car-key burglary recovered"),
        (orgs["dvsa"], "notices_served", 6, "Prohibition notices on vehicles"),
        (orgs["environment-agency"], "premises_closed", 1, "Illegal waste site"),
        (orgs["durham-county-council"], "notices_served", 1, "Breach of tenancy"),
        (orgs["durham-county-council"], "other", 2, "Stolen caravans removed from the site"),
    ):
        ocgs.outcome_record(actor=None, operation=operation, organisation=org, measure=measure,
                            quantity=quantity, note=note)  # fmt: skip
    ocgs.operation_update(actor=None, operation=operation, name=operation.name,
                          planned_on=operation.planned_on, description=operation.description,
                          status="done", group=group)  # fmt: skip
    say(f"OCG register: {DEMO_OCG} with {len(members)} members; a joint operation with results")


def load_protect(say: Say) -> None:
    """The public self-assessment's districts and fictional results, and fictional partner
    referrals from submitted to closed (protect_demo.py). After the profile: dated within
    its period, so a review of it shows them."""
    from .protect_demo import load_referrals, load_self_assessment

    durham = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    results, referrals = load_self_assessment(durham), load_referrals(durham)
    if not results and not referrals:
        say("self-assessment results and referrals: already there")
        return
    say(f"self-assessment: {results} fictional results; referrals: {referrals} fictional")


STEPS: list[Callable[[Say], None]] = [
    load_areas,
    load_organisations,
    load_people,
    load_partnerships,
    load_datasets,
    load_partner_feeds,
    load_assessment,
    load_profile,
    load_action_plan,
    load_gain,
    load_ocgs,  # after the GAIN holdings: it adds its own nominals if they are not there
    load_protect,
]


def load_demo(*, say: Say = print) -> None:
    for step in STEPS:
        if step in (load_datasets, load_partner_feeds):
            step(say)  # each file imports in its own transaction, all or nothing
            continue
        with transaction.atomic():
            step(say)
