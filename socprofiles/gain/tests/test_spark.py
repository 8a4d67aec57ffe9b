"""The same matching on Splink's Spark backend, in local mode: the national-scale path
gives the same matches as DuckDB. Needs Java 17 (Debian's default-jre) beside pyspark."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from socprofiles.gain.engine import MatchSettings, match

from .test_engine import _people_across_agencies

pytestmark = pytest.mark.database_independent


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if shutil.which("java") is None:
        if os.environ.get("REQUIRE_E2E"):
            pytest.fail("Java is required for the Spark backend test but was not found.")
        pytest.skip("Java is not installed (apt-get install default-jre-headless).")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[2]")
        .appName("gain-test")
        .config("spark.jars", similarity_jar_location())  # Splink's string-similarity UDFs
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()


def test_spark_local_mode_finds_the_same_matches_as_duckdb(spark: Any) -> None:
    records, truth = _people_across_agencies()
    records = [r for r in records if truth[r["uid"]] < 100]  # a quarter: Spark is slow to start
    duck = match("person", records)
    sparked = match("person", records, MatchSettings(backend="spark"), spark=spark)
    confident = [{(p.left, p.right) for p in r.pairs if p.probability >= 0.9}
                 for r in (duck, sparked)]  # fmt: skip
    assert confident[0] and confident[0] == confident[1]
    weights = {(p.left, p.right): p.weight for p in duck.pairs}
    for pair in sparked.pairs:
        if (pair.left, pair.right) in confident[0]:
            assert pair.weight == pytest.approx(weights[(pair.left, pair.right)], abs=0.05)
