"""The demo partnership as data: real public bodies, fictional people in every role."""

from __future__ import annotations

from dataclasses import dataclass

from socprofiles.accounts.models import OrganisationKind as K
from socprofiles.accounts.models import PartnershipRole as R
from socprofiles.accounts.models import VettingLevel as V

DEMO_PASSWORD = "partnership-demo-2026"  # noqa: S105 - published demo credential, DEBUG only
DEMO_SLUG = "county-durham-and-darlington"
OTHER_SLUG = "northumbria"

DURHAM_FORCE_AREA = ("E23000008", "Durham Constabulary force area")
NORTHUMBRIA_FORCE_AREA = ("E23000007", "Northumbria Police force area")
NORTHUMBRIA_LADS = [
    ("E06000057", "Northumberland"),
    ("E08000021", "Newcastle upon Tyne"),
    ("E08000022", "North Tyneside"),
    ("E08000023", "South Tyneside"),
    ("E08000024", "Sunderland"),
    ("E08000037", "Gateshead"),
]
# Community safety partnerships in the force area (CSP codes are not in the shipped data).
DURHAM_CSPS = [
    ("Safe Durham Partnership", "E06000047"),
    ("Darlington Community Safety Partnership", "E06000005"),
]


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: str
    short_name: str = ""
    code: str = ""
    area_code: str = ""
    website: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        "durham-constabulary",
        "Durham Constabulary",
        K.POLICE_FORCE,
        "Durham Police",
        "Durham",
        "E23000008",
        "https://www.durham.police.uk/",
    ),
    DemoOrganisation(
        "durham-county-council",
        "Durham County Council",
        K.LOCAL_AUTHORITY,
        "DCC",
        "E06000047",
        "E06000047",
        "https://www.durham.gov.uk/",
    ),
    DemoOrganisation(
        "darlington-borough-council",
        "Darlington Borough Council",
        K.LOCAL_AUTHORITY,
        "DBC",
        "E06000005",
        "E06000005",
        "https://www.darlington.gov.uk/",
    ),
    DemoOrganisation(
        "durham-pcvc",
        "Office of the Durham Police, Crime and Victims' Commissioner",
        K.PCC_OFFICE,
        "Durham PCVC",
        "",
        "E23000008",
    ),
    DemoOrganisation(
        "cdd-fire-rescue",
        "County Durham and Darlington Fire and Rescue Service",
        K.FIRE_RESCUE,
        "CDDFRS",
        "",
        "E23000008",
    ),
    DemoOrganisation(
        "cdd-nhs-ft",
        "County Durham and Darlington NHS Foundation Trust",
        K.NHS,
        "CDDFT",
        "",
        "E23000008",
    ),
    DemoOrganisation(
        "durham-trading-standards",
        "Durham County Council Trading Standards",
        K.TRADING_STANDARDS,
        "",
        "",
        "E06000047",
    ),
    DemoOrganisation("nersou", "North East Regional Special Operations Unit", K.ROCU, "NERSOU"),
    DemoOrganisation(
        "nca",
        "National Crime Agency",
        K.NCA,
        "NCA",
        "",
        "",
        "https://www.nationalcrimeagency.gov.uk/",
    ),
    DemoOrganisation("hmrc", "HM Revenue and Customs", K.HMRC, "HMRC"),
    DemoOrganisation("dwp", "Department for Work and Pensions", K.DWP, "DWP"),
    DemoOrganisation(
        "home-office-ie",
        "Home Office Immigration Enforcement",
        K.HOME_OFFICE,
        "Immigration Enforcement",
    ),
    DemoOrganisation("dvla", "Driver and Vehicle Licensing Agency", K.DVLA, "DVLA"),
    DemoOrganisation("dvsa", "Driver and Vehicle Standards Agency", K.DVSA, "DVSA"),
    DemoOrganisation("glaa", "Gangmasters and Labour Abuse Authority", K.GLAA, "GLAA"),
    DemoOrganisation("environment-agency", "Environment Agency", K.ENVIRONMENT_AGENCY),
    DemoOrganisation(
        "northumbria-police",
        "Northumbria Police",
        K.POLICE_FORCE,
        "",
        "Northumbria",
        "E23000007",
        "https://www.northumbria.police.uk/",
    ),
    # Publishers of the reference data.
    DemoOrganisation(
        "ons", "Office for National Statistics", K.OTHER, "ONS", "", "", "https://www.ons.gov.uk/"
    ),
    DemoOrganisation(
        "mhclg",
        "Ministry of Housing, Communities and Local Government",
        K.OTHER,
        "MHCLG",
        "",
        "",
        "https://www.gov.uk/government/organisations/ministry-of-housing-communities-local-government",
    ),
]

DURHAM_MEMBER_ORGS = [
    "durham-constabulary",
    "durham-county-council",
    "darlington-borough-council",
    "durham-pcvc",
    "cdd-fire-rescue",
    "cdd-nhs-ft",
    "durham-trading-standards",
    "nersou",
    "hmrc",
    "dwp",
    "home-office-ie",
    "dvla",
    "glaa",
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    organisation: str | None
    job_title: str
    vetting: str
    role: str | None  # role in the demo partnership
    partnership: str = DEMO_SLUG
    superuser: bool = False


# Every name below is invented for the demonstration.
PEOPLE = [
    DemoPerson(
        "durham.owner",
        "Det Supt Alex Marsh",
        "durham-constabulary",
        "Head of Serious and Organised Crime, police lead for the Local Profile",
        V.MV,
        R.OWNER,
    ),
    DemoPerson(
        "durham.analyst",
        "Priya Coleman",
        "durham-constabulary",
        "Strategic intelligence analyst",
        V.MV,
        R.AUTHOR,
    ),
    DemoPerson(
        "durham.analyst2",
        "Tom Hewitt",
        "durham-constabulary",
        "Intelligence analyst",
        V.RV,
        R.AUTHOR,
    ),
    DemoPerson(
        "durham.police.contact",
        "Insp Gemma Rowe",
        "durham-constabulary",
        "Neighbourhood policing inspector, point of contact",
        V.RV,
        R.MEMBER,
    ),
    DemoPerson(
        "durham.pcc",
        "Sam Okafor",
        "durham-pcvc",
        "Policy lead, Office of the PCVC",
        V.NPPV2,
        R.READER,
    ),
    DemoPerson(
        "durham.council",
        "Helen Birch",
        "durham-county-council",
        "Community safety manager, point of contact",
        V.NPPV2,
        R.MEMBER,
    ),
    DemoPerson(
        "darlington.council",
        "Mark Ellison",
        "darlington-borough-council",
        "Community safety officer",
        V.NPPV2,
        R.MEMBER,
    ),
    DemoPerson(
        "durham.tradingstandards",
        "Nadia Fenwick",
        "durham-trading-standards",
        "Principal Trading Standards officer",
        V.NPPV2,
        R.MEMBER,
    ),
    DemoPerson(
        "durham.fire",
        "Owen Pryce",
        "cdd-fire-rescue",
        "Fire safety and community risk manager",
        V.BPSS,
        R.MEMBER,
    ),
    DemoPerson(
        "durham.nhs", "Dr Ruth Kaye", "cdd-nhs-ft", "Named safeguarding lead", V.BPSS, R.MEMBER
    ),
    DemoPerson("ne.gain", "Lee Armitage", "nersou", "GAIN coordinator, North East", V.SC, R.MEMBER),
    DemoPerson(
        "durham.immigration",
        "Farah Siddiqui",
        "home-office-ie",
        "Immigration Enforcement liaison officer",
        V.SC,
        R.MEMBER,
    ),
    DemoPerson("durham.hmrc", "Graham Tate", "hmrc", "Fraud investigation officer", V.SC, R.MEMBER),
    DemoPerson(
        "darlington.reader",
        "Chris Lang",
        "darlington-borough-council",
        "Assistant chief executive",
        V.BPSS,
        R.READER,
    ),
    DemoPerson(
        "durham.chair",
        "Angela Rhodes",
        "durham-county-council",
        "Head of Community Safety, chair of the partnership",
        V.NPPV2,
        R.OWNER,
    ),
    # Outside the partnership: the standing distribution of every profile (guide 4.49).
    DemoPerson(
        "ne.regional.lead",
        "Det Ch Supt Karen Hale",
        "nersou",
        "Regional policing lead for serious and organised crime, North East",
        V.SC,
        None,
    ),
    DemoPerson(
        "nca.liaison", "Daniel Okoro", "nca", "NCA regional organised crime coordinator", V.SC, None
    ),
    DemoPerson(
        "northumbria.owner",
        "Det Supt Jo Carver",
        "northumbria-police",
        "Head of Serious and Organised Crime",
        V.MV,
        R.OWNER,
        OTHER_SLUG,
    ),
    DemoPerson(
        "platform.admin", "Robin Ashby", None, "Platform administrator", V.SC, None, superuser=True
    ),
]

POSITIONS = {
    "police_lead": "durham.owner",
    "pcc_lead": "durham.pcc",
    "police_contact": "durham.police.contact",
    "council_contact": "durham.council",
}


# The demo's MoRiLE long list: (theme, issue, level index per factor of the thematic model,
# in its factor order). Indices, not values, so the list reads as "low / moderate / ...".
# Scorers' scores are these, nudged a level up or down per scorer by a fixed rule, so the
# consensus view has real disagreements to show. Illustrative judgements, not findings.
ASSESSMENT_TITLE = "Strategic assessment 2027"
PROFILE_TITLE = "Serious and Organised Crime Local Profile 2022"
ASSESSMENT_PURPOSE = (
    "Rank the partnership's serious and organised crime issues to choose the priorities of "
    "the 2027 Local Profile. (Demonstration: the scores are illustrative.)"
)
ASSESSMENT_SCORERS = [
    "durham.analyst",
    "durham.police.contact",
    "durham.council",
    "durham.tradingstandards",
    "durham.nhs",
    "durham.immigration",
]
#                        ind com pub env fin org oec fre vol con cap cab
ASSESSMENT_ISSUES = [
    ("Drugs", "County lines drug supply", [4, 3, 3, 1, 2, 3, 3, 4, 3, 2, 2, 2]),
    ("Drugs", "Cannabis cultivation in homes", [2, 2, 2, 3, 2, 2, 2, 3, 3, 2, 2, 3]),
    ("Exploitation", "Modern slavery", [4, 2, 3, 0, 2, 3, 3, 1, 1, 1, 1, 1]),
    ("Exploitation", "Child criminal exploitation", [4, 3, 4, 0, 1, 3, 2, 3, 2, 1, 1, 2]),
    ("Exploitation", "Child sexual exploitation", [4, 2, 4, 0, 1, 4, 3, 2, 1, 1, 2, 2]),
    ("Acquisitive", "Organised vehicle crime", [1, 2, 2, 0, 3, 1, 2, 3, 3, 2, 2, 2]),
    ("Acquisitive", "Organised rural theft", [2, 3, 3, 1, 3, 2, 2, 3, 2, 2, 2, 2]),
    ("Economic crime", "Fraud against older people", [3, 1, 3, 0, 3, 2, 2, 3, 3, 1, 1, 1]),
    ("Economic crime", "Laundering through businesses", [0, 2, 2, 0, 3, 2, 3, 2, 2, 0, 1, 1]),
    ("Economic crime", "Illegal money lending", [3, 2, 1, 0, 3, 1, 1, 1, 1, 0, 2, 2]),
    ("Violence", "Firearms linked to OCGs", [4, 3, 4, 0, 1, 3, 3, 1, 1, 1, 2, 2]),
    ("Borders", "Organised immigration crime", [3, 1, 2, 0, 2, 2, 2, 1, 1, 0, 1, 1]),
]  # fmt: skip
