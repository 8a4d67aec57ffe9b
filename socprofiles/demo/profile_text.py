"""The demo profile's narrative: written for the demonstration, illustrative only. The
figures and tables beside it are generated from the real published data; the partner
feeds it mentions are fictional (see the loader)."""

COMMISSIONING = {
    "partners_and_needs": (
        "Durham Constabulary, Durham County Council, Darlington Borough Council, the Office of "
        "the Police, Crime and Victims' Commissioner, Trading Standards, the fire and rescue "
        "service, the NHS foundation trust, Immigration Enforcement, HMRC and the regional "
        "organised crime unit. Each needs a shared picture to set its own priorities and the "
        "partnership's 4P action plan."
    ),
    "parameters": (
        "County Durham and Darlington, 2022. All national SOC threats; the questions: where "
        "harm concentrates, who is vulnerable, which markets and groups connect."
    ),
    "datasets_and_gaps": (
        "police.uk street crime; Indices of Deprivation 2019; 2011 Census population; OCG "
        "mapping; NRM referrals; fraud reports. Gaps: no health or education data this year; "
        "cyber crime reporting is not broken down locally."
    ),
    "leadership_and_resources": (
        "Owner: the head of serious and organised crime. Produced by two strategic analysts "
        "with a point of contact in each partner."
    ),
    "timescales": "Data returns by January; draft in February; consultation in March.",
    "readership_and_sharing": (
        "Partnership members, the PCVC's office and the regional organised crime unit; copies "
        "to the regional policing lead and the NCA. OFFICIAL: shared by the platform only."
    ),
    "retention": "Kept until superseded plus two years, then reviewed for destruction.",
}

NARRATIVE = {
    "summary": (
        "<p>This profile sets out what partners know about serious and organised crime in "
        "County Durham and Darlington. The figures come from published police data and "
        "partners' own records; the narrative is the analysts' judgement.</p>"
        "<p>Drug supply remains the threat that links most others: the places with the most "
        "drug offences are also where acquisitive crime and violence concentrate, and most "
        "mapped groups are active in more than one market. Those places are "
        "disproportionately among the most deprived tenth of England.</p>"
        "<p>The partnership's MoRiLE assessment ranks the issues below; the recommendations "
        "turn them into the 4P action plan.</p>"
    ),
    "threat_drugs": (
        "<p>Drug offences recorded by the police reflect enforcement activity as much as the "
        "market itself; read them with the OCG mapping, which shows county lines supplying "
        "the towns from outside the force area.</p>"
    ),
    "threat_modern_slavery": (
        "<p>Referrals to the National Referral Mechanism show labour and criminal "
        "exploitation as the main forms. Referrals depend on frontline awareness; a low "
        "count is not evidence of absence.</p>"
    ),
    "threat_fraud": (
        "<p>Fraud reports concentrate on older residents. Trading Standards' doorstep crime "
        "work and the police's Op Signature support repeat victims.</p>"
    ),
    "markets": (
        "<p>Groups rarely keep to one market: drug supply is combined with acquisitive crime "
        "and exploitation. Disrupting a group's drug supply alone displaces rather than "
        "removes the harm.</p>"
    ),
    "locations": (
        "<p>Hotspots are neighbourhoods whose rate of SOC indicator crime, with their "
        "neighbours', is higher than chance explains after correcting for the number of "
        "tests. Where a hotspot lies among the most deprived neighbourhoods, harm and "
        "vulnerability meet: these are the priority locations.</p>"
    ),
    "drivers": (
        "<p>Deprivation, school exclusion and adverse childhood experiences are the drivers "
        "partners see most. The hotspot table by deprivation decile shows the pattern.</p>"
    ),
    "national": (
        "<p>The local picture is consistent with the National Strategic Assessment: drugs, "
        "exploitation and fraud are the threats most felt by communities.</p>"
    ),
    "protect_prevent": (
        "<p>Residents' own view of how well protected they are from fraud and online crime "
        "comes from the public self-assessment; partners' concerns about people at risk of "
        "exploitation, vulnerable fraud victims, premises and businesses come through "
        "referrals to the partnership's coordinators. Both began as this profile was "
        "written: the review brings their figures for the period.</p>"
    ),
}

RECOMMENDATIONS = {
    "pursue": [
        "Target the groups active in two or more markets through joint operations.",
        "Use POCA powers against the proceeds of the highest-harm drug supply groups.",
    ],
    "prevent": [
        "Run diversion for young people at risk of exploitation in the priority locations.",
    ],
    "protect": [
        "Extend doorstep crime and fraud victim support to all repeat victims.",
    ],
    "prepare": [
        "Agree a joint response plan for a serious violence incident in a priority location.",
    ],
}
