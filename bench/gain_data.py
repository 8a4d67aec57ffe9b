"""Fictional UK person records for the GAIN benchmark, with the truth: which records are
the same person.

`people(n, seed)` makes exactly n records (id, first_name, surname, dob, address_1, town,
postcode, phone) of fictional people. About a fifth of the people appear two to four
times, each further copy with the noise of real agency records: character typos (keyboard
neighbours, a letter dropped or doubled), adjacent transpositions, first name and surname
swapped, a nickname for the first name, missing values, day and month of birth swapped or
mistyped, a postcode one character out, a new phone number, a house move, a change of
surname. Names follow a Zipf-Mandelbrot frequency over a few thousand first names and
twenty thousand surnames (common British names first, the rest made from syllables), so
the most common surname is about 1% of records and blocks are as lopsided as in real
data. People live in households (families share a surname and an address), a postcode
covers about a dozen households on one street, towns have postcode areas. Deterministic
for a seed.

The values are written in one clean form (Title Case, dates YYYY-MM-DD, postcodes as
"DH1 3AB", phones as 07 and nine digits): the noise is in the content, not the format, so
Splink used directly on the file and the GAIN engine after its cleaning compare the same
values.

    python bench/gain_data.py 100000 people.csv   (writes the records; prints the pairs)
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any


def _words(text: str) -> list[str]:
    return text.split()


COMMON_SURNAMES = _words("""smith jones williams taylor brown davies evans wilson thomas johnson
roberts robinson thompson wright walker white edwards hughes green hall lewis harris clarke
patel jackson wood turner martin cooper hill ward morris moore clark lee king baker harrison
morgan allen james scott phillips watson davis parker price bennett young griffiths
mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox richards
khan marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb
rogers gray mason ali hunt hussain campbell matthews owen palmer holmes mills barnes knight
lloyd butler russell barker fisher stevens jenkins murray dixon harvey graham pearson
ahmed fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne
fox ford pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball
burton o'brien watts rose booth perry ryan grant wells armstrong francis rees hayes hart
hudson newman barrett webster hunter gregory carr lowe page marsh riley dunn woods
parsons berry stone reid holland hawkins harding porter robertson newton oliver reed
kennedy williamson bird gardner shah dean lane cooke bates henderson parry burgess bishop
walton burns nicholson shepherd ross cross long freeman warren nicholls hamilton byrne
sutton mcdonald yates hodgson robson curtis hopkins o'connor harper coleman watkins moss
mccarthy chambers o'neill griffin sharp hardy wheeler potter osborne johnston gordon
doyle wallace george jordan hutchinson rowe burke may pritchard gilbert willis higgins
read miles stevenson stephenson hammond arnold buckley walters hewitt barber nelson slater
austin sullivan whitehead mann frost lambert stephens blake akhtar lynch goodwin barton
woodward thomson cunningham quinn barnett baxter bibi clayton nash greenwood jennings holt
kemp poole gallagher bond stokes tucker davidson fowler heath norman middleton lawson
banks french stanley jarvis gibbs ferguson hayward carroll douglas dickinson todd barlow
peters lucas knowles hartley miah simmons morton alexander field""")

COMMON_FIRST = _words("""david john michael paul james andrew peter robert mark richard stephen
christopher william thomas daniel matthew anthony kevin ian alan gary steven simon jason
martin lee craig neil darren ryan adam jonathan jamie benjamin samuel joseph george
jack harry oliver charlie jacob alexander edward luke nathan callum liam connor kieran
joshua mohammed muhammad ali ahmed raj sanjay tomasz piotr sarah emma claire laura rachel
lisa nicola helen karen susan julie louise jennifer elizabeth margaret catherine
katherine victoria rebecca amy jessica charlotte hannah sophie lucy emily chloe olivia
amelia isla ava grace ella mia megan lauren natalie hayley kelly joanne jane ann mary
patricia deborah jacqueline angela tracey amanda michelle samantha stacey gemma kirsty
leanne shannon jade aisha fatima priya anna agnieszka zoe ellie holly abigail molly
christine pauline sandra linda janet carol barbara maureen brenda dorothy irene
kathleen doreen joyce""")

NICKNAMES = {
    "william": "bill", "robert": "bob", "elizabeth": "liz", "margaret": "maggie",
    "james": "jim", "michael": "mike", "thomas": "tom", "richard": "rick",
    "christopher": "chris", "katherine": "kate", "catherine": "cath", "jennifer": "jenny",
    "anthony": "tony", "alexander": "alex", "daniel": "dan", "samuel": "sam",
    "joseph": "joe", "edward": "ted", "stephen": "steve", "steven": "steve",
    "andrew": "andy", "matthew": "matt", "benjamin": "ben", "rebecca": "becky",
    "susan": "sue", "patricia": "pat", "deborah": "debbie", "victoria": "vicky",
    "peter": "pete", "david": "dave", "jonathan": "jon", "nicola": "nicky",
    "samantha": "sam", "jacqueline": "jackie", "kathleen": "kath", "abigail": "abbie",
    "charlotte": "lottie", "joshua": "josh", "nathan": "nate", "jacob": "jake",
    "muhammad": "mo", "mohammed": "mo", "christine": "chris", "pauline": "paula",
}  # fmt: skip

# Towns with their postcode areas (real places; every person is invented).
TOWNS = """durham:DH, sunderland:SR, newcastle upon tyne:NE, gateshead:NE, middlesbrough:TS,
darlington:DL, hartlepool:TS, stockton-on-tees:TS, bishop auckland:DL, consett:DH,
chester-le-street:DH, peterlee:SR, seaham:SR, stanley:DH, newton aycliffe:DL,
spennymoor:DL, leeds:LS, bradford:BD, sheffield:S, york:YO, hull:HU, doncaster:DN,
wakefield:WF, huddersfield:HD, halifax:HX, harrogate:HG, manchester:M, salford:M,
bolton:BL, wigan:WN, oldham:OL, rochdale:OL, stockport:SK, liverpool:L, birkenhead:CH,
preston:PR, blackpool:FY, blackburn:BB, lancaster:LA, carlisle:CA, birmingham:B,
coventry:CV, wolverhampton:WV, walsall:WS, dudley:DY, nottingham:NG, derby:DE,
leicester:LE, lincoln:LN, northampton:NN, stoke-on-trent:ST, london:E, london:N,
london:SE, london:SW, london:W, london:NW, croydon:CR, bromley:BR, romford:RM,
ilford:IG, harrow:HA, luton:LU, reading:RG, oxford:OX, cambridge:CB, norwich:NR,
ipswich:IP, colchester:CO, chelmsford:CM, southend-on-sea:SS, brighton:BN,
southampton:SO, portsmouth:PO, bournemouth:BH, bristol:BS, bath:BA, exeter:EX,
plymouth:PL, gloucester:GL, swindon:SN, cardiff:CF, swansea:SA, newport:NP, wrexham:LL,
glasgow:G, edinburgh:EH, aberdeen:AB, dundee:DD, belfast:BT""".replace("\n", " ").split(", ")

STREET_TYPES = ("road", "street", "lane", "avenue", "close", "drive", "way", "crescent",
                "terrace", "gardens", "grove", "court", "place", "view")  # fmt: skip
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

_ONSETS = _words("b br c ch cl cr d dr f fl g gr h j k l m n p pr r s sh st t th tr v w wh y "
           "bl gl sl sp")  # fmt: skip
_VOWELS = _words("a e i o u a e o ai ea ee oo ou ay ie")
_CODAS = _words("n r l m s t d ck ng nd rd rn st th ll ss x rk")
_SURNAME_ENDS = _words("son ton ley by ham worth field well ford wood er man ridge shaw cott "
                 "more land dale hurst wick stone croft bury ing gate")  # fmt: skip
_FIRST_ENDS = _words("a ie y en on an el ine ette ia ina o us er is ey ra la")
_STREET_ENDS = _words("field wood side gate bank hill dale moor lea brook mead leigh hurst "
                "grove thorpe burn")  # fmt: skip
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _syllable_names(
    rng: random.Random, count: int, ends: tuple[str, ...] | list[str], taken: set[str]
) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        parts = [rng.choice(_ONSETS), rng.choice(_VOWELS)]
        if rng.random() < 0.6:
            parts.append(rng.choice(_CODAS))
        if rng.random() < 0.3:
            parts += [rng.choice(_ONSETS), rng.choice(_VOWELS)]
        parts.append(rng.choice(ends))
        name = "".join(parts)
        if 4 <= len(name) <= 14 and name not in taken:
            taken.add(name)
            found.append(name)
    return found


def _zipf_weights(count: int, offset: float, exponent: float = 1.0) -> Any:
    """Zipf-Mandelbrot: the k-th most common value has weight 1 / (k + offset) ** s."""
    import numpy as np

    return 1.0 / (np.arange(1, count + 1) + offset) ** exponent


def _neighbour(letter: str, rng: random.Random) -> str:
    for row in _KEYBOARD:
        i = row.find(letter)
        if i >= 0:
            step = -1 if i and rng.random() < 0.5 else 1
            return row[min(len(row) - 1, i + step)]
    return letter


def typo(text: str, rng: random.Random) -> str:
    """One character wrong: a keyboard neighbour, a letter dropped or doubled."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))  # the first letter is usually right
    roll = rng.random()
    if roll < 0.5:
        return text[:i] + _neighbour(text[i], rng) + text[i + 1 :]
    if roll < 0.75:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def transpose(text: str, rng: random.Random) -> str:
    """Two adjacent characters swapped (not the first)."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _postcode_error(postcode: str, rng: random.Random) -> str:
    """One character out: a digit or an inward letter mistyped."""
    chars = list(postcode)
    positions = [i for i, c in enumerate(chars) if c != " "]
    i = rng.choice(positions[1:])
    if chars[i].isdigit():
        chars[i] = str((int(chars[i]) + rng.choice((1, -1, 2))) % 10)
    else:
        chars[i] = rng.choice(INWARD_LETTERS.replace(chars[i], ""))
    return "".join(chars)


@dataclass
class People:
    frame: Any  # pandas DataFrame: id, first_name, surname, dob, address_1, town, ...
    pairs: set[tuple[str, str]]  # the true duplicates, each (smaller id, larger id)
    people: int  # distinct people behind the records

    def write_csv(self, path: Path | str) -> Path:
        self.frame.to_csv(path, index=False)
        return Path(path)


# Noise on each further copy of a person: the operation and its relative frequency.
_NOISE = (
    ("typo_first", 14), ("typo_surname", 14), ("typo_address", 9), ("typo_town", 3),
    ("transpose_first", 6), ("transpose_surname", 6), ("swap_names", 3), ("nickname", 5),
    ("dob_day_month", 6), ("dob_error", 4), ("postcode_error", 7), ("missing_first", 1),
    ("missing_dob", 3), ("missing_postcode", 4), ("missing_address", 3), ("missing_phone", 5),
    ("moved", 4), ("new_surname", 2), ("new_phone", 3),
)  # fmt: skip


def people(n: int, seed: int = 2026) -> People:
    """Exactly n records of fictional people, with the true duplicate pairs."""
    import numpy as np
    import pandas as pd

    rng = random.Random(seed)
    npr = np.random.default_rng(seed)

    # Names: common British names first, then made-up ones; Zipf-Mandelbrot frequencies.
    taken = set(COMMON_SURNAMES) | set(COMMON_FIRST)
    surnames = list(dict.fromkeys(COMMON_SURNAMES)) + _syllable_names(
        rng, 20_000 - len(set(COMMON_SURNAMES)), _SURNAME_ENDS, taken
    )
    first_names = list(dict.fromkeys(COMMON_FIRST)) + _syllable_names(
        rng, 3_000 - len(set(COMMON_FIRST)), _FIRST_ENDS, taken
    )
    surname_p = _zipf_weights(len(surnames), 12.0)
    surname_p /= surname_p.sum()
    first_p = _zipf_weights(len(first_names), 5.0)
    first_p /= first_p.sum()
    streets = _syllable_names(rng, 4_000, _STREET_ENDS, set())

    # How many copies of each person: 80% once, the rest two to four times.
    mean_copies = 0.8 + 0.2 * (0.6 * 2 + 0.25 * 3 + 0.15 * 4)
    n_people = int(n / mean_copies * 1.05) + 10
    copies = np.where(
        npr.random(n_people) < 0.8, 1, npr.choice([2, 3, 4], n_people, p=[0.6, 0.25, 0.15])
    )
    ends = np.cumsum(copies)
    n_people = int(np.searchsorted(ends, n)) + 1  # the people who fill n records
    copies = copies[:n_people]
    copies[-1] -= int(ends[n_people - 1] - n)

    # Households of one to four people; a postcode is one street of about a dozen
    # households; towns by Zipf weight, each town's postcodes in its postcode area.
    n_households = n_people // 2 + 1
    towns = [t.strip().split(":") for t in TOWNS]
    town_p = _zipf_weights(len(towns), 3.0, 0.8)
    town_p /= town_p.sum()
    household_town = npr.choice(len(towns), n_households, p=town_p)
    n_postcodes = n_households // 12 + 1
    postcode_town = npr.choice(len(towns), n_postcodes, p=town_p)
    by_town: dict[int, list[int]] = {}
    for index, town in enumerate(postcode_town.tolist()):
        by_town.setdefault(town, []).append(index)
    districts, next_district = [], dict.fromkeys((area for _t, area in towns), 1)
    for (_town, area), share in zip(towns, town_p.tolist(), strict=True):
        count = max(1, round(share * 150))  # bigger towns, more districts
        districts.append(range(next_district[area], next_district[area] + count))
        next_district[area] += count
    postcodes, postcode_street = [], []
    for town in postcode_town.tolist():
        inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        postcodes.append(f"{towns[town][1]}{rng.choice(districts[town])} {inward}")
        postcode_street.append(f"{rng.choice(streets)} {rng.choice(STREET_TYPES)}")
    households = []
    for town in household_town.tolist():
        pool = by_town.get(town) or by_town[next(iter(by_town))]
        code = pool[rng.randrange(len(pool))]
        households.append(
            (f"{rng.randint(1, 180)} {postcode_street[code]}", towns[postcode_town[code]][0],
             postcodes[code])
        )  # fmt: skip

    # People: a household each (families share the surname), a date of birth between
    # 1935 and 2007, a mobile for most.
    person_household = np.minimum(np.arange(n_people) // 2 + npr.integers(0, 2, n_people),
                                  n_households - 1)  # fmt: skip
    person_surname = npr.choice(len(surnames), n_people, p=surname_p)
    family = npr.random(n_people) < 0.6
    first_of_household: dict[int, int] = {}
    for person, household in enumerate(person_household.tolist()):
        head = first_of_household.setdefault(household, person)
        if family[person] and head != person:
            person_surname[person] = person_surname[head]
    person_first = npr.choice(len(first_names), n_people, p=first_p)
    dob_days = npr.integers(0, (np.datetime64("2007-12-31") - np.datetime64("1935-01-01"))
                            .astype(int), n_people)  # fmt: skip
    dobs = (np.datetime64("1935-01-01") + dob_days).astype(str).tolist()
    phones = [f"07{p:09d}" for p in npr.integers(100_000_000, 999_999_999, n_people).tolist()]
    has_phone = (npr.random(n_people) < 0.65).tolist()

    ops = [name for name, _w in _NOISE]
    weights = [w for _n, w in _NOISE]
    rows: list[list[str | None]] = []
    owner: list[int] = []
    for person in range(n_people):
        household = households[int(person_household[person])]
        base: list[str | None] = [
            first_names[int(person_first[person])], surnames[int(person_surname[person])],
            dobs[person], household[0], household[1], household[2],
            phones[person] if has_phone[person] else None,
        ]  # fmt: skip
        for copy in range(int(copies[person])):
            row = list(base)
            if copy:
                n_ops = rng.choices((0, 1, 2, 3), (20, 40, 28, 12))[0]
                for op in rng.choices(ops, weights, k=n_ops):
                    _apply(op, row, rng, households, surnames)
            for position, share in ((2, 0.02), (3, 0.03), (4, 0.02), (5, 0.03)):
                if rng.random() < share:
                    row[position] = None  # the base rate of a value not recorded
            rows.append(row)
            owner.append(person)
    order = npr.permutation(len(rows))
    ids = [f"r{i + 1:07d}" for i in range(len(rows))]
    frame = pd.DataFrame(
        [rows[i] for i in order.tolist()],
        columns=["first_name", "surname", "dob", "address_1", "town", "postcode", "phone"],
    )
    for column in ("first_name", "surname", "address_1", "town"):
        frame[column] = frame[column].str.title()
    frame.insert(0, "id", ids)
    by_person: dict[int, list[str]] = {}
    for record_id, index in zip(ids, order.tolist(), strict=True):
        by_person.setdefault(owner[index], []).append(record_id)
    pairs = {
        (a, b) if a < b else (b, a)
        for found in by_person.values()
        if len(found) > 1
        for a, b in combinations(found, 2)
    }
    return People(frame, pairs, n_people)


def _apply(
    op: str, row: list[str | None], rng: random.Random, households: list[tuple[str, str, str]],
    surnames: list[str],
) -> None:  # fmt: skip
    """One kind of noise on a copy [first, surname, dob, address_1, town, postcode, phone]."""
    first, surname, dob, address, town, postcode, _phone = row
    if op == "typo_first" and first:
        row[0] = typo(first, rng)
    elif op == "typo_surname" and surname:
        row[1] = typo(surname, rng)
    elif op == "typo_address" and address:
        row[3] = typo(address, rng)
    elif op == "typo_town" and town:
        row[4] = typo(town, rng)
    elif op == "transpose_first" and first:
        row[0] = transpose(first, rng)
    elif op == "transpose_surname" and surname:
        row[1] = transpose(surname, rng)
    elif op == "swap_names":
        row[0], row[1] = surname, first
    elif op == "nickname" and first:
        row[0] = NICKNAMES.get(first, typo(first, rng))
    elif op == "dob_day_month" and dob:
        year, month, day = dob.split("-")
        if int(day) <= 12 and day != month:
            row[2] = f"{year}-{day}-{month}"
        else:
            row[2] = f"{year}-{month}-{min(28, max(1, int(day) + rng.choice((1, -1)))):02d}"
    elif op == "dob_error" and dob:
        year, month, day = dob.split("-")
        if rng.random() < 0.5:
            row[2] = f"{int(year) + rng.choice((1, -1, 10, -10))}-{month}-{day}"
        else:
            row[2] = f"{year}-{month}-{min(28, int(day[::-1]) or 1):02d}"
    elif op == "postcode_error" and postcode:
        row[5] = _postcode_error(postcode, rng)
    elif op.startswith("missing_"):
        row[{"first": 0, "dob": 2, "postcode": 5, "address": 3, "phone": 6}[op[8:]]] = None
    elif op == "moved":
        row[3], row[4], row[5] = households[rng.randrange(len(households))]
    elif op == "new_surname":
        row[1] = rng.choice(surnames[:2000])
    elif op == "new_phone":
        row[6] = f"07{rng.randrange(100_000_000, 999_999_999):09d}"


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    data = people(n)
    if len(argv) > 1:
        data.write_csv(argv[1])
    surname_top = data.frame["surname"].value_counts(normalize=True).iloc[0]
    print(f"{len(data.frame):,} records of {data.people:,} people; {len(data.pairs):,} true "
          f"duplicate pairs; most common surname {surname_top:.2%} of records")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
