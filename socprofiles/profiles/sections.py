"""The sections of a Local Profile, as data: the guide's contents (3.4-3.5) in its order,
with what each section generates from the analysis and the MoRiLE assessment.

`indicators` name police.uk proxy indicators (analysis/engine/indicators.yaml); `partner`
are words matched in the threats partners' feeds report; `figures` and `tables` name the
generated blocks (content.py); `uses` names the kinds of data behind them, for the
section's list of sources and for consultation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    kind: str  # summary, threat, theme, recommendations
    guidance: str
    indicators: tuple[str, ...] = ()
    partner: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


CRIME = ("police_street", "census2011_population", "lsoa_boundaries")

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "summary", "Summary", "summary",
        "The key findings and the priorities, for readers who read nothing else.",
        figures=("comparison", "trend", "priorities"),
        tables=("key_figures", "priorities"),
        uses=CRIME,
    ),
    SectionSpec(
        "threat_drugs", "Drugs", "threat",
        "Drug supply, including county lines, the groups involved and their reach.",
        indicators=("drugs",), figures=("map_drugs",), tables=("indicators",), uses=CRIME,
    ),
    SectionSpec(
        "threat_firearms", "Firearms and weapons", "threat",
        "Supply, possession and use of firearms and other weapons by organised criminals.",
        indicators=("weapons",), figures=("map_weapons",), tables=("indicators",), uses=CRIME,
    ),
    SectionSpec(
        "threat_immigration", "Organised immigration crime and people trafficking", "threat",
        "Facilitation of illegal entry and the movement of people for exploitation.",
        partner=("immigration", "trafficking"), tables=("partner",),
    ),
    SectionSpec(
        "threat_modern_slavery", "Modern slavery and human trafficking", "threat",
        "Labour, sexual and criminal exploitation; NRM referrals and what they show.",
        partner=("slavery",), tables=("partner",), uses=("feed:nrm_referrals",),
    ),
    SectionSpec(
        "threat_fraud", "Large-scale fraud and financial crime", "threat",
        "Fraud against people and businesses, money laundering and the victims.",
        partner=("fraud", "money"), tables=("partner",), uses=("feed:counts_by_area",),
    ),
    SectionSpec(
        "threat_counterfeit", "Counterfeit goods", "threat",
        "Counterfeit and illicit goods (tobacco, alcohol, branded goods) and where they are sold.",
        partner=("counterfeit", "illicit"), tables=("partner",),
    ),
    SectionSpec(
        "threat_acquisitive", "Organised acquisitive crime", "threat",
        "Burglary, vehicle crime, robbery and theft committed by organised groups.",
        indicators=("organised_acquisitive",), figures=("map_organised_acquisitive",),
        tables=("indicators",), uses=CRIME,
    ),
    SectionSpec(
        "threat_cyber", "Cyber crime", "threat",
        "Cyber-dependent crime against local people, businesses and public bodies.",
        partner=("cyber", "computer"), tables=("partner",),
    ),
    SectionSpec(
        "threat_cse", "Child sexual exploitation and abuse", "threat",
        "Exploitation of children, including by groups and online; read with safeguarding data.",
        indicators=("exploitation_violence",), figures=("map_exploitation_violence",),
        tables=("indicators",), uses=CRIME,
    ),
    SectionSpec(
        "markets", "Criminal markets and how threats interrelate", "theme",
        "How threats and groups overlap: shared places, shared groups, shared enablers.",
        partner=("organised crime groups",),
        figures=("markets_lsoa", "markets_ocg"), tables=("markets", "partner"),
        uses=(*CRIME, "feed:ocg_mapping"),
    ),
    SectionSpec(
        "locations", "Priority locations and vulnerabilities", "theme",
        "Where harm concentrates and meets vulnerability, and how persistent it is.",
        figures=("map", "map_deprivation", "map_persistence", "deprivation"),
        tables=("hotspots",),
        uses=(*CRIME, "imd2019_domains"),
    ),
    SectionSpec(
        "drivers", "Drivers and pathways into serious and organised crime", "theme",
        "What draws people into SOC locally: deprivation, exclusion, exploitation, family.",
        tables=("deprivation",), uses=(*CRIME, "imd2019_domains"),
    ),
    SectionSpec(
        "community", "Community tension, gangs and links to terrorism", "theme",
        "Tensions, street gangs and any links between organised crime and terrorism.",
    ),
    SectionSpec(
        "national", "The national picture", "theme",
        "How the local picture compares with the National Strategic Assessment.",
    ),
    SectionSpec(
        "cross_boundary", "Cross-boundary issues", "theme",
        "Groups and markets that cross into neighbouring areas and forces.",
    ),
    SectionSpec(
        "international", "International perspective", "theme",
        "Links abroad: supply routes, diaspora, money flows, foreign national offenders.",
    ),
    SectionSpec(
        "enablers", "Enablers", "theme",
        "Corruption, false identities, professional enablers, cash-based businesses.",
    ),
    SectionSpec(
        "protect_prevent", "Protect and Prevent: public vulnerability and partner referrals",
        "theme",
        "How vulnerable residents say they are to fraud and online crime (the public "
        "self-assessment), and the concerns partners referred for safeguarding, diversion or "
        "disruption, by area, with what came of them.",
    ),
    SectionSpec(
        "delivery", "Delivery since the last profile", "theme",
        "What the partnership delivered against the last profile's action plan, and the "
        "powers used against SOC since it was published.",
        tables=("delivery",),
    ),
    SectionSpec(
        "recommendations", "Recommendations", "recommendations",
        "What the partnership should do, by the 4Ps: Pursue, Prevent, Protect, Prepare.",
    ),
)  # fmt: skip

BY_KEY = {spec.key: spec for spec in SECTIONS}
