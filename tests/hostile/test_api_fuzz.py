"""Fuzzing the JSON API from its own OpenAPI schema (a schemathesis-style walk written with
hypothesis, so it needs nothing beyond the test dependencies): every operation, with path
parameters that exist and that do not, query parameters and bodies generated from the
schema, bodies that break the schema, and bodies that are not JSON at all. The API must
never answer 500, and a refused request must change nothing (the audit trail and the
session aside)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import World
from tests.hostile.common import assert_refusal_wrote_nothing, snapshot
from tests.test_url_access import API

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
nasty_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "\ud7ff",
                     "x" * 10_000, "../../etc/passwd", "%00", "NaN", "-1", "1e400", "null"]),
)  # fmt: skip


class FromSchema:
    """Hypothesis strategies for the JSON Schema of an OpenAPI 3 document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})

    def __call__(self, schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
        if depth > 6:
            return st.none()
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return st.deferred(lambda: self(self.components[name], depth + 1))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of([self(s, depth + 1) for s in schema[key]])
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                part = self.components.get(part.get("$ref", "").rsplit("/", 1)[-1], part)
                merged.update(part)
            return self(merged, depth + 1)
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            low, high = schema.get("minimum"), schema.get("maximum")
            return st.integers(min_value=low, max_value=high) | st.integers()
        if kind == "number":
            return st.floats(allow_nan=False, allow_infinity=False)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        if kind == "array":
            return st.lists(self(schema.get("items", {}), depth + 1), max_size=4)
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            return st.fixed_dictionaries(
                {k: self(v, depth + 1) for k, v in properties.items() if k in required},
                optional={
                    k: self(v, depth + 1) for k, v in properties.items() if k not in required
                },
            )
        return json_values

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        fmt = schema.get("format")
        if fmt == "uuid":
            return st.uuids().map(str) | nasty_text
        if fmt == "date":
            return st.dates().map(lambda d: d.isoformat()) | nasty_text
        if fmt == "date-time":
            return st.datetimes().map(lambda d: d.isoformat()) | nasty_text
        limit = schema.get("maxLength")
        sized = st.text(max_size=(limit + 5) if limit else 80)
        return sized | nasty_text


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@st.composite
def requests(
    draw: st.DrawFn,
    operations: list[tuple[str, str, dict[str, Any]]],
    schema: FromSchema,
    valid: Callable[[str, str], dict[str, Any]],
) -> tuple[str, str, dict[str, Any], Any]:
    method, path, operation = draw(st.sampled_from(operations))
    known = valid(method, path)
    params = {}
    for name in [p.strip("{}") for p in path.split("/") if p.startswith("{")]:
        if name in known and draw(st.integers(0, 3)) > 0:
            params[name] = known[name]
        else:
            params[name] = draw(st.uuids().map(str) | st.integers(-5, 10**6).map(str) | nasty_text)
    url = path.format(**{k: str(v).replace("/", "%2F") or "x" for k, v in params.items()})
    query = {}
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and draw(st.booleans()):
            query[parameter["name"]] = draw(schema(parameter.get("schema", {})))
    content = operation.get("requestBody", {}).get("content", {})
    body: Any = None
    if "application/json" in content:
        choice = draw(st.integers(0, 9))
        if choice < 7:
            body = ("json", draw(schema(content["application/json"]["schema"])))
        elif choice < 9:
            body = ("json", draw(json_values))
        else:
            body = ("raw", draw(st.binary(max_size=200)))
    elif "multipart/form-data" in content:
        body = ("file", draw(st.binary(max_size=300)))
    return method, url, query, body


def _send(client: Client, method: str, url: str, query: dict[str, Any], body: Any) -> Any:
    if query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in query.items()})}"
    sender = getattr(client, method)
    if body is None:
        return sender(url)
    kind, value = body
    if kind == "file":
        return sender(url, data={"file": SimpleUploadedFile("fuzz.csv", value)})
    data = json.dumps(value) if kind == "json" else value
    return sender(url, data=data, content_type="application/json")


def test_the_api_never_fails_on_generated_requests(world: World, client_for: Any) -> None:
    client = client_for("owner")
    document = client.get("/api/openapi.json").json()
    operations = _operations(document)
    assert len(operations) >= 30
    schema = FromSchema(document)
    known: dict[tuple[str, str], dict[str, Any]] = {}

    def valid(method: str, path: str) -> dict[str, Any]:
        if (method, path) not in known:
            entry = API.get((method, path))
            try:
                known[(method, path)] = entry[0](world) if entry else {}
            except Exception:  # an example that no longer exists after earlier writes
                known[(method, path)] = {}
        return known[(method, path)]

    statuses: Counter[int] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(request=requests(operations, schema, valid))
    def fuzz(request: tuple[str, str, dict[str, Any], Any]) -> None:
        method, url, query, body = request
        before = snapshot()  # here: drawing the example may have made rows
        response = _send(client, method, url, query, body)
        statuses[response.status_code] += 1
        assert response.status_code < 500, (method, url, query, body, response.content[:500])
        if response.status_code >= 400:
            assert_refusal_wrote_nothing(
                before, snapshot(), f"{method} {url}", response.status_code
            )

    fuzz()
    print(f"\nAPI fuzz statuses: {dict(sorted(statuses.items()))}")
    assert any(200 <= s < 300 for s in statuses), "no request got through: the walk is broken"


@pytest.mark.parametrize("query", ["offset=100000000000000000000", "limit=100000000000000000000"])
def test_paging_beyond_what_a_database_integer_holds_is_refused(
    world: World, client_for: Any, query: str
) -> None:
    """Found by the fuzzing: PostgreSQL answered 'bigint out of range', a 500."""
    client = client_for("owner")
    for path in ("/api/organisations", "/api/areas"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, (path, response.status_code)
    assert client.get("/api/organisations?limit=5&offset=0").status_code == 200
