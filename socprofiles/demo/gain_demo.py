"""Fictional GAIN holdings for the demo: people (and a few vehicles and businesses) that
Durham Constabulary, Durham County Council, HMRC and Immigration Enforcement each hold,
overlapping as partners' records do, with the typos, gaps and variants real records have.
Every name is invented from common first names and surnames, dates of birth and phone
numbers are random, postcodes are in the DH/DL areas; any resemblance is chance."""

from __future__ import annotations

import random
from typing import Any

FIRST = ["Jack", "Olivia", "Harry", "Amelia", "George", "Isla", "Noah", "Ava", "Leo", "Mia",
         "Oscar", "Ella", "Charlie", "Grace", "Jacob", "Sophie", "Thomas", "Lily", "James",
         "Emily", "Daniel", "Chloe", "Ryan", "Megan", "Liam", "Jade", "Kieran", "Holly",
         "Connor", "Abbie", "Dylan", "Paige"]  # fmt: skip
LAST = ["Robson", "Armstrong", "Bell", "Charlton", "Dodds", "Elliott", "Forster", "Graham",
        "Hall", "Hedley", "Jobling", "Kell", "Lambton", "Milburn", "Nixon", "Oliver",
        "Pattinson", "Ridley", "Scott", "Tweddle", "Usher", "Walton", "Young", "Allan",
        "Brough", "Coxon", "Dunn", "Errington", "Fenwick", "Gibson"]  # fmt: skip
MAKES = [("Ford", "Transit"), ("Vauxhall", "Corsa"), ("BMW", "320d"), ("Audi", "A3"),
         ("Volkswagen", "Golf"), ("Mercedes-Benz", "Sprinter")]  # fmt: skip
COLOURS = ["Black", "White", "Silver", "Grey", "Blue", "Red"]
AGENCIES = {  # organisation slug -> (acting demo user, share of the people it holds)
    "durham-constabulary": ("durham.analyst", 0.6),
    "durham-county-council": ("durham.council", 0.4),
    "hmrc": ("durham.hmrc", 0.25),
    "home-office-ie": ("durham.immigration", 0.15),
}


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def people(seed: int = 2026, count: int = 400) -> list[dict[str, str]]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        found.append({
            "first_name": rng.choice(FIRST), "surname": rng.choice(LAST),
            "dob": f"19{rng.randint(62, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "postcode": f"{rng.choice(['DH1', 'DH6', 'DH7', 'DL4', 'DL5', 'DL14', 'DH9'])} "
                        f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            "phone": f"07700 9{rng.randint(0, 99999):05d}",
        })  # fmt: skip
    return found


def holdings(seed: int = 2026) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per agency slug and kind, the rows it loads (reference plus the kind's fields)."""
    rng = random.Random(seed + 1)
    everyone = people(seed)
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for slug, (_user, share) in AGENCIES.items():
        prefix = slug.split("-")[0][:3].upper()
        rows = []
        for index, person in enumerate(everyone):
            # The first 12 people are known to every agency: the joint-work candidates.
            if index >= 12 and rng.random() > share:
                continue
            record = dict(person)
            if rng.random() < 0.15:
                record["first_name"] = _typo(record["first_name"], rng)
            if rng.random() < 0.3:
                record.pop("phone")
            if rng.random() < 0.15:
                record.pop("postcode")
            rows.append({"reference": f"{prefix}-P{index + 1:04d}", **record})
        found[slug] = {"person": rows}
    rng = random.Random(seed + 2)
    vehicles = [{"vrm": f"{rng.choice(['NK', 'ND', 'NL', 'YJ'])}{rng.randint(10, 24)} "
                        f"{''.join(rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ') for _ in range(3))}",
                 "make": rng.choice(MAKES)[0], "colour": rng.choice(COLOURS)}
                for _ in range(40)]  # fmt: skip
    for slug, start in (("durham-constabulary", 0), ("home-office-ie", 25)):
        found[slug]["vehicle"] = [
            {"reference": f"{slug[:3].upper()}-V{i + 1:03d}", **v}
            for i, v in enumerate(vehicles[start : start + 30])
        ]
    return found
