"""Fuzz the REST API from its own OpenAPI document (schemathesis): no 5xx, no answer that
contradicts the document (status codes, content types, bodies, headers).

Hypothesis is driven directly (schemathesis' pytest plugin does not run under pytest 9):
every operation, valid and invalid inputs, a bounded number of examples each."""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from tests.unit.test_api import make_app, store  # noqa: F401  (fixture)

# Negative cases include ones without credentials (schemathesis strips the token there): 35
# keeps about as many invalid-input cases reaching validation as the 25 did before.
EXAMPLES = {GenerationMode.POSITIVE: 40, GenerationMode.NEGATIVE: 35}


def _offline_reader(url: str):
    from pipeline.web.fetch import FetchError

    raise FetchError("unreachable", "no network in the fuzz test", url=url)


@pytest.fixture
def api_schema(store, monkeypatch):
    # Queued runs created by fuzzed POSTs are never executed here; treat every run as finished
    # so an event stream on one ends instead of waiting for a dispatcher.
    monkeypatch.setattr("pipeline.runs.dispatch.runs_queued", lambda ids: None)
    monkeypatch.setattr("jobapp.api.sse.ACTIVE", ())
    # Fuzzed {"urls": [...]} bodies never reach the network (no DNS lookups of made-up hosts).
    monkeypatch.setattr("pipeline.sources.links._reader", lambda: _offline_reader)
    return schemathesis.openapi.from_asgi("/api/openapi.json", make_app(rate_limit=100_000))


@pytest.fixture
def signed_schema(api_schema, store):
    """The same API with the owner's token as schemathesis auth: it sets the token on every case,
    except where a negative case removes the credentials on purpose (then a 401 is the answer)."""
    token = store["token"]

    @api_schema.auth()
    class Token:
        def get(self, case, ctx):
            return token

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return api_schema


def _operations(schema):
    ops = [result.ok() for result in schema.get_all_operations()]
    assert len(ops) == 7, [o.label for o in ops]
    return ops


# PostgreSQL only: it is the stricter store (NUL characters, integer ranges), and one database keeps this under a minute.
pytestmark = pytest.mark.parametrize("db_kind", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_api_conforms_to_its_schema(signed_schema, mode):
    started = time.monotonic()
    operations = list(_operations(signed_schema))
    assert len(operations) >= 7, "every API operation is fuzzed"
    for op in operations:

        @given(case=op.as_strategy(generation_mode=mode))
        @hypothesis_settings(max_examples=EXAMPLES[mode], deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        check()
    assert time.monotonic() - started < 60


def test_api_without_token_is_401_everywhere(api_schema):
    operations = list(_operations(api_schema))
    assert len(operations) >= 7, "every API operation is fuzzed"
    for op in operations:

        @given(case=op.as_strategy())
        @hypothesis_settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code == 401, (case.method, case.path, response.status_code, response.text)

        check()
