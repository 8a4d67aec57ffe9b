"""Probabilistic matching of agencies' nominal records with Splink (DuckDB backend by
default), trained without labels. Every pair keeps its match weight and the comparison
levels behind it (which field agreed how, and what each contributed), so an analyst can
see why two records were linked; every result keeps the trained model, so it can be
explained and re-run.

Only records of different agencies are compared (link_only): GAIN asks whether agencies
hold the same subject, not whether one agency's records duplicate each other."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .kinds import Kind, get_kind

ENGINE_VERSION = "gain-match/1"
DEFAULT_PRIOR = 1e-4  # Splink's own default
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatchSettings:
    threshold: float = 0.5  # pairs at or above this probability are kept
    cluster_threshold: float = 0.9  # pairs at or above this join records into one subject
    u_max_pairs: float = 2e5
    seed: int = 42
    backend: str = "duckdb"  # or "spark" (a SparkSession must be given to match())


@dataclass
class Comparison:
    field: str
    level: str
    weight: float
    left: Any
    right: Any


@dataclass
class Pair:
    left: str
    right: str
    left_agency: str
    right_agency: str
    weight: float
    probability: float
    comparisons: list[Comparison]


@dataclass
class MatchResult:
    kind: str
    records: int
    agencies: list[str]
    pairs: list[Pair]
    clusters: dict[str, str]  # record uid -> subject (cluster) id
    model: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    version: str = ENGINE_VERSION

    def subjects(self) -> dict[str, set[str]]:
        """Each matched subject (a cluster of two or more records) and its agencies."""
        agency_of: dict[str, str] = {}
        for pair in self.pairs:
            agency_of[pair.left], agency_of[pair.right] = pair.left_agency, pair.right_agency
        found: dict[str, set[str]] = {}
        for uid, cluster in self.clusters.items():
            if uid in agency_of:
                found.setdefault(cluster, set()).add(agency_of[uid])
        return {c: agencies for c, agencies in found.items() if len(agencies) > 1}


# -- cleaning: one function per value kind (DESIGN habit 6) --------------------------------

_SPACES = re.compile(r"\s+")


def clean_name(value: Any) -> str | None:
    text = _SPACES.sub(" ", str(value or "")).strip().lower()
    return text or None


def clean_postcode(value: Any) -> str | None:
    text = re.sub(r"[^A-Za-z0-9]", "", str(value or "")).upper()
    if len(text) < 5:
        return text or None
    return f"{text[:-3]} {text[-3:]}"


def clean_identifier(value: Any) -> str | None:
    text = re.sub(r"[^A-Za-z0-9]", "", str(value or "")).upper()
    return text or None


_DOB_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), (3, 2, 1)),
)


def clean_dob(value: Any) -> str | None:
    """YYYY-MM-DD from YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY (a time part is dropped); a
    value that is not a calendar date is missing, not a guess."""
    text = str(value or "").strip()
    if "T" in text[10:11] or " " in text[10:11]:
        text = text[:10]
    for pattern, (y, m, d) in _DOB_FORMS:
        found = pattern.fullmatch(text)
        if found:
            try:
                return date(int(found[y]), int(found[m]), int(found[d])).isoformat()
            except ValueError:
                return None
    return None


CLEANERS = {
    "name": clean_name, "exact": clean_name, "address": clean_name,
    "postcode": clean_postcode, "identifier": clean_identifier, "dob": clean_dob,
}  # fmt: skip


def _combined_address(columns: list[str]) -> Any:
    """One comparison for where someone lives (street address, postcode and town together):
    compared separately they count one shared address three times, and two people of one
    household look like one person."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    address, postcode = columns[0], columns[1]
    town = columns[2] if len(columns) > 2 else None
    levels: list[Any] = [
        cll.And(cll.NullLevel(address), cll.NullLevel(postcode)),
        cll.And(cll.ExactMatchLevel(address), cll.ExactMatchLevel(postcode)).configure(
            label_for_charts="Same address and postcode"),
        cll.And(cll.JaroWinklerLevel(address, 0.9), cll.ExactMatchLevel(postcode)).configure(
            label_for_charts="Similar address, same postcode"),
        cll.ExactMatchLevel(postcode).configure(label_for_charts="Same postcode"),
    ]  # fmt: skip
    if town:
        levels.append(cll.And(cll.ExactMatchLevel(address), cll.ExactMatchLevel(town))
                      .configure(label_for_charts="Same address and town"))  # fmt: skip
    levels.append(cll.JaroWinklerLevel(address, 0.9).configure(
        label_for_charts="Similar address"))  # fmt: skip
    if town:
        levels.append(cll.ExactMatchLevel(town).configure(label_for_charts="Same town"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name="address")


def _comparison(column: str, kind: str) -> Any:
    import splink.comparison_library as cl

    if kind == "combined_address":
        return _combined_address(column.split("|"))
    if kind == "name":
        return cl.JaroWinklerAtThresholds(column, [0.92, 0.88])
    if kind == "address":
        return cl.JaroWinklerAtThresholds(column, [0.9, 0.8])
    if kind == "exact":
        return cl.ExactMatch(column)
    if kind == "dob":
        return cl.DateOfBirthComparison(column, input_is_string=True)
    if kind == "postcode":
        return cl.PostcodeComparison(column)
    return cl.LevenshteinAtThresholds(column, [1])


def clean_record(kind: Kind, values: Mapping[str, Any]) -> dict[str, str | None]:
    """The kind's fields of a record, cleaned as they are compared."""
    types = dict(kind.comparisons)
    return {c: CLEANERS[types.get(c, "exact")](values.get(c)) for c in kind.fields}


def blocking_keys(kind: Kind, cleaned: Mapping[str, Any]) -> list[str]:
    """The record's key under each blocking rule it has every value for: two records
    sharing a key are candidates, exactly as Splink's blocking pairs them."""
    keys = []
    for number, rule in enumerate(kind.blocking):
        values = [cleaned.get(c) for c in rule]
        if all(values):
            keys.append(f"{number}:{'|'.join(str(v) for v in values)}"[:200])
    return keys


def _frames(kind: Kind, records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    import pandas as pd

    rows: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        row = {"uid": str(record["uid"]), **clean_record(kind, record)}
        rows.setdefault(str(record["agency"]), []).append(row)
    return {agency: pd.DataFrame(found, columns=["uid", *kind.fields]).astype(object)
            for agency, found in sorted(rows.items())}  # fmt: skip


def match(
    kind_key: str,
    records: Iterable[Mapping[str, Any]],
    settings: MatchSettings | None = None,
    *,
    spark: Any = None,
) -> MatchResult:
    """Match the records (each with uid, agency and the kind's fields) of two or more
    agencies. Returns the pairs above the threshold with their evidence, the subjects
    (clusters) and the trained model."""
    settings = settings or MatchSettings()
    kind = get_kind(kind_key)
    started = time.perf_counter()
    frames = _frames(kind, records)
    total = sum(len(f) for f in frames.values())
    result = MatchResult(kind.key, total, list(frames), [], {}, {})
    if len(frames) < 2:
        result.notes.append("Records of at least two agencies are needed to match.")
        return result
    run = run_splink(
        frames, "link_only", list(kind.comparisons), list(kind.blocking), list(kind.training),
        settings, spark=spark,
    )  # fmt: skip
    result.notes += run.notes
    levels = _level_labels(run.model)
    for row in run.predictions.to_dict("records"):
        result.pairs.append(
            Pair(
                left=str(row["uid_l"]),
                right=str(row["uid_r"]),
                left_agency=run.tokens[row["source_dataset_l"]],
                right_agency=run.tokens[row["source_dataset_r"]],
                weight=round(float(row["match_weight"]), 3),
                probability=round(float(row["match_probability"]), 6),
                comparisons=_evidence(row, kind.comparisons, levels),
            )
        )
    result.pairs.sort(key=lambda p: -p.weight)
    result.clusters = run.clusters
    result.model = run.model
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _evidence(
    row: Mapping[str, Any], comparisons: Iterable[tuple[str, str]],
    levels: Mapping[str, Mapping[int, str]],
) -> list[Comparison]:  # fmt: skip
    found = []
    for column, _type in comparisons:
        gamma = int(row[f"gamma_{column}"])
        found.append(
            Comparison(
                column,
                levels[column].get(gamma, str(gamma)),
                round(float(row[f"mw_{column}"]), 3),
                row.get(f"{column}_l"),
                row.get(f"{column}_r"),
            )
        )
    return found


@dataclass
class SplinkRun:
    predictions: Any  # a pandas DataFrame of the pairs at or above the threshold
    clusters: dict[str, str]
    model: dict[str, Any]
    tokens: dict[str, str]  # Splink's table name -> ours
    notes: list[str]


def splink_settings(
    link_type: str, comparisons: Iterable[tuple[str, str]], blocking: Iterable[Iterable[str]],
    *, explain: bool = True,
) -> Any:  # fmt: skip
    """Splink's settings for these comparisons and blocking rules."""
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="uid",
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in blocking],
        comparisons=[_comparison(c, t) for c, t in comparisons],
        retain_intermediate_calculation_columns=explain,
        retain_matching_columns=explain,
    )


def run_splink(
    frames: Mapping[str, Any],
    link_type: str,
    comparisons: list[tuple[str, str]],
    blocking: list[tuple[str, ...]],
    training: list[tuple[str, ...]],
    settings: MatchSettings,
    *,
    spark: Any = None,
    explain: bool = True,
    cluster: bool = True,
    deterministic: list[tuple[str, ...]] | None = None,
) -> SplinkRun:
    """Train (without labels), predict and cluster with Splink on DuckDB or Spark. frames:
    one pandas DataFrame per data set (uid and the compared columns, already cleaned)."""
    from splink import Linker

    if settings.backend == "spark":
        from splink import SparkAPI

        if spark is None:
            raise ValueError("the Spark backend needs a SparkSession")
        db: Any = SparkAPI(spark_session=spark)
        frames = {a: spark.createDataFrame(f) for a, f in frames.items()}
    else:
        from splink import DuckDBAPI

        db = DuckDBAPI()
    # Splink names the tables itself (as anyone using it directly gets them); the data
    # sets' (agencies') names stay on our side.
    tables = [db.register(frame) for frame in frames.values()]
    tokens = {t.dataset_display_name: name for t, name in zip(tables, frames, strict=True)}
    creator = splink_settings(link_type, comparisons, blocking, explain=explain)
    notes: list[str] = []
    linker = Linker(tables if len(tables) > 1 else tables[0], creator, log_level=logging.ERROR)
    failed = train(linker, comparisons, training, settings, notes, deterministic)
    if failed:
        # A step that fails part-way can leave the model half-changed (Splink switches a
        # rule's own comparisons off while it trains on it): start again without it.
        creator = splink_settings(link_type, comparisons, blocking, explain=explain)
        linker = Linker(tables if len(tables) > 1 else tables[0], creator,
                        log_level=logging.ERROR)  # fmt: skip
        train(linker, comparisons, [r for r in training if tuple(r) not in failed], settings,
              [], deterministic)  # fmt: skip
    predictions = linker.inference.predict(threshold_match_probability=settings.threshold)
    model = linker.misc.save_model_to_json()
    clusters: dict[str, str] = {}
    frame = predictions.as_pandas_dataframe()
    if cluster and len(frame):
        found = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=settings.cluster_threshold
        ).as_pandas_dataframe()
        clusters = {str(u): str(c) for u, c in zip(found["uid"], found["cluster_id"],
                                                   strict=True)}  # fmt: skip
    return SplinkRun(frame, clusters, model, tokens, notes)


def train(
    linker: Any, comparisons: Iterable[tuple[str, str]], training: Iterable[Iterable[str]],
    settings: MatchSettings, notes: list[str],
    deterministic: Iterable[Iterable[str]] | None = None,
) -> set[tuple[str, ...]]:  # fmt: skip
    """Without labels: the prior from a strict deterministic rule, u by random sampling,
    m by expectation maximisation on each training rule. A step that cannot run on this
    data (too few records, a level never seen) is noted and the defaults stand."""
    from splink import block_on

    columns = [c for column, _t in comparisons for c in column.split("|")]
    strict = [block_on(*rule) for rule in deterministic or [columns]]
    steps = [
        ("prior", lambda: linker.training.estimate_probability_two_random_records_match(
            strict, recall=0.7)),
        ("u", lambda: linker.training.estimate_u_using_random_sampling(
            max_pairs=settings.u_max_pairs, seed=settings.seed)),
    ] + [
        (f"em {'+'.join(rule)}",
         lambda rule=rule: linker.training.estimate_parameters_using_expectation_maximisation(
             block_on(*rule)))
        for rule in training
    ]  # fmt: skip
    failed: set[tuple[str, ...]] = set()
    for name, step in steps:
        try:
            step()
        except Exception as error:  # Splink refuses a step the data cannot support
            notes.append(f"training step {name} skipped: {str(error).splitlines()[0]}")
            logger.info("GAIN training step %s skipped: %s", name, error)
            if name.startswith("em "):
                failed.add(tuple(name[3:].split("+")))
        # On a handful of records every pair can meet the deterministic rule (or none):
        # a prior of 1 or 0 cannot be scored, so Splink's default stands.
        model = linker._settings_obj
        if not 0 < model._probability_two_random_records_match < 1:
            notes.append("the prior could not be estimated on so few records; default used")
            model._probability_two_random_records_match = DEFAULT_PRIOR
    return failed


def _level_labels(model: Mapping[str, Any]) -> dict[str, dict[int, str]]:
    """Comparison vector value -> the level's label, for each compared field: the null
    level is -1, the others count down from the most exact to 0 ("all other")."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        found = {-1: next((lv["label_for_charts"] for lv in levels if lv.get("is_null_level")),
                          "missing")}  # fmt: skip
        others = [lv for lv in levels if not lv.get("is_null_level")]
        for i, level in enumerate(others):
            found[len(others) - 1 - i] = level["label_for_charts"]
        labels[comparison["output_column_name"]] = found
    return labels
